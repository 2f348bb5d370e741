using System.Net.Http.Headers;
using System.Text;
using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.Http;

/// <summary>
/// What every HTTP delivery shares: the URL and method, <c>header.&lt;Name&gt;</c> inputs, Basic or Bearer credentials,
/// a pre-rendered <c>body</c>, redirects, transliteration, and reading the recipient's answer (<see cref="ResponseRules"/>).
/// A delivery adds only its body format: each <c>&lt;prefix&gt;&lt;name&gt;</c> input is one body value, and
/// <see cref="WriteBody"/> turns them into text.
/// </summary>
/// <remarks>
/// The step's timeout is the host's (the step's <c>timeout:</c>), never an input: one place to say how long a call may
/// take. Every input is checked in <see cref="Validate"/>, because a request/response integration can decline only before
/// the request: a misconfigured delivery is skipped with a reason instead of sending the recipient something wrong.
/// </remarks>
public abstract class HttpDelivery : IRequestResponseIntegration, IConformanceSamples
{
    /// <summary>The credential names: HTTP Basic <c>username</c> and <c>password</c>, or a Bearer <c>token</c>.</summary>
    public const string Username = "username";

    /// <inheritdoc cref="Username"/>
    public const string Password = "password";

    /// <inheritdoc cref="Username"/>
    public const string Token = "token";

    /// <summary>The input holding a complete, pre-rendered body (from a template).</summary>
    public const string BodyName = "body";

    /// <summary>The input saying whether redirects are followed (by default only for GET).</summary>
    public const string FollowRedirectsName = "follow_redirects";

    /// <summary>The input asking for every value to be sent as ASCII.</summary>
    public const string TransliterateName = "transliterate";

    private const string Url = "url";
    private const string Method = "method";
    private const string HeaderPrefix = "header.";
    private static readonly string[] BodyMethods = ["POST", "PUT", "PATCH", "DELETE"];

    private protected HttpDelivery()
    {
    }

    /// <inheritdoc />
    public abstract IntegrationDescriptor Descriptor { get; }

    /// <inheritdoc />
    public abstract IReadOnlyList<ConformanceSample> Samples { get; }

    /// <summary>The prefix naming body inputs: <c>json_property.</c>, <c>form_field.</c>.</summary>
    private protected abstract string BodyPrefix { get; }

    /// <summary>The body's media type unless a <c>header.Content-Type</c> input says otherwise.</summary>
    private protected abstract string ContentType { get; }

    /// <summary>The methods this delivery sends, the first being the default.</summary>
    private protected virtual IReadOnlyList<string> Methods => BodyMethods;

    /// <summary>Whether a pre-rendered <c>body</c> input is accepted (not where values travel in the URL).</summary>
    private protected virtual bool TakesBody => true;

    /// <summary>The inputs only this delivery reads (besides its body values).</summary>
    private protected virtual IReadOnlyList<string> OwnInputs => [];

    /// <inheritdoc />
    public string? Validate(IntegrationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.GetString(Url) is not { } url)
        {
            return $"No URL to deliver to: map the input '{Url}'";
        }

        if (Target(input) is null)
        {
            return $"'{Url}' '{InputText.Shorten(url)}' is not an absolute http(s) URL";
        }

        if (MethodOf(input) is null)
        {
            return $"'{Method}' '{InputText.Shorten(input.GetString(Method)!)}' is not one {Descriptor.Id} sends; use {string.Join(", ", Methods)}";
        }

        foreach (var name in input.Values.Keys)
        {
            if (UnknownInput(name) is { } problem)
            {
                return problem;
            }
        }

        foreach (var flag in (string[])[FollowRedirectsName, TransliterateName])
        {
            if (InputText.Flag(input, flag) is null)
            {
                return $"'{flag}' must be true or false, not '{InputText.Shorten(input.GetString(flag) ?? "")}'";
            }
        }

        if ((HeaderProblem(input) ?? CredentialProblem(input) ?? OwnInputProblem(input)) is { } headerProblem)
        {
            return headerProblem;
        }

        var values = BodyValues(input);
        if (input.Values.ContainsKey(BodyName))
        {
            if (values.Count > 0)
            {
                return $"Map either '{BodyName}' (the whole body) or {BodyPrefix}<name> inputs, not both";
            }
        }
        else if (BodyProblem(values) is { } bodyProblem)
        {
            return bodyProblem;
        }

        return ResponseRules.Read(input).Problem;
    }

    /// <inheritdoc />
    /// <exception cref="IntegrationRequestRefusedException">The <c>body</c> input is not a well-formed document of the
    /// delivery's format (the step's outcome is error, naming line and column).</exception>
    public IntegrationRequest BuildRequest(IntegrationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var ascii = InputText.Flag(input, TransliterateName) == true;
        var headers = new List<KeyValuePair<string, string>>();
        string? contentType = null;
        foreach (var (name, value) in Headers(input))
        {
            var sent = ascii ? Transliteration.Text(value) : value;
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = sent;
            }
            else
            {
                headers.Add(new(name, sent));
            }
        }

        headers.AddRange(FormatHeaders(input));
        if (Authorization(input) is { } authorization)
        {
            headers.Add(new("Authorization", authorization.ToString()));
        }

        var values = BodyValues(input);
        if (ascii)
        {
            values = [.. values.Select(value => (value.Name, Transliteration.Value(value.Value)))];
        }

        string? body;
        if (input.Values.ContainsKey(BodyName))
        {
            var text = InputText.Of(input[BodyName]);
            if (ascii)
            {
                text = Transliteration.Body(text, EscapeInBody);
            }

            if (CheckBody(text) is { } problem)
            {
                throw new IntegrationRequestRefusedException(problem);
            }

            body = FinishBody(text, input);
        }
        else
        {
            body = WriteBody(values, input);
        }

        var follow = input.GetString(FollowRedirectsName) is null ? (bool?)null : InputText.Flag(input, FollowRedirectsName);
        return new IntegrationRequest
        {
            Method = MethodOf(input) ?? Methods[0],
            // Validate has refused a step without a usable URL; this is only reached when a caller skips it.
            Url = Address(Target(input) ?? new Uri("http://invalid.invalid/"), values),
            Headers = headers,
            Body = body,
            ContentType = body is null ? null : contentType ?? ContentTypeFor(input),
            FollowRedirects = follow,
        };
    }

    /// <inheritdoc />
    public IntegrationResult ParseResponse(IntegrationInput input, IntegrationRequest request, IntegrationResponse response)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(response);
        var (rules, problem) = ResponseRules.Read(input);
        return rules is null ? IntegrationResult.Error(problem!) : rules.Apply(response, [.. input.Credentials.Values]);
    }

    /// <summary>What is wrong with the body values, or null when they can be written.</summary>
    private protected abstract string? BodyProblem(IReadOnlyList<(string Name, object? Value)> values);

    /// <summary>The body, from the values of the body inputs (in input order, prefix removed); null for none.</summary>
    private protected abstract string? WriteBody(IReadOnlyList<(string Name, object? Value)> values, IntegrationInput input);

    /// <summary>What is wrong with a pre-rendered body (naming line and column), or null when it can be sent.</summary>
    private protected virtual string? CheckBody(string body) => null;

    /// <summary>A checked pre-rendered body as sent (SOAP wraps it in an envelope).</summary>
    private protected virtual string FinishBody(string body, IntegrationInput input) => body;

    /// <summary>Transliterated text escaped for the pre-rendered body's format.</summary>
    private protected virtual string EscapeInBody(string ascii) => ascii;

    /// <summary>The URL sent to (<c>http.query</c> adds its values).</summary>
    private protected virtual Uri Address(Uri url, IReadOnlyList<(string Name, object? Value)> values) => url;

    /// <summary>The body's media type for these inputs, unless a <c>header.Content-Type</c> input says otherwise.</summary>
    private protected virtual string ContentTypeFor(IntegrationInput input) => ContentType;

    /// <summary>Headers the body format needs (SOAPAction).</summary>
    private protected virtual IEnumerable<KeyValuePair<string, string>> FormatHeaders(IntegrationInput input) => [];

    /// <summary>What is wrong with this delivery's own inputs, or null.</summary>
    private protected virtual string? OwnInputProblem(IntegrationInput input) => null;

    /// <summary>The request variables every HTTP delivery reads, after the ones naming its body values.</summary>
    private protected static IReadOnlyList<VariableDescriptor> RequestVariables(string anyName, string methods = "POST (the default), PUT, PATCH or DELETE.",
        string? body = "A complete body, usually rendered by a template; replaces the body values, and is checked before anything is sent.",
        IReadOnlyList<VariableDescriptor>? own = null) =>
    [
        new(Url, "url", Required: true, "Where to deliver the lead: an absolute http(s) URL."),
        new(Method, "string", Description: methods),
        new("*", "string", Description: anyName + " header.<Name>: a request header (header.X-Campaign: spring)."),
        .. body is null ? [] : new VariableDescriptor[] { new(BodyName, "string", Description: body) },
        .. own ?? [],
        new(FollowRedirectsName, "boolean", Description:
            "true: follow redirects (at most 10; never from https to http). By default only a GET follows them: a POST is not re-sent elsewhere."),
        new(TransliterateName, "boolean", Description: "true: send every value as ASCII (Zoë → Zoe, Straße → Strasse)."),
        new(ResponseRules.ContentTypeOverrideName, "string", Description:
            "Read the answer as this media type whatever it is labelled (application/json for JSON sent as text/html)."),
        new(ResponseRules.Parse4xxAs2xx, "boolean", Description:
            "true: read a 4xx answer like a 2xx one (LeadConduit's behaviour). By default a 4xx is a failure; 401, 403, 407, 408 and 429 are always errors."),
        new(ResponseRules.SearchTermName, "string", Description:
            "Text to look for in the answer (case-insensitive unless outcome_search_case_sensitive); /between slashes/ for a regular expression."),
        new(ResponseRules.SearchCaseSensitive, "boolean", Description: "true: the search term must match case too."),
        new(ResponseRules.SearchPath, "string", Description:
            "Search only the value at this path: a dot path into a JSON or XML answer (result.status), or XPath for XML (/response/status)."),
        new(ResponseRules.OnMatchName, "string", Description:
            "The outcome when the term is found: success (the default), failure or error; otherwise failure (for success) or success."),
        new(ResponseRules.ReasonPathName, "string", Description: "Dot path or XPath to the reason in the answer."),
        new(ResponseRules.PricePathName, "string", Description: "Dot path or XPath to the price the recipient paid (a decimal)."),
        new(ResponseRules.ReferencePathName, "string", Description: "Dot path or XPath to the recipient's id for the lead; appended as reference."),
    ];

    /// <summary>The credentials every HTTP delivery accepts, none of them required (many endpoints are open).</summary>
    private protected static IReadOnlyList<CredentialDescriptor> Credentials { get; } =
    [
        new(Username, "HTTP Basic auth user name.", Required: false),
        new(Password, "HTTP Basic auth password.", Required: false),
        new(Token, "Sent as Authorization: Bearer <token>. Map either this or username and password.", Required: false),
    ];

    /// <summary>What every HTTP delivery appends.</summary>
    private protected static IReadOnlyList<VariableDescriptor> ResponseVariables { get; } =
    [
        new("status", "number", Description: "The HTTP status of the answer (201)."),
        new("reference", "string", Description: "The recipient's id for the lead, read at reference_path."),
        new("*", "string", Description:
            "Each top-level property of a JSON object answer, or each attribute and child element of an XML answer's root, by its own name (crm.lead_id); status, outcome, reason, price and cost excepted."),
    ];

    private static Uri? Target(IntegrationInput input) =>
        Uri.TryCreate(input.GetString(Url)?.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;

    private string? MethodOf(IntegrationInput input)
    {
        var method = input.GetString(Method)?.Trim().ToUpperInvariant() ?? Methods[0];
        return Methods.Contains(method) ? method : null;
    }

    private string? UnknownInput(string name)
    {
        if (name is Url or Method or FollowRedirectsName or TransliterateName || (name == BodyName && TakesBody)
            || ResponseRules.InputNames.Contains(name) || OwnInputs.Contains(name)
            || name.StartsWith(HeaderPrefix, StringComparison.Ordinal) || name.StartsWith(BodyPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        if (name == BodyName)
        {
            return $"'{BodyName}' is not an input of {Descriptor.Id}: its values travel in the URL, one {BodyPrefix}<name> each";
        }

        return name == "timeout"
            ? $"'timeout' is not an input of {Descriptor.Id}: set it on the step (timeout: 10s), where the host enforces it"
            : $"'{name}' is not an input of {Descriptor.Id}: body values are named {BodyPrefix}<name>, headers header.<Name>";
    }

    private IReadOnlyList<(string Name, object? Value)> BodyValues(IntegrationInput input) =>
    [
        .. input.Values
            .Where(pair => pair.Key.StartsWith(BodyPrefix, StringComparison.Ordinal))
            .Select(pair => (pair.Key[BodyPrefix.Length..], pair.Value)),
    ];

    private static IEnumerable<(string Name, string Value)> Headers(IntegrationInput input) =>
        input.Values
            .Where(pair => pair.Key.StartsWith(HeaderPrefix, StringComparison.Ordinal))
            .Select(pair => (pair.Key[HeaderPrefix.Length..], InputText.Of(pair.Value)));

    private static string? HeaderProblem(IntegrationInput input)
    {
        foreach (var (name, value) in Headers(input))
        {
            if (name.Length == 0 || !name.All(IsTokenChar))
            {
                return $"'{HeaderPrefix}{name}' does not name a valid HTTP header (letters, digits and !#$%&'*+-.^_`|~)";
            }

            if (value.Any(c => c is '\r' or '\n' or '\0'))
            {
                return $"The header '{name}' holds a line break or NUL character, which a header cannot carry";
            }

            if (name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) && Authorization(input) is not null)
            {
                return "Both a header.Authorization input and credentials are mapped; use the credentials (they are masked in transcripts)";
            }

            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) && !MediaTypeHeaderValue.TryParse(value, out _))
            {
                return $"header.Content-Type '{InputText.Shorten(value)}' is not a media type";
            }
        }

        return null;
    }

    private static string? CredentialProblem(IntegrationInput input) =>
        HasBasic(input) && !string.IsNullOrEmpty(input.GetCredential(Token))
            ? $"Map either '{Token}' (Bearer) or '{Username}' and '{Password}' (Basic), not both"
            : null;

    private static bool HasBasic(IntegrationInput input) =>
        !string.IsNullOrEmpty(input.GetCredential(Username)) || !string.IsNullOrEmpty(input.GetCredential(Password));

    private static AuthenticationHeaderValue? Authorization(IntegrationInput input)
    {
        if (HasBasic(input))
        {
            var pair = $"{input.GetCredential(Username)}:{input.GetCredential(Password)}";
            return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        }

        return input.GetCredential(Token) is { Length: > 0 } token ? new AuthenticationHeaderValue("Bearer", token) : null;
    }

    // RFC 9110 token characters.
    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);
}
