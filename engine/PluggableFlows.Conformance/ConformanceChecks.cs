namespace PluggableFlows.Conformance;

/// <summary>The stable names of the conformance checks (what <c>pflow plugin verify</c> prints and tests assert on).</summary>
public static class ConformanceChecks
{
    /// <summary>Id dotted lower-case, name, kind, class and cost consistent, names unique, reserved names unused, one of the two shapes.</summary>
    public const string DescriptorComplete = "descriptor-complete";

    /// <summary>Every request and response variable has a known field type.</summary>
    public const string VariablesTyped = "variables-typed";

    /// <summary>Every sample gives its expected outcome and appended values, and maps only declared inputs and credentials.</summary>
    public const string SamplesMatch = "samples-match";

    /// <summary>A sample expecting success exists and succeeds.</summary>
    public const string SuccessSample = "success-sample";

    /// <summary>A sample of the provider saying no exists and gives failure.</summary>
    public const string ProviderRejection = "provider-rejection";

    /// <summary>400/404/422 give failure; 401/403 and 429 give error.</summary>
    public const string Http4xx = "http-4xx";

    /// <summary>500/502/503/504 give error.</summary>
    public const string Http5xx = "http-5xx";

    /// <summary>A provider that never answers gives error once the step timeout passes.</summary>
    public const string Timeout = "timeout";

    /// <summary>A 200 with a body that cannot be parsed, or an empty one, gives error.</summary>
    public const string MalformedBody = "malformed-body";

    /// <summary>Without a required credential the integration gives error or skip.</summary>
    public const string MissingCredential = "missing-credential";

    /// <summary>Every result has one of the four defined outcomes.</summary>
    public const string OutcomesValid = "outcomes-valid";

    /// <summary>Every appended key is a declared response variable.</summary>
    public const string AppendedFieldsDeclared = "appended-fields-declared";

    /// <summary>No exception escapes the plugin's own methods.</summary>
    public const string NoExceptionEscapes = "no-exception-escapes";

    /// <summary>A cancelled call finishes promptly.</summary>
    public const string CancellationHonoured = "cancellation-honoured";

    /// <summary>Concurrent calls give the same requests and results as the same calls run alone.</summary>
    public const string ConcurrentCallsIsolated = "concurrent-calls-isolated";

    /// <summary>No credential, in any common encoding, appears in a transcript, a reason or appended data.</summary>
    public const string SecretsMasked = "secrets-masked";

    /// <summary>Every check name, in the order reports list them.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        DescriptorComplete, VariablesTyped, SamplesMatch, SuccessSample, ProviderRejection, Http4xx, Http5xx, Timeout,
        MalformedBody, MissingCredential, OutcomesValid, AppendedFieldsDeclared, NoExceptionEscapes, CancellationHonoured,
        ConcurrentCallsIsolated, SecretsMasked,
    ];
}
