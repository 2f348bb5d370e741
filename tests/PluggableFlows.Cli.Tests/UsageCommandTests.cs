using System.Text.RegularExpressions;
using PluggableFlows.Engine.Storage;
using PluggableFlows.Sdk;

namespace PluggableFlows.Cli.Tests;

public class UsageCommandTests
{
    [Fact]
    public async Task Usage_counts_the_submissions_and_step_invocations_of_a_run_and_charges_its_add_on_calls()
    {
        var workspace = Pflow.Workspace();
        var leads = File.ReadAllLines(Path.Combine(workspace, "scripts", "leads", "auto-insurance.csv")).Length - 1;
        var run = await Pflow.ProcessAsync(workspace,
            "run", "scripts/flows/auto-insurance.yaml", "scripts/leads/auto-insurance.csv", "--store", "data/usage.db");
        run.Exit.ShouldBe(0, run.Err);

        var (exit, output, error) = await Pflow.ProcessAsync(workspace, "usage", "--from", "2000-01-01", "--store", "data/usage.db");

        error.ShouldBeEmpty();
        exit.ShouldBe(0);
        Row(output, "submissions").Last().ShouldBe(leads.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        Row(output, "auto-insurance")[0].ShouldBe(leads.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        Row(output, "file.jsonl")[0].ShouldBe("BYOC");
        var phone = Row(output, "phone.verify");
        phone[0].ShouldBe("add-on");
        var billable = int.Parse(phone[2], System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture);
        billable.ShouldBeGreaterThan(0);
        billable.ShouldBeLessThanOrEqualTo(leads);
        decimal.Parse(phone[4], System.Globalization.CultureInfo.InvariantCulture).ShouldBe(billable * 0.005m);
        output.ShouldNotContain("Accrued add-on charges: 0.00");
    }

    [Fact]
    public async Task Two_runs_writing_one_store_at_once_record_every_lead()
    {
        var workspace = Pflow.Workspace();
        var leads = File.ReadAllLines(Path.Combine(workspace, "scripts", "leads", "auto-insurance.csv")).Length - 1;

        var runs = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Pflow.ProcessAsync(workspace,
            "run", "scripts/flows/auto-insurance.yaml", "scripts/leads/auto-insurance.csv", "--store", "data/shared.db")));

        runs.ShouldAllBe(r => r.Exit == 0);
        using var store = new SqliteStore(new StoreOptions { Path = Path.Combine(workspace, "data", "shared.db") });
        var report = await new SqliteUsageLedger(store).GetReportAsync(DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue.AddYears(-1));
        report.Totals.Submissions.ShouldBe(2 * leads);
    }

    [Fact]
    public async Task Usage_shows_add_on_charges_per_add_on_and_per_flow_within_the_period()
    {
        var store = TempStorePath();
        using (var sqlite = new SqliteStore(new StoreOptions { Path = store }))
        {
            var ledger = new SqliteUsageLedger(sqlite);
            var may10 = new DateTimeOffset(2025, 5, 10, 9, 30, 0, TimeSpan.Zero);
            for (var i = 0; i < 3; i++)
            {
                await ledger.RecordAsync(Lead(may10, $"lead-{i}", 0.005m));
            }

            await ledger.RecordAsync(Lead(new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero), "june", 0.005m));
        }

        var (exit, output, error) = await Pflow.InProcessAsync("", "usage", "--from", "2025-05-01", "--to", "2025-05-31", "--store", store);

        error.ShouldBeEmpty();
        exit.ShouldBe(0);
        output.ShouldContain("Usage 2025-05-01 00:00:00Z to 2025-06-01 00:00:00Z");
        Row(output, "phone.verify").ShouldBe(["add-on", "3", "3", "0.005", "0.015"]);
        Row(output, "crm.post").ShouldBe(["BYOC", "3", "0", "-", "0.00"]);
        Row(output, "auto-insurance").ShouldBe(["3", "6", "3", "0.015"]);
        Row(output, "step invocations").ShouldBe(["5", "1", "0", "0", "6"]);
        output.ShouldContain("Accrued add-on charges: 0.015");
    }

    [Fact]
    public async Task Usage_explains_a_date_it_cannot_read()
    {
        var (exit, _, error) = await Pflow.InProcessAsync("", "usage", "--from", "2025-13-01", "--store", TempStorePath());

        exit.ShouldBe(2);
        error.ShouldContain("--from '2025-13-01' is not a date");
        error.ShouldContain("yyyy-MM-dd");
    }

    [Fact]
    public async Task Usage_without_a_store_says_nothing_was_recorded_and_creates_no_file()
    {
        var store = TempStorePath();

        var (exit, output, _) = await Pflow.InProcessAsync("", "usage", "--store", store);

        exit.ShouldBe(0);
        output.ShouldContain("No usage recorded");
        File.Exists(store).ShouldBeFalse();
    }

    internal static string TempStorePath() =>
        Path.Combine(Path.GetTempPath(), "pflow-tests", Guid.NewGuid().ToString("N"), "pflow.db");

    // The cells after the first of the table row that starts with `first`.
    internal static string[] Row(string output, string first)
    {
        var line = output.Split('\n').FirstOrDefault(l => Regex.IsMatch(l, $@"^│\s*{Regex.Escape(first)}\s*│"));
        line.ShouldNotBeNull($"no table row '{first}' in:\n{output}");
        return [.. line.Split('│', StringSplitOptions.RemoveEmptyEntries).Select(c => c.Trim()).Where(c => c.Length > 0).Skip(1)];
    }

    private static UsageRecord[] Lead(DateTimeOffset time, string lead, decimal phoneCost) =>
    [
        new(time, UsageKind.StepInvocation, "auto-insurance", "web", lead, "phone_check", "phone.verify", IntegrationClass.AddOn,
            lead == "lead-0" ? Outcome.Failure : Outcome.Success, 1, phoneCost),
        new(time, UsageKind.StepInvocation, "auto-insurance", "web", lead, "crm", "crm.post", IntegrationClass.Byoc, Outcome.Success, 0, 0m),
        new(time, UsageKind.Submission, "auto-insurance", "web", lead, null, null, null, Outcome.Success, 0, 0m),
    ];
}
