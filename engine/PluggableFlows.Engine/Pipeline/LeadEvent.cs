using PluggableFlows.Engine.Rules;
using PluggableFlows.Engine.Storage;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Pipeline;

/// <summary>What an event records.</summary>
public enum EventKind
{
    /// <summary>Flow or source acceptance criteria.</summary>
    Acceptance,

    /// <summary>One step.</summary>
    Step,

    /// <summary>The whole submission: the answer the source got.</summary>
    Submission,
}

/// <summary>One HTTP exchange with a provider, secrets masked.</summary>
public sealed record HttpExchange(
    string Method,
    string Url,
    IReadOnlyList<KeyValuePair<string, string>> RequestHeaders,
    string? RequestBody,
    int? Status,
    IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders,
    string? ResponseBody,
    TimeSpan Duration);

/// <summary>The immutable record of one step, of the acceptance criteria, or of the whole submission.</summary>
public sealed record LeadEvent
{
    /// <summary>The lead.</summary>
    public required string LeadId { get; init; }

    /// <summary>What it records.</summary>
    public required EventKind Kind { get; init; }

    /// <summary>The step key (steps); <c>flow</c> or <c>source</c> for acceptance criteria; null for the submission.</summary>
    public string? StepKey { get; init; }

    /// <summary><c>filter</c>, <c>enhancement</c>, <c>delivery</c>, <c>acceptance</c> or <c>submission</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The integration id, for enhancement and delivery steps.</summary>
    public string? Integration { get; init; }

    /// <summary>The plugin that provided the integration.</summary>
    public string? Plugin { get; init; }

    /// <summary>The plugin's version when the step ran.</summary>
    public string? PluginVersion { get; init; }

    /// <summary>The outcome.</summary>
    public required Outcome Outcome { get; init; }

    /// <summary>Why.</summary>
    public string? Reason { get; init; }

    /// <summary>When it started.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>How long it took in all.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>How much of that was spent waiting on providers.</summary>
    public TimeSpan ProviderWait { get; init; }

    /// <summary>What the step appended.</summary>
    public IReadOnlyDictionary<string, object?> Appended { get; init; } = new Dictionary<string, object?>();

    /// <summary>Price reported (deliveries) or answered (submission).</summary>
    public decimal? Price { get; init; }

    /// <summary>What the step was charged (add-ons that reached the provider).</summary>
    public decimal? Cost { get; init; }

    /// <summary>Rule explanations (criteria, filter, when), when tracing is on.</summary>
    public RuleTrace? Trace { get; init; }

    /// <summary>Provider exchanges, secrets masked.</summary>
    public IReadOnlyList<HttpExchange> Transcript { get; init; } = [];

    /// <summary>Everything known about the lead when the event was recorded.</summary>
    public required LeadVars Vars { get; init; }
}

/// <summary>The result of running one lead: the answer for its source, and every event.</summary>
public sealed record LeadResult(
    string LeadId,
    Outcome Outcome,
    string? Reason,
    decimal Price,
    LeadVars Vars,
    IReadOnlyList<LeadEvent> Events)
{
    /// <summary>The flow it ran through.</summary>
    public string FlowId { get; init; } = "";

    /// <summary>The flow's version (its file's content hash) when it ran.</summary>
    public string FlowVersion { get; init; } = "";

    /// <summary>The source that sent it.</summary>
    public string SourceId { get; init; } = "";

    /// <summary>When it was received.</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>Total time in the engine, from receipt to the answer (recording excluded).</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>How much of <see cref="Duration"/> was spent waiting on providers.</summary>
    public TimeSpan ProviderWait { get; init; }

    /// <summary><see cref="Duration"/> less <see cref="ProviderWait"/>: the engine's own time.</summary>
    public TimeSpan EngineOverhead => Duration - ProviderWait;

    /// <summary>Its usage ledger records: the submission and each step invocation.</summary>
    public IReadOnlyList<UsageRecord> Usage { get; init; } = [];

    /// <summary>The steps to retry off the request path (steps with <c>retry:</c> whose outcome was <c>error</c>).</summary>
    public IReadOnlyList<PendingRetry> Retries { get; init; } = [];

    /// <summary>The idempotency key it was submitted with, recorded with it so a repeat gets the same answer.</summary>
    public IdempotencyClaim? Idempotency { get; init; }
}

/// <summary>One lead as submitted: raw field values keyed by the source's names.</summary>
/// <param name="SourceId">The source sending it.</param>
/// <param name="Fields">Raw values by field name (vendor names are mapped by the source's mappings).</param>
/// <param name="Ip">The submitter's address, when known.</param>
public sealed record LeadSubmission(string SourceId, IReadOnlyDictionary<string, string?> Fields, string? Ip = null)
{
    /// <summary>The submission's idempotency key, when it came with one; recorded with the lead.</summary>
    public IdempotencyClaim? Idempotency { get; init; }
}

/// <summary>A submission's <c>Idempotency-Key</c>, and the redirect it was answered with (web forms).</summary>
/// <param name="Key">The key, as the source sent it.</param>
/// <param name="Redirect">The 303 target of the answer, or null for a 201.</param>
public sealed record IdempotencyClaim(string Key, string? Redirect = null);

/// <summary>A step to retry off the request path: what it was called with, and how to retry it.</summary>
/// <param name="StepKey">The step.</param>
/// <param name="IntegrationId">Its integration.</param>
/// <param name="Inputs">The rendered inputs of the first attempt; every retry sends the same.</param>
/// <param name="Attempts">Total attempts allowed, the first included.</param>
/// <param name="Backoff">The first retry's base delay; each later one doubles, with jitter.</param>
/// <param name="MaxBackoff">The longest delay between two attempts.</param>
/// <param name="Reason">Why the first attempt failed.</param>
public sealed record PendingRetry(
    string StepKey,
    string IntegrationId,
    IReadOnlyDictionary<string, object?> Inputs,
    int Attempts,
    TimeSpan Backoff,
    TimeSpan MaxBackoff,
    string? Reason)
{
    /// <summary>The key sent with every attempt (<c>Idempotency-Key</c>) so the recipient can de-duplicate.</summary>
    public static string IdempotencyKeyFor(string leadId, string stepKey) => $"{leadId}:{stepKey}";
}
