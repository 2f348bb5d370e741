using System.Globalization;
using System.Text.RegularExpressions;
using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.Http;

/// <summary>
/// How a delivery reads the recipient's answer, from the step's inputs: which statuses count as an answer, what to search
/// for, and where the reason, price and reference are. Shared by every HTTP delivery, whatever its body format.
/// </summary>
internal sealed record ResponseRules
{
    public const string Parse4xxAs2xx = "parse_4xx_as_2xx";
    public const string SearchTermName = "outcome_search_term";
    public const string SearchCaseSensitive = "outcome_search_case_sensitive";
    public const string SearchPath = "outcome_search_path";
    public const string OnMatchName = "outcome_on_match";
    public const string OutcomePathName = "outcome_path";
    public const string ReasonPathName = "reason_path";
    public const string PricePathName = "price_path";
    public const string ReferencePathName = "reference_path";
    public const string ContentTypeOverrideName = "content_type_override";

    /// <summary>Every input these rules read.</summary>
    public static IReadOnlyList<string> InputNames { get; } =
        [Parse4xxAs2xx, SearchTermName, SearchCaseSensitive, SearchPath, OnMatchName, OutcomePathName, ReasonPathName, PricePathName, ReferencePathName,
            ContentTypeOverrideName];

    // The host appends these under the step key itself; a recipient's property of the same name is not appended.
    private static readonly HashSet<string> Reserved = new(["outcome", "reason", "price", "cost"], StringComparer.OrdinalIgnoreCase);

    public bool FourHundredsAreAnswers { get; init; }

    public SearchTerm? Search { get; init; }

    public ResponsePath? SearchAt { get; init; }

    public Outcome OnMatch { get; init; } = Outcome.Success;

    /// <summary>Where the recipient states the outcome itself (<c>outcome_path</c>): success, failure or error.</summary>
    public ResponsePath? OutcomeAt { get; init; }

    public ResponsePath? ReasonAt { get; init; }

    public ResponsePath? PriceAt { get; init; }

    public ResponsePath? ReferenceAt { get; init; }

    /// <summary>The media type the answer is read as, whatever it is labelled (<c>content_type_override</c>).</summary>
    public string? ContentTypeOverride { get; init; }

    private IEnumerable<ResponsePath> Paths => new[] { SearchAt, OutcomeAt, ReasonAt, PriceAt, ReferenceAt }.OfType<ResponsePath>();

    /// <summary>The rules a step's inputs give, or what is wrong with them.</summary>
    public static (ResponseRules? Rules, string? Problem) Read(IntegrationInput input)
    {
        if (InputText.Flag(input, Parse4xxAs2xx) is not { } fourHundreds)
        {
            return (null, FlagProblem(input, Parse4xxAs2xx));
        }

        if (InputText.Flag(input, SearchCaseSensitive) is not { } caseSensitive)
        {
            return (null, FlagProblem(input, SearchCaseSensitive));
        }

        Outcome onMatch;
        switch (input.GetString(OnMatchName)?.Trim().ToUpperInvariant())
        {
            case null or "SUCCESS":
                onMatch = Outcome.Success;
                break;
            case "FAILURE":
                onMatch = Outcome.Failure;
                break;
            case "ERROR":
                onMatch = Outcome.Error;
                break;
            default:
                return (null, $"'{OnMatchName}' must be success, failure or error, not '{InputText.Shorten(input.GetString(OnMatchName)!)}'");
        }

        SearchTerm? search = null;
        if (input.GetString(SearchTermName) is { } term)
        {
            (search, var problem) = SearchTerm.Read(term, caseSensitive);
            if (problem is not null)
            {
                return (null, problem);
            }
        }

        var paths = new ResponsePath?[5];
        string[] names = [SearchPath, ReasonPathName, PricePathName, ReferencePathName, OutcomePathName];
        for (var i = 0; i < names.Length; i++)
        {
            if (input.GetString(names[i]) is not { } text)
            {
                continue;
            }

            var (path, pathProblem) = ResponsePath.Read(names[i], text.Trim());
            if (path is null)
            {
                return (null, pathProblem);
            }

            paths[i] = path;
        }

        if (paths[0] is not null && search is null)
        {
            return (null, $"'{SearchPath}' is set but '{SearchTermName}' is not: say what to look for at that path");
        }

        if (paths[4] is not null && search is not null)
        {
            return (null, $"'{OutcomePathName}' and '{SearchTermName}' both decide the outcome: keep one (the recipient's own outcome, "
                + "or a term to search for)");
        }

        var contentType = input.GetString(ContentTypeOverrideName)?.Trim();
        if (contentType is { Length: 0 })
        {
            contentType = null;
        }

        if (contentType is not null && !System.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out _))
        {
            return (null, $"'{ContentTypeOverrideName}' '{InputText.Shorten(contentType)}' is not a media type (application/json, text/xml)");
        }

        return (new ResponseRules
        {
            FourHundredsAreAnswers = fourHundreds,
            Search = search,
            OnMatch = onMatch,
            SearchAt = paths[0],
            ReasonAt = paths[1],
            PriceAt = paths[2],
            ReferenceAt = paths[3],
            OutcomeAt = paths[4],
            ContentTypeOverride = contentType,
        }, null);
    }

    /// <summary>
    /// The outcome, reason, price and appended data for the recipient's answer. <paramref name="secrets"/> are masked in
    /// any reason quoted from the answer (a recipient may echo what it was sent).
    /// </summary>
    public IntegrationResult Apply(IntegrationResponse response, IReadOnlyCollection<string> secrets)
    {
        try
        {
            return Read(response, secrets);
        }
        catch (RegexMatchTimeoutException)
        {
            return Error("A regular expression in the step's answer rules took too long on the recipient's answer; simplify it",
                response.StatusCode);
        }
    }

    private IntegrationResult Read(IntegrationResponse response, IReadOnlyCollection<string> secrets)
    {
        var status = response.StatusCode;
        switch (status)
        {
            case >= 500:
                return Error($"The recipient failed to take the lead (HTTP {status})", status);
            case 401 or 403 or 407:
                return Error($"The recipient refused the credentials (HTTP {status})", status);
            case 408:
                return Error("The recipient timed out waiting for the request (HTTP 408)", status);
            case 429:
                return Error("The recipient is limiting the rate of requests (HTTP 429)", status);
            case >= 400 and < 500 when !FourHundredsAreAnswers:
                return Rejected(response, secrets);
            case >= 300 and < 400 when Location(response) is { } location:
                return Error($"The recipient redirected the lead to {InputText.Shorten(location)} (HTTP {status}); "
                    + $"set {HttpDelivery.FollowRedirectsName}: true to follow redirects", status);
            case < 200 or (>= 300 and < 400):
                return Error($"Unexpected answer from the recipient (HTTP {status})", status);
        }

        using var body = ResponseBody.Read(response, ContentTypeOverride ?? response.ContentType);
        if (Paths.FirstOrDefault(path => !path.IsPattern) is { } needed && body.Json is null && body.Xml is null)
        {
            return Error($"The recipient's answer cannot be read at '{needed.Name}' {needed.Path}: {body.Problem}", status);
        }

        if (body.Json is not null && Paths.FirstOrDefault(path => path.IsXPath) is { } xpath)
        {
            return Error($"The recipient's answer is JSON, which '{xpath.Name}' {xpath.Path} (an XPath expression) cannot read; write a dot path", status);
        }

        var appended = body.Appended(Reserved);
        appended["status"] = status;

        var outcome = Outcome.Success;
        string? reason = null;
        if (Search is not null)
        {
            var text = SearchAt is null ? body.Text : body.TextAt(SearchAt);
            bool matched;
            try
            {
                matched = text is not null && Search.Matches(text);
            }
            catch (RegexMatchTimeoutException)
            {
                return Error($"The regular expression in '{SearchTermName}' took too long on the recipient's answer; simplify it", status);
            }

            outcome = matched ? OnMatch : OnMatch == Outcome.Success ? Outcome.Failure : Outcome.Success;
            if (outcome != Outcome.Success)
            {
                var where = SearchAt is null ? "The recipient's answer" : $"The recipient's answer at '{SearchAt.Path}'";
                reason = matched ? $"{where} matched {Search}" : text is null ? $"{where} is missing" : $"{where} did not match {Search}";
            }
        }

        if (OutcomeAt is not null)
        {
            var stated = body.TextAt(OutcomeAt)?.Trim();
            switch (stated?.ToUpperInvariant())
            {
                case "SUCCESS":
                    break;
                case "FAILURE":
                    outcome = Outcome.Failure;
                    reason = "The recipient answered failure";
                    break;
                case "ERROR":
                    outcome = Outcome.Error;
                    reason = "The recipient answered error";
                    break;
                case null:
                    return ErrorWith($"The recipient's answer has no outcome at '{OutcomeAt.Path}'", body, status);
                default:
                    return ErrorWith($"The recipient's answer at '{OutcomeAt.Path}' is '{Mask(stated, secrets)}', not success, failure or error",
                        body, status);
            }
        }

        if (ReasonAt is not null && body.TextAt(ReasonAt) is { Length: > 0 } said)
        {
            reason = Mask(said, secrets);
        }

        if (ReferenceAt is not null && body.TextAt(ReferenceAt) is { } reference)
        {
            appended["reference"] = reference;
        }

        decimal? price = null;
        if (PriceAt is not null && body.TextAt(PriceAt) is { } priceText)
        {
            if (ParsePrice(priceText) is { } parsed)
            {
                price = parsed;
            }
            else if (outcome == Outcome.Success)
            {
                // The lead was delivered; an unreadable price must not turn that into an error (a retry would deliver it twice).
                reason = $"No price recorded: the recipient's answer at '{PriceAt.Path}' is not a number ('{Mask(priceText, secrets)}')";
            }
        }

        return new IntegrationResult
        {
            Outcome = outcome,
            Reason = reason,
            Appended = appended,
            Price = outcome == Outcome.Success ? price : null,
        };
    }

    private IntegrationResult Rejected(IntegrationResponse response, IReadOnlyCollection<string> secrets)
    {
        using var body = ResponseBody.Read(response, ContentTypeOverride ?? response.ContentType);
        var appended = body.Appended(Reserved);
        appended["status"] = response.StatusCode;
        if (ReferenceAt is not null && body.TextAt(ReferenceAt) is { } reference)
        {
            appended["reference"] = reference;
        }

        var reason = $"The recipient rejected the lead (HTTP {response.StatusCode})";
        if (ReasonAt is not null && body.TextAt(ReasonAt) is { Length: > 0 } said)
        {
            reason = $"{reason}: {Mask(said, secrets)}";
        }

        return IntegrationResult.Failure(reason, appended);
    }

    private static string? Location(IntegrationResponse response) =>
        response.Headers.FirstOrDefault(header => header.Key.Equals("Location", StringComparison.OrdinalIgnoreCase)).Value is { Length: > 0 } location
            ? location
            : null;

    // An answer the rules cannot use, still appended: the recipient may have taken the lead, so what it said matters.
    private static IntegrationResult ErrorWith(string reason, ResponseBody body, int status)
    {
        var appended = body.Appended(Reserved);
        appended["status"] = status;
        return new IntegrationResult { Outcome = Outcome.Error, Reason = reason, Appended = appended };
    }

    private static IntegrationResult Error(string reason, int status) => new()
    {
        Outcome = Outcome.Error,
        Reason = reason,
        Appended = new Dictionary<string, object?>(StringComparer.Ordinal) { ["status"] = status },
    };

    private static decimal? ParsePrice(string text)
    {
        var trimmed = text.Trim().TrimStart('$').Replace(",", "", StringComparison.Ordinal);
        return decimal.TryParse(trimmed, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out var price) ? price : null;
    }

    private static string Mask(string text, IReadOnlyCollection<string> secrets)
    {
        var masked = InputText.Shorten(text.Trim());
        foreach (var secret in secrets.Where(secret => secret.Length >= 4))
        {
            masked = masked.Replace(secret, "***", StringComparison.Ordinal);
        }

        return masked;
    }

    private static string FlagProblem(IntegrationInput input, string name) =>
        $"'{name}' must be true or false, not '{InputText.Shorten(input.GetString(name) ?? "")}'";
}

/// <summary>
/// What is searched for in the answer: plain text (case-insensitive unless asked), or a regular expression when written
/// between slashes (<c>/accept(ed)?/</c>), LeadConduit's convention.
/// </summary>
internal sealed record SearchTerm(string Term, bool IsPattern, bool CaseSensitive)
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(250);

    public static (SearchTerm? Term, string? Problem) Read(string term, bool caseSensitive)
    {
        if (term.Length >= 2 && term[0] == '/' && term[^1] == '/')
        {
            var pattern = term[1..^1];
            try
            {
                _ = new Regex(pattern, Options(caseSensitive), MatchTimeout);
            }
            catch (ArgumentException e)
            {
                return (null, $"'{ResponseRules.SearchTermName}' {InputText.Shorten(term)} is not a valid regular expression: {e.Message}");
            }

            return (new SearchTerm(pattern, true, caseSensitive), null);
        }

        return (new SearchTerm(term, false, caseSensitive), null);
    }

    /// <summary>Whether <paramref name="text"/> contains the term (or matches the pattern).</summary>
    /// <exception cref="RegexMatchTimeoutException">The pattern took too long on this text.</exception>
    public bool Matches(string text) => IsPattern
        ? Regex.IsMatch(text, Term, Options(CaseSensitive), MatchTimeout)
        : text.Contains(Term, CaseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);

    public override string ToString() => IsPattern ? $"/{InputText.Shorten(Term)}/" : $"'{InputText.Shorten(Term)}'";

    private static RegexOptions Options(bool caseSensitive) =>
        RegexOptions.CultureInvariant | (caseSensitive ? RegexOptions.None : RegexOptions.IgnoreCase);
}
