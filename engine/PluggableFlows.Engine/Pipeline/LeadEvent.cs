using PluggableFlows.Engine.Rules;
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
    IReadOnlyList<LeadEvent> Events);

/// <summary>One lead as submitted: raw field values keyed by the source's names.</summary>
/// <param name="SourceId">The source sending it.</param>
/// <param name="Fields">Raw values by field name (vendor names are mapped by the source's mappings).</param>
/// <param name="Ip">The submitter's address, when known.</param>
public sealed record LeadSubmission(string SourceId, IReadOnlyDictionary<string, string?> Fields, string? Ip = null);
