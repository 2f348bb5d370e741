using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.TrustedForm;

/// <summary>
/// <c>trustedform.verify</c>: asks TrustedForm whether a lead's consent certificate is real and still valid, on the flow
/// owner's own API key. Appends the certificate's status, age and dates; an expired or unknown certificate is a failure.
/// </summary>
/// <remarks>
/// The exchange: <c>POST {base_url}/{cert_id}</c> with HTTP Basic auth (user <c>API</c>, password the API key) and a JSON
/// body <c>{"reference": "..."}</c>. TrustedForm answers 200 with
/// <code>
/// { "outcome": "success" | "expired" | "failure",
///   "reason": "text when the outcome is not success",
///   "cert": { "cert_id": "…", "created_at": "2025-03-01T11:58:00Z", "expires_at": "2025-05-30T11:58:00Z", "age_seconds": 120 } }
/// </code>
/// or 404 for a certificate it does not know, 401/403 for a bad key, 429 when rate limited.
/// </remarks>
public sealed partial class TrustedFormVerify : IRequestResponseIntegration, IConformanceSamples
{
    /// <summary>Where certificates are verified unless the step maps <c>base_url</c>.</summary>
    public const string DefaultBaseUrl = "https://cert.trustedform.com";

    /// <summary>The reason given when TrustedForm refuses the credentials.</summary>
    public const string RejectedKeyReason = "TrustedForm rejected the API key";

    private const string ApiKey = "api_key";
    private const int MaxProviderReasonLength = 200;
    private const string SampleCertId = "0123456789abcdef0123456789abcdef01234567";

    /// <inheritdoc />
    public IntegrationDescriptor Descriptor { get; } = new()
    {
        Id = "trustedform.verify",
        Name = "TrustedForm certificate verification",
        Kind = IntegrationKind.Enhancement,
        Class = IntegrationClass.Byoc,
        Credentials = [new(ApiKey, "Your TrustedForm API key (TrustedForm → Settings → API Keys).", Required: true)],
        RequestVariables =
        [
            new("cert_url", "trustedform_url", Required: true, "The lead's certificate URL, usually lead.trustedform_cert_url."),
            new("reference", "string", Description: "Your reference for the lead (its id), stored with the claim by TrustedForm."),
            new("base_url", "url", Description: "Where to verify certificates; " + DefaultBaseUrl + " unless testing against a stub."),
        ],
        ResponseVariables =
        [
            new("status", "string", Description: "valid, expired or unknown (TrustedForm does not know the certificate)."),
            new("age_seconds", "number", Description: "Seconds between the certificate's creation and the check."),
            new("created_at", "time", Description: "When the consent was captured."),
            new("expires_at", "time", Description: "When the certificate can no longer be claimed."),
            new("cert_id", "string", Description: "The certificate id (40 hexadecimal digits)."),
        ],
    };

    /// <inheritdoc />
    public IReadOnlyList<ConformanceSample> Samples { get; } =
    [
        new()
        {
            Name = "valid certificate",
            Inputs = new Dictionary<string, string> { ["cert_url"] = "https://cert.trustedform.com/" + SampleCertId, ["reference"] = "lead-1" },
            Credentials = new Dictionary<string, string> { [ApiKey] = "tf-sample-key-0123456789" },
            Response = Json(200, $$$"""
                {"outcome":"success","cert":{"cert_id":"{{{SampleCertId}}}","created_at":"2025-03-01T11:58:00Z","expires_at":"2025-05-30T11:58:00Z","age_seconds":120}}
                """),
            ExpectedOutcome = Outcome.Success,
            ExpectedAppended = new Dictionary<string, string>
            {
                ["status"] = "valid", ["age_seconds"] = "120", ["cert_id"] = SampleCertId,
                ["created_at"] = "2025-03-01T11:58:00Z", ["expires_at"] = "2025-05-30T11:58:00Z",
            },
        },
        new()
        {
            Name = "expired certificate",
            Inputs = new Dictionary<string, string> { ["cert_url"] = "https://cert.trustedform.com/" + SampleCertId },
            Credentials = new Dictionary<string, string> { [ApiKey] = "tf-sample-key-0123456789" },
            Response = Json(200, $$$"""
                {"outcome":"expired","reason":"Certificate expired","cert":{"cert_id":"{{{SampleCertId}}}","created_at":"2024-11-01T10:00:00Z","expires_at":"2025-01-30T10:00:00Z","age_seconds":10713600}}
                """),
            ExpectedOutcome = Outcome.Failure,
            ExpectedAppended = new Dictionary<string, string> { ["status"] = "expired" },
        },
        new()
        {
            Name = "unknown certificate",
            Inputs = new Dictionary<string, string> { ["cert_url"] = "https://cert.trustedform.com/" + SampleCertId },
            Credentials = new Dictionary<string, string> { [ApiKey] = "tf-sample-key-0123456789" },
            Response = Json(404, """{"message":"Certificate not found"}"""),
            ExpectedOutcome = Outcome.Failure,
            ExpectedAppended = new Dictionary<string, string> { ["status"] = "unknown" },
        },
    ];

    /// <inheritdoc />
    public string? Validate(IntegrationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.GetString("cert_url") is not { } url)
        {
            return "No TrustedForm certificate URL";
        }

        if (CertId(input) is null)
        {
            return $"'{Shorten(url)}' is not a TrustedForm certificate URL";
        }

        return BaseUrl(input) is null ? $"base_url '{Shorten(input.GetString("base_url") ?? "")}' is not an absolute http(s) URL" : null;
    }

    /// <inheritdoc />
    public IntegrationRequest BuildRequest(IntegrationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var certId = CertId(input) ?? "";
        var headers = new List<KeyValuePair<string, string>> { new("Accept", "application/json") };

        // Without a key the request still goes (the SDK lets a request/response integration fail only on an answer);
        // ParseResponse then reports the unmapped credential. pflow check reports it long before that.
        if (input.GetCredential(ApiKey) is { Length: > 0 } key)
        {
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes("API:" + key));
            headers.Add(new("Authorization", new AuthenticationHeaderValue("Basic", token).ToString()));
        }

        return new IntegrationRequest
        {
            Method = "POST",
            Url = new Uri((BaseUrl(input) ?? DefaultBaseUrl) + "/" + certId),
            Headers = headers,
            Body = JsonSerializer.Serialize(new Dictionary<string, string?> { ["reference"] = input.GetString("reference") }),
            ContentType = "application/json",
        };
    }

    /// <inheritdoc />
    public IntegrationResult ParseResponse(IntegrationInput input, IntegrationRequest request, IntegrationResponse response)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(response);
        var key = input.GetCredential(ApiKey);
        if (string.IsNullOrEmpty(key))
        {
            return IntegrationResult.Error($"No TrustedForm API key: map the credential '{ApiKey}' on the step.");
        }

        var certId = CertId(input);
        switch (response.StatusCode)
        {
            case 401 or 403:
                return IntegrationResult.Error(RejectedKeyReason);
            case 404:
                return IntegrationResult.Failure("TrustedForm does not know this certificate", Appended("unknown", certId, null));
            case 410:
                return IntegrationResult.Failure("TrustedForm certificate expired", Appended("expired", certId, null));
            case 400 or 422:
                return IntegrationResult.Failure(WithProviderReason("TrustedForm refused the request", response.Body, key),
                    Appended("unknown", certId, null));
            case 429:
                return IntegrationResult.Error("TrustedForm rate limit reached (HTTP 429)");
            case >= 500:
                return IntegrationResult.Error($"TrustedForm is unavailable (HTTP {response.StatusCode})");
            case < 200 or >= 300:
                return IntegrationResult.Error($"Unexpected answer from TrustedForm (HTTP {response.StatusCode})");
        }

        if (Answer.Read(response.Body) is not { } answer)
        {
            return IntegrationResult.Error("TrustedForm's answer is not the JSON expected (an object with an outcome)");
        }

        var appended = Appended(answer.Status, answer.CertId ?? certId, answer);
        return answer.Status switch
        {
            "valid" => IntegrationResult.Success(appended),
            "expired" => IntegrationResult.Failure(WithReason("TrustedForm certificate expired", answer.Reason, key), appended),
            _ => IntegrationResult.Failure(WithReason("TrustedForm could not verify the certificate", answer.Reason, key), appended),
        };
    }

    private static Dictionary<string, object?> Appended(string status, string? certId, Answer? answer) => new()
    {
        ["status"] = status,
        ["age_seconds"] = answer?.AgeSeconds,
        ["created_at"] = answer?.CreatedAt,
        ["expires_at"] = answer?.ExpiresAt,
        ["cert_id"] = certId,
    };

    private static string? CertId(IntegrationInput input)
    {
        if (input.GetField("cert_url") is { Valid: true } field && field["cert_id"] is string id && id.Length == 40)
        {
            return id;
        }

        var match = input.GetString("cert_url") is { } url ? CertificatePattern().Match(url.Trim()) : Match.Empty;
        return match.Success ? match.Groups["id"].Value.ToLowerInvariant() : null;
    }

    private static string? BaseUrl(IntegrationInput input)
    {
        var text = input.GetString("base_url")?.Trim() ?? DefaultBaseUrl;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Query.Length == 0
            ? text.TrimEnd('/')
            : null;
    }

    private static string WithProviderReason(string reason, string body, string key)
    {
        string? message = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                message = Text(document.RootElement, "message") ?? Text(document.RootElement, "reason");
            }
        }
        catch (JsonException)
        {
            message = null;
        }

        return WithReason(reason, message, key);
    }

    // The provider's words help the person reading the timeline, but are kept short and never carry the key.
    private static string WithReason(string reason, string? providerReason, string key)
    {
        if (string.IsNullOrWhiteSpace(providerReason))
        {
            return reason;
        }

        var text = Shorten(providerReason.Trim()).Replace(key, "***", StringComparison.Ordinal);
        return $"{reason}: {text}";
    }

    private static string Shorten(string text) =>
        text.Length <= MaxProviderReasonLength ? text : text[..MaxProviderReasonLength] + "…";

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IntegrationResponse Json(int status, string body) =>
        new() { StatusCode = status, Body = body.Trim(), ContentType = "application/json" };

    [GeneratedRegex(@"^https?://(?:cert|ping)\.trustedform\.com/(?<id>[0-9a-f]{40})(?:[/?#]\S*)?$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CertificatePattern();

    /// <summary>The parts of a 200 answer the integration reads; null when the body is not the expected JSON.</summary>
    private sealed record Answer(string Status, string? Reason, string? CertId, string? CreatedAt, string? ExpiresAt, long? AgeSeconds)
    {
        public static Answer? Read(string body)
        {
            if (string.IsNullOrWhiteSpace(body))
            {
                return null;
            }

            try
            {
                using var document = JsonDocument.Parse(body);
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object || Text(root, "outcome") is not { } outcome)
                {
                    return null;
                }

                var cert = root.TryGetProperty("cert", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
                var status = outcome.ToUpperInvariant() switch
                {
                    "SUCCESS" => "valid",
                    "EXPIRED" => "expired",
                    _ => "unknown",
                };
                return new Answer(status, Text(root, "reason"), Id(cert), Time(cert, "created_at"), Time(cert, "expires_at"), Age(cert));
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private static string? Id(JsonElement cert) =>
            cert.ValueKind == JsonValueKind.Object && Text(cert, "cert_id") is { Length: 40 } id && id.All(char.IsAsciiHexDigit)
                ? id.ToLowerInvariant()
                : null;

        // Times are appended in one form, ISO-8601 UTC, whatever offset the provider wrote them with.
        private static string? Time(JsonElement cert, string name) =>
            cert.ValueKind == JsonValueKind.Object && Text(cert, name) is { } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
                ? time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
                : null;

        private static long? Age(JsonElement cert) =>
            cert.ValueKind == JsonValueKind.Object && cert.TryGetProperty("age_seconds", out var age)
            && age.ValueKind == JsonValueKind.Number && age.TryGetDouble(out var seconds) && seconds is >= 0 and < long.MaxValue
                ? (long)seconds
                : null;
    }
}
