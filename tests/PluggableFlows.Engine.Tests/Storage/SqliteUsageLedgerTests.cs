using PluggableFlows.Engine.Storage;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Tests.Storage;

public class SqliteUsageLedgerTests
{
    private static readonly DateTimeOffset May1 = new(2025, 5, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset June1 = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Report_adds_up_add_on_charges_per_add_on_and_per_flow_exactly()
    {
        using var temp = new TempStore();
        var ledger = new SqliteUsageLedger(temp.Store);
        // auto: three leads, each phone-verified (0.005) and delivered through a BYOC CRM; one email check (0.0025).
        for (var i = 0; i < 3; i++)
        {
            await ledger.RecordAsync(Lead(May1.AddDays(i), "auto", $"a{i}", Outcome.Success,
                Step("phone.verify", IntegrationClass.AddOn, Outcome.Success, 0.005m),
                Step("crm.post", IntegrationClass.Byoc, Outcome.Success, 0m)));
        }

        await ledger.RecordAsync(Lead(May1.AddDays(4), "home", "h1", Outcome.Failure,
            Step("email.verify", IntegrationClass.AddOn, Outcome.Failure, 0.0025m),
            Step("phone.verify", IntegrationClass.AddOn, Outcome.Error, 0m)));

        var report = await ledger.GetReportAsync(May1, June1);

        report.Integrations.Select(i => (i.IntegrationId, i.Transactions, i.BillableUnits, i.Cost)).ShouldBe(
        [
            ("phone.verify", 4L, 3L, 0.015m),
            ("email.verify", 1L, 1L, 0.0025m),
            ("crm.post", 3L, 0L, 0m),
        ]);
        report.Integrations[0].UnitCost.ShouldBe(0.005m);
        report.Integrations[2].Class.ShouldBe(IntegrationClass.Byoc);
        report.Integrations[2].UnitCost.ShouldBeNull();
        report.Flows.Select(f => (f.FlowId, f.Submissions, f.StepInvocations, f.BillableUnits, f.AddOnCost)).ShouldBe(
        [
            ("auto", 3L, 6L, 3L, 0.015m),
            ("home", 1L, 2L, 1L, 0.0025m),
        ]);
        report.Totals.ShouldBe(new UsageTotals(4, 8, 4, 0.0175m));
    }

    [Fact]
    public async Task Report_counts_transactions_by_kind_and_outcome()
    {
        using var temp = new TempStore();
        var ledger = new SqliteUsageLedger(temp.Store);
        await ledger.RecordAsync(Lead(May1, "auto", "1", Outcome.Success, Step("phone.verify", IntegrationClass.AddOn, Outcome.Success, 0.005m)));
        await ledger.RecordAsync(Lead(May1, "auto", "2", Outcome.Failure, Step("phone.verify", IntegrationClass.AddOn, Outcome.Failure, 0.005m)));
        await ledger.RecordAsync(Lead(May1, "auto", "3", Outcome.Failure, Step("phone.verify", IntegrationClass.AddOn, Outcome.Error, 0m)));
        await ledger.RecordAsync(Lead(May1, "auto", "4", Outcome.Error));

        var report = await ledger.GetReportAsync(May1, June1);

        report.Count(UsageKind.Submission, Outcome.Success).ShouldBe(1);
        report.Count(UsageKind.Submission, Outcome.Failure).ShouldBe(2);
        report.Count(UsageKind.Submission, Outcome.Error).ShouldBe(1);
        report.Count(UsageKind.StepInvocation, Outcome.Success).ShouldBe(1);
        report.Count(UsageKind.StepInvocation, Outcome.Failure).ShouldBe(1);
        report.Count(UsageKind.StepInvocation, Outcome.Error).ShouldBe(1);
        report.Count(UsageKind.StepInvocation, Outcome.Skip).ShouldBe(0);
    }

    [Fact]
    public async Task Report_window_includes_its_start_and_excludes_its_end()
    {
        using var temp = new TempStore();
        var ledger = new SqliteUsageLedger(temp.Store);
        await ledger.RecordAsync(Lead(May1.AddMilliseconds(-1), "auto", "before", Outcome.Success, Step("phone.verify", IntegrationClass.AddOn, Outcome.Success, 1m)));
        await ledger.RecordAsync(Lead(May1, "auto", "first", Outcome.Success, Step("phone.verify", IntegrationClass.AddOn, Outcome.Success, 0.005m)));
        await ledger.RecordAsync(Lead(June1.AddMilliseconds(-1), "auto", "last", Outcome.Success, Step("phone.verify", IntegrationClass.AddOn, Outcome.Success, 0.005m)));
        await ledger.RecordAsync(Lead(June1, "auto", "after", Outcome.Success, Step("phone.verify", IntegrationClass.AddOn, Outcome.Success, 1m)));

        var report = await ledger.GetReportAsync(May1, June1);

        report.Totals.ShouldBe(new UsageTotals(2, 2, 2, 0.01m));
    }

    [Fact]
    public async Task Report_of_an_empty_period_is_all_zeros()
    {
        using var temp = new TempStore();

        var report = await new SqliteUsageLedger(temp.Store).GetReportAsync(May1, June1);

        report.Integrations.ShouldBeEmpty();
        report.Flows.ShouldBeEmpty();
        report.Outcomes.ShouldBeEmpty();
        report.Totals.ShouldBe(new UsageTotals(0, 0, 0, 0m));
    }

    [Fact]
    public async Task Records_survive_closing_and_reopening_the_file()
    {
        using var temp = new TempStore();
        await new SqliteUsageLedger(temp.Store).RecordAsync(Lead(May1, "auto", "1", Outcome.Success,
            Step("phone.verify", IntegrationClass.AddOn, Outcome.Success, 0.005m)));

        var report = await new SqliteUsageLedger(temp.Reopen()).GetReportAsync(May1, June1);

        report.Totals.ShouldBe(new UsageTotals(1, 1, 1, 0.005m));
    }

    [Fact]
    public async Task One_leads_records_are_written_together_or_not_at_all()
    {
        using var temp = new TempStore();
        var ledger = new SqliteUsageLedger(temp.Store);
        var broken = Lead(May1, "auto", "1", Outcome.Success, Step("phone.verify", IntegrationClass.AddOn, Outcome.Success, 0.005m))
            .Append(new UsageRecord(May1, UsageKind.StepInvocation, "auto", "web", "1", "bad", "x", IntegrationClass.AddOn, (Outcome)42, 1, 1m))
            .ToArray();

        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => ledger.RecordAsync(broken).AsTask());

        (await ledger.GetReportAsync(May1, June1)).Totals.ShouldBe(new UsageTotals(0, 0, 0, 0m));
    }

    [Fact]
    public async Task Concurrent_leads_are_all_recorded()
    {
        using var temp = new TempStore();
        var ledger = new SqliteUsageLedger(temp.Store);

        await Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, token) =>
            await ledger.RecordAsync(Lead(May1, "auto", i.ToString(System.Globalization.CultureInfo.InvariantCulture), Outcome.Success,
                Step("phone.verify", IntegrationClass.AddOn, Outcome.Success, 0.005m)), token));

        (await ledger.GetReportAsync(May1, June1)).Totals.ShouldBe(new UsageTotals(200, 200, 200, 1.000m));
    }

    [Theory]
    [InlineData("0.005", 5_000)]
    [InlineData("1.25", 1_250_000)]
    [InlineData("0.0000005", 0)] // half a millionth rounds to even
    [InlineData("0.0000015", 2)]
    [InlineData("0", 0)]
    public void Money_is_kept_in_whole_millionths(string amount, long micros)
    {
        var value = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture);

        SqliteUsageLedger.ToMicros(value).ShouldBe(micros);
    }

    private static UsageRecord[] Lead(DateTimeOffset time, string flow, string lead, Outcome outcome, params StepCall[] steps) =>
    [
        .. steps.Select(s => new UsageRecord(time, UsageKind.StepInvocation, flow, "web", lead, s.Integration.Split('.')[0], s.Integration,
            s.Class, s.Outcome, s.Cost > 0 ? 1 : 0, s.Cost)),
        new UsageRecord(time, UsageKind.Submission, flow, "web", lead, null, null, null, outcome, 0, 0m),
    ];

    private static StepCall Step(string integration, IntegrationClass integrationClass, Outcome outcome, decimal cost) =>
        new(integration, integrationClass, outcome, cost);

    private sealed record StepCall(string Integration, IntegrationClass Class, Outcome Outcome, decimal Cost);
}
