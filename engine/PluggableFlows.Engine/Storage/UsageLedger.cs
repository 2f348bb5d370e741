using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Storage;

/// <summary>What a usage record counts.</summary>
public enum UsageKind
{
    /// <summary>One lead submitted to a flow.</summary>
    Submission,

    /// <summary>One enhancement or delivery step that called its integration.</summary>
    StepInvocation,
}

/// <summary>One transaction in the usage ledger: a submission, or one step's call to an integration.</summary>
/// <param name="Time">When it happened (the engine's clock).</param>
/// <param name="Kind">Submission or step invocation.</param>
/// <param name="FlowId">The flow.</param>
/// <param name="SourceId">The source that sent the lead.</param>
/// <param name="LeadId">The lead.</param>
/// <param name="StepKey">The step (step invocations only).</param>
/// <param name="IntegrationId">The integration called (step invocations only).</param>
/// <param name="IntegrationClass">Add-on or BYOC (step invocations only).</param>
/// <param name="Outcome">The step's or the lead's outcome.</param>
/// <param name="BillableUnits">Add-on transactions charged: 1 for an add-on call that reached the provider
/// (success or failure), otherwise 0.</param>
/// <param name="Cost">The charge: billable units × the add-on's cost per transaction.</param>
public sealed record UsageRecord(
    DateTimeOffset Time,
    UsageKind Kind,
    string FlowId,
    string SourceId,
    string LeadId,
    string? StepKey,
    string? IntegrationId,
    IntegrationClass? IntegrationClass,
    Outcome Outcome,
    int BillableUnits,
    decimal Cost);

/// <summary>Records every submission and every step invocation; the source of invoices and transaction counts.</summary>
public interface IUsageLedger
{
    /// <summary>Records one lead's transactions (its submission and its step invocations) together.</summary>
    ValueTask RecordAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken = default);
}

/// <summary>A ledger that keeps nothing (tests, benchmarks, runs without a store).</summary>
public sealed class NullUsageLedger : IUsageLedger
{
    /// <summary>The one instance.</summary>
    public static NullUsageLedger Instance { get; } = new();

    /// <inheritdoc />
    public ValueTask RecordAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}
