using System.Text.RegularExpressions;
using DnsClient;
using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.Email;

/// <summary>
/// <c>email.verify</c>: checks an email address's syntax, normalizes it, says whether its domain is a free or a
/// disposable mailbox provider, suggests a fix for a mistyped popular domain and, when asked, looks up the domain's
/// mail server. An add-on, billed per call.
/// </summary>
public sealed partial class EmailVerify : IHandlerIntegration, IConformanceSamples
{
    /// <summary>The reason given for an address that is not a well-formed email address.</summary>
    public const string InvalidReason = "Invalid email address";

    /// <summary>The reason given for an address at a throw-away mailbox provider.</summary>
    public const string DisposableReason = "Disposable email domain";

    /// <summary>The reason given when the MX lookup found no mail server for the domain.</summary>
    public const string NoMailServerReason = "Email domain has no mail server";

    private const int MaxLength = 254;
    private const int MaxUserLength = 64;

    private readonly IMailExchangeLookup _mailExchange;

    /// <summary>Creates the integration, looking up mail servers through the system's DNS servers.</summary>
    public EmailVerify()
        : this(DnsMailExchangeLookup.Instance)
    {
    }

    internal EmailVerify(IMailExchangeLookup mailExchange) => _mailExchange = mailExchange;

    /// <inheritdoc />
    public IntegrationDescriptor Descriptor { get; } = new()
    {
        Id = "email.verify",
        Name = "Email verification",
        Kind = IntegrationKind.Enhancement,
        Class = IntegrationClass.AddOn,
        CostPerTransaction = 0.002m,
        RequestVariables =
        [
            new("email", "email", Required: true, "The address to verify, usually lead.email."),
            new("check_mx", "boolean", Description: "Also look up the domain's mail server (MX record). False by default."),
        ],
        ResponseVariables =
        [
            new("valid", "boolean", Description: "Whether the address is well formed."),
            new("normalized", "string", Description: "The address trimmed and lower-cased."),
            new("user", "string", Description: "The part before the @; null when invalid."),
            new("domain", "string", Description: "The part after the @; null when invalid."),
            new("is_free", "boolean", Description: "Whether the domain is a free mailbox provider (gmail.com, yahoo.com, ...)."),
            new("is_disposable", "boolean", Description: "Whether the domain is a throw-away mailbox provider (mailinator.com, ...)."),
            new("suggestion", "email", Description: "The address with a mistyped domain corrected (jane@gmial.com → jane@gmail.com); null when none."),
            new("mx_found", "boolean", Description: "Whether the domain has a mail server; null when not checked."),
        ],
    };

    /// <inheritdoc />
    public IReadOnlyList<ConformanceSample> Samples { get; } =
    [
        new()
        {
            Name = "valid free address",
            Inputs = new Dictionary<string, string> { ["email"] = " Jane.Doe@Gmail.com " },
            ExpectedOutcome = Outcome.Success,
            ExpectedAppended = new Dictionary<string, string>
            {
                ["valid"] = "true", ["normalized"] = "jane.doe@gmail.com", ["user"] = "jane.doe", ["domain"] = "gmail.com",
                ["is_free"] = "true", ["is_disposable"] = "false",
            },
        },
        new()
        {
            Name = "mistyped popular domain",
            Inputs = new Dictionary<string, string> { ["email"] = "jane@gmial.com" },
            ExpectedOutcome = Outcome.Success,
            ExpectedAppended = new Dictionary<string, string> { ["suggestion"] = "jane@gmail.com" },
        },
        new()
        {
            Name = "disposable domain",
            Inputs = new Dictionary<string, string> { ["email"] = "someone@mailinator.com" },
            ExpectedOutcome = Outcome.Failure,
            ExpectedAppended = new Dictionary<string, string> { ["is_disposable"] = "true" },
        },
        new()
        {
            Name = "malformed address",
            Inputs = new Dictionary<string, string> { ["email"] = "jane.doe@" },
            ExpectedOutcome = Outcome.Failure,
            ExpectedAppended = new Dictionary<string, string> { ["valid"] = "false" },
        },
        new()
        {
            Name = "blank address",
            Inputs = new Dictionary<string, string> { ["email"] = "" },
            ExpectedOutcome = Outcome.Skip,
        },
    ];

    /// <inheritdoc />
    public async Task<IntegrationResult> HandleAsync(IntegrationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        var input = context.Input;
        var text = input.GetField("email") is { } field ? field.Raw : input.GetString("email");
        if (string.IsNullOrWhiteSpace(text))
        {
            return IntegrationResult.Skip("No email address to verify");
        }

        var address = Address.Read(text);
        if (!address.Valid)
        {
            return IntegrationResult.Failure(InvalidReason, address.Appended(mxFound: null));
        }

        if (address.IsDisposable)
        {
            return IntegrationResult.Failure(DisposableReason, address.Appended(mxFound: null));
        }

        if (!IsTrue(input["check_mx"]))
        {
            return IntegrationResult.Success(address.Appended(mxFound: null));
        }

        bool mxFound;
        try
        {
            mxFound = await _mailExchange.HasMailExchangeAsync(address.Domain!, cancellationToken);
        }
        catch (DnsResponseException exception)
        {
            // The lookup failed, not the address: retrying may help, and what is known is still appended.
            return new IntegrationResult
            {
                Outcome = Outcome.Error,
                Reason = $"MX lookup for {address.Domain} failed: {exception.Message}",
                Appended = address.Appended(mxFound: null),
            };
        }

        return mxFound
            ? IntegrationResult.Success(address.Appended(mxFound: true))
            : IntegrationResult.Failure(NoMailServerReason, address.Appended(mxFound: false));
    }

    private static bool IsTrue(object? value) => value switch
    {
        bool b => b,
        FieldValue { Value: bool b } => b,
        FieldValue field => IsTrue(field.Normal),
        string s => s.Trim().ToUpperInvariant() is "TRUE" or "T" or "YES" or "Y" or "1",
        _ => false,
    };

    // A practical address: dot-atom local part (no leading, trailing or doubled dots) and a DNS domain whose last label
    // is alphabetic. Quoted local parts and IP-literal domains are legal but never seen in leads. Same as the engine's
    // email field type, so a lead's lead.email.valid and this step's valid agree.
    [GeneratedRegex(
        @"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
        RegexOptions.CultureInvariant)]
    private static partial Regex AddressPattern();

    private sealed record Address(string Normalized, bool Valid, string? User, string? Domain, bool IsFree, bool IsDisposable, string? Suggestion)
    {
        public static Address Read(string text)
        {
            var normalized = text.Trim().ToLowerInvariant();
            var at = normalized.LastIndexOf('@');
            var suggestion = at > 0 && DomainTypos.Suggest(normalized[(at + 1)..]) is { } domain ? normalized[..(at + 1)] + domain : null;
            if (suggestion is not null && !IsWellFormed(suggestion))
            {
                suggestion = null;
            }

            if (!IsWellFormed(normalized))
            {
                return new Address(normalized, false, null, null, false, false, suggestion);
            }

            var host = normalized[(at + 1)..];
            return new Address(normalized, true, normalized[..at], host, DomainLists.Free.Contains(host),
                DomainLists.ContainsDomainOrParent(DomainLists.Disposable, host), suggestion);
        }

        private static bool IsWellFormed(string address) =>
            address.Length <= MaxLength && address.IndexOf('@', StringComparison.Ordinal) is > 0 and <= MaxUserLength
            && AddressPattern().IsMatch(address);

        public Dictionary<string, object?> Appended(bool? mxFound) => new()
        {
            ["valid"] = Valid,
            ["normalized"] = Normalized,
            ["user"] = User,
            ["domain"] = Domain,
            ["is_free"] = IsFree,
            ["is_disposable"] = IsDisposable,
            ["suggestion"] = Suggestion,
            ["mx_found"] = mxFound,
        };
    }
}
