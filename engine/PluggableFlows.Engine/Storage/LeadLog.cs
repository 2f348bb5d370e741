using PluggableFlows.Engine.Pipeline;

namespace PluggableFlows.Engine.Storage;

/// <summary>
/// Where each lead is recorded, with its events, usage, pending retries and idempotency key, as one unit: when
/// <see cref="AppendAsync"/> completes, all of it is durable, so the source is answered only after that.
/// </summary>
public interface ILeadLog
{
    /// <summary>Records one lead; completes when it is durable. Throws when it could not be recorded.</summary>
    ValueTask AppendAsync(LeadResult lead, CancellationToken cancellationToken = default);
}

/// <summary>A log that keeps only the lead's usage records, in a usage ledger (runs with a ledger but no lead store).</summary>
/// <param name="ledger">Where the usage goes.</param>
public sealed class UsageOnlyLeadLog(IUsageLedger ledger) : ILeadLog
{
    /// <inheritdoc />
    public ValueTask AppendAsync(LeadResult lead, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lead);
        return ledger.RecordAsync(lead.Usage, cancellationToken);
    }
}
