using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Storage;

/// <summary>A recorded lead with its timeline, as read back from the store.</summary>
/// <param name="Id">The lead id.</param>
/// <param name="Timestamp">When it was received.</param>
/// <param name="FlowId">The flow.</param>
/// <param name="FlowVersion">The flow's version (content hash) it ran on.</param>
/// <param name="SourceId">The source.</param>
/// <param name="Outcome">The answer's outcome.</param>
/// <param name="Reason">The answer's reason.</param>
/// <param name="Price">The answer's price.</param>
/// <param name="Duration">Total time in the engine.</param>
/// <param name="ProviderWait">Of which waiting on providers.</param>
/// <param name="VarsJson">The lead's own vars as JSON (<see cref="LeadJson.Vars"/>).</param>
/// <param name="Events">Its events in order, retries included.</param>
/// <param name="Retries">Its steps in the retry outbox.</param>
public sealed record StoredLead(
    string Id,
    DateTimeOffset Timestamp,
    string FlowId,
    string FlowVersion,
    string SourceId,
    Outcome Outcome,
    string? Reason,
    decimal Price,
    TimeSpan Duration,
    TimeSpan ProviderWait,
    string VarsJson,
    IReadOnlyList<StoredEvent> Events,
    IReadOnlyList<StoredRetry> Retries)
{
    /// <summary>The engine's own time: <see cref="Duration"/> less <see cref="ProviderWait"/>.</summary>
    public TimeSpan EngineOverhead => Duration - ProviderWait;
}

/// <summary>A recorded event.</summary>
/// <param name="Id">Its id in the store (ascending in recording order; the paging cursor).</param>
/// <param name="LeadId">The lead.</param>
/// <param name="Seq">Its place in the lead's timeline.</param>
/// <param name="Timestamp">When it started.</param>
/// <param name="FlowId">The flow.</param>
/// <param name="FlowVersion">The flow's version.</param>
/// <param name="SourceId">The source.</param>
/// <param name="Kind"><c>acceptance</c>, <c>step</c> or <c>submission</c>.</param>
/// <param name="StepKey">The step key, <c>flow</c>/<c>source</c> for acceptance criteria, null for the submission.</param>
/// <param name="Type"><c>filter</c>, <c>enhancement</c>, <c>delivery</c>, <c>acceptance</c> or <c>submission</c>.</param>
/// <param name="Integration">The integration, for enhancement and delivery steps.</param>
/// <param name="Plugin">The plugin that provided it.</param>
/// <param name="PluginVersion">That plugin's version.</param>
/// <param name="Outcome">The outcome.</param>
/// <param name="Reason">Why.</param>
/// <param name="Attempt">1 for the first attempt, then one more per retry.</param>
/// <param name="Final">False while a retry of the step is pending.</param>
/// <param name="Duration">How long it took.</param>
/// <param name="ProviderWait">Of which waiting on providers.</param>
/// <param name="DataJson">Appended values, price, cost, rule trace and transcript as JSON (<see cref="LeadJson.EventData"/>).</param>
public sealed record StoredEvent(
    long Id,
    string LeadId,
    int Seq,
    DateTimeOffset Timestamp,
    string FlowId,
    string FlowVersion,
    string SourceId,
    string Kind,
    string? StepKey,
    string Type,
    string? Integration,
    string? Plugin,
    string? PluginVersion,
    Outcome Outcome,
    string? Reason,
    int Attempt,
    bool Final,
    TimeSpan Duration,
    TimeSpan ProviderWait,
    string DataJson);

/// <summary>A step of a lead in the retry outbox.</summary>
/// <param name="StepKey">The step.</param>
/// <param name="State"><c>pending</c>, <c>done</c> or <c>failed</c>.</param>
/// <param name="AttemptsMade">Attempts so far, the first included.</param>
/// <param name="MaxAttempts">Attempts allowed.</param>
/// <param name="Due">When the next attempt is due (pending only).</param>
/// <param name="LastReason">The last attempt's reason.</param>
public sealed record StoredRetry(string StepKey, string State, int AttemptsMade, int MaxAttempts, DateTimeOffset Due, string? LastReason);

/// <summary>Which events to read: every filter is optional; newest first, <see cref="Limit"/> at a time.</summary>
public sealed record EventQuery
{
    /// <summary>Only this flow's events.</summary>
    public string? FlowId { get; init; }

    /// <summary>Only this source's events.</summary>
    public string? SourceId { get; init; }

    /// <summary>Only this step's events (<c>flow</c>/<c>source</c> for acceptance criteria).</summary>
    public string? StepKey { get; init; }

    /// <summary>Only events with this outcome.</summary>
    public Outcome? Outcome { get; init; }

    /// <summary>Only events at or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Only events before this time.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>The page size (1 to 1,000).</summary>
    public int Limit { get; init; } = 100;

    /// <summary>The cursor: only events older than the one with this id (the previous page's <see cref="EventPage.Next"/>).</summary>
    public long? Before { get; init; }
}

/// <summary>One page of events, newest first.</summary>
/// <param name="Events">The events.</param>
/// <param name="Next">The cursor for the next page (<see cref="EventQuery.Before"/>), or null on the last.</param>
public sealed record EventPage(IReadOnlyList<StoredEvent> Events, long? Next);

/// <summary>The answer a lead submitted with an idempotency key got.</summary>
/// <param name="LeadId">The lead.</param>
/// <param name="Outcome">Its outcome.</param>
/// <param name="Reason">Its reason.</param>
/// <param name="Price">Its price.</param>
/// <param name="Redirect">The 303 target it was answered with, or null for a 201.</param>
/// <param name="Timestamp">When it was received.</param>
public sealed record IdempotentAnswer(string LeadId, Outcome Outcome, string? Reason, decimal Price, string? Redirect, DateTimeOffset Timestamp);
