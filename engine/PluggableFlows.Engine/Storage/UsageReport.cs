using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Storage;

/// <summary>What the usage ledger holds for a period: accrued add-on charges (an invoice view) and transaction counts.</summary>
/// <param name="From">Start of the period (inclusive).</param>
/// <param name="To">End of the period (exclusive).</param>
/// <param name="Integrations">Per integration called in the period: add-ons with their charges, BYOC integrations counted
/// but never charged. Ordered by amount, then id.</param>
/// <param name="Flows">Per flow: submissions, step invocations and add-on charges. Ordered by flow id.</param>
/// <param name="Totals">The whole period.</param>
/// <param name="Outcomes">Transactions by kind and outcome (only the combinations that occurred).</param>
public sealed record UsageReport(
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<IntegrationUsage> Integrations,
    IReadOnlyList<FlowUsage> Flows,
    UsageTotals Totals,
    IReadOnlyList<OutcomeCount> Outcomes)
{
    /// <summary>How many transactions of <paramref name="kind"/> ended in <paramref name="outcome"/>.</summary>
    public long Count(UsageKind kind, Outcome outcome) =>
        Outcomes.Where(o => o.Kind == kind && o.Outcome == outcome).Sum(o => o.Transactions);
}

/// <summary>One integration's transactions in a period.</summary>
/// <param name="IntegrationId">The integration.</param>
/// <param name="Class">Add-on or BYOC.</param>
/// <param name="Transactions">Step invocations.</param>
/// <param name="BillableUnits">Transactions charged (add-on calls that reached the provider).</param>
/// <param name="Cost">The accrued charge.</param>
public sealed record IntegrationUsage(string IntegrationId, IntegrationClass? Class, long Transactions, long BillableUnits, decimal Cost)
{
    /// <summary>Cost per billable unit (an average when the add-on's price changed within the period); null when nothing
    /// was billed.</summary>
    public decimal? UnitCost => BillableUnits == 0 ? null : Cost / BillableUnits;
}

/// <summary>One flow's transactions in a period.</summary>
/// <param name="FlowId">The flow.</param>
/// <param name="Submissions">Leads submitted.</param>
/// <param name="StepInvocations">Integration calls made by its steps.</param>
/// <param name="BillableUnits">Add-on transactions charged.</param>
/// <param name="AddOnCost">The accrued add-on charge.</param>
public sealed record FlowUsage(string FlowId, long Submissions, long StepInvocations, long BillableUnits, decimal AddOnCost);

/// <summary>A period's totals.</summary>
/// <param name="Submissions">Leads submitted.</param>
/// <param name="StepInvocations">Integration calls.</param>
/// <param name="BillableUnits">Add-on transactions charged.</param>
/// <param name="Cost">Accrued add-on charges.</param>
public sealed record UsageTotals(long Submissions, long StepInvocations, long BillableUnits, decimal Cost);

/// <summary>Transactions of one kind that ended in one outcome.</summary>
/// <param name="Kind">Submission or step invocation.</param>
/// <param name="Outcome">The lead's or the step's outcome.</param>
/// <param name="Transactions">How many.</param>
public sealed record OutcomeCount(UsageKind Kind, Outcome Outcome, long Transactions);
