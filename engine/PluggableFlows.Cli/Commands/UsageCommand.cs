using System.CommandLine;
using System.Globalization;
using PluggableFlows.Engine.Storage;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;
using Spectre.Console;

namespace PluggableFlows.Cli.Commands;

/// <summary><c>pflow usage</c>: accrued add-on charges per add-on and per flow (an invoice view) and transaction counts.</summary>
internal static class UsageCommand
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static Command Create(CliContext context)
    {
        var from = new Option<string?>("--from") { Description = "Start of the period, inclusive: yyyy-MM-dd (UTC) or ISO-8601 (default: the first day of this month)." };
        var to = new Option<string?>("--to") { Description = "End of the period: yyyy-MM-dd includes that whole day (UTC); an ISO-8601 instant is exclusive (default: now)." };
        var store = StoreOption.Create();
        var command = new Command("usage", "Accrued add-on charges per add-on and per flow, and transaction counts, for a period.") { from, to, store };
        command.SetAction((parsed, cancellationToken) =>
            RunAsync(context, parsed.GetValue(from), parsed.GetValue(to), parsed.GetValue(store)!, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string? fromText, string? toText, string storePath, CancellationToken cancellationToken)
    {
        var now = context.Time.GetUtcNow();
        foreach (var (option, text, endOfDay) in new[] { ("--from", fromText, false), ("--to", toText, true) })
        {
            if (!TimeBound.TryParse(text, endOfDay, out _))
            {
                context.Error.WriteLine($"{option} '{text}' is not a date: use yyyy-MM-dd (a whole day, UTC) or an ISO-8601 instant " +
                    "such as 2025-05-01T08:00:00Z.");
                return 2;
            }
        }

        TimeBound.TryParse(fromText, endOfDay: false, out var from);
        TimeBound.TryParse(toText, endOfDay: true, out var to);
        from ??= new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        to ??= now;
        if (to <= from)
        {
            context.Error.WriteLine($"The period is empty: --to ({Instant(to.Value)}) must be after --from ({Instant(from.Value)}).");
            return 2;
        }

        if (!File.Exists(storePath))
        {
            context.Console.WriteLine($"No usage recorded: {storePath} does not exist (pflow run --store {storePath} creates it).");
            return 0;
        }

        using var sqlite = StoreOption.Open(storePath);
        var report = await new SqliteUsageLedger(sqlite).GetReportAsync(from.Value, to.Value, cancellationToken);
        Write(context.Console, report, storePath);
        return 0;
    }

    private static void Write(IAnsiConsole console, UsageReport report, string storePath)
    {
        console.MarkupLineInterpolated($"Usage {Instant(report.From)} to {Instant(report.To)} ({storePath})");
        console.WriteLine();

        var charges = new Table().Title("Add-on charges")
            .AddColumns("integration", "class", "transactions", "billable", "unit cost", "amount");
        foreach (var column in charges.Columns.Skip(2))
        {
            column.RightAligned();
        }

        foreach (var integration in report.Integrations)
        {
            charges.AddRow(Markup.Escape(integration.IntegrationId), ClassName(integration.Class), Count(integration.Transactions),
                Count(integration.BillableUnits), integration.UnitCost is { } unit ? Money(unit) : "-", Money(integration.Cost));
        }

        if (report.Integrations.Count == 0)
        {
            charges.AddRow("(none)");
        }

        charges.AddEmptyRow();
        charges.AddRow("total", "", Count(report.Totals.StepInvocations), Count(report.Totals.BillableUnits), "",
            $"{Money(report.Totals.Cost)}");
        console.Write(charges);

        var flows = new Table().Title("By flow").AddColumns("flow", "submissions", "step invocations", "billable", "add-on charges");
        foreach (var column in flows.Columns.Skip(1))
        {
            column.RightAligned();
        }

        foreach (var flow in report.Flows)
        {
            flows.AddRow(Markup.Escape(flow.FlowId), Count(flow.Submissions), Count(flow.StepInvocations), Count(flow.BillableUnits), Money(flow.AddOnCost));
        }

        if (report.Flows.Count == 0)
        {
            flows.AddRow("(none)");
        }

        console.Write(flows);

        Outcome[] outcomes = [Outcome.Success, Outcome.Failure, Outcome.Error, Outcome.Skip];
        var transactions = new Table().Title("Transactions").AddColumn("kind");
        foreach (var outcome in outcomes)
        {
            transactions.AddColumn(new TableColumn(OutcomeNames.Of(outcome)).RightAligned());
        }

        transactions.AddColumn(new TableColumn("total").RightAligned());
        foreach (var (kind, name, total) in new[]
                 {
                     (UsageKind.Submission, "submissions", report.Totals.Submissions),
                     (UsageKind.StepInvocation, "step invocations", report.Totals.StepInvocations),
                 })
        {
            transactions.AddRow([name, .. outcomes.Select(o => Count(report.Count(kind, o))), Count(total)]);
        }

        console.Write(transactions);
        console.MarkupLineInterpolated($"Accrued add-on charges: {Money(report.Totals.Cost)}");
    }

    private static string Instant(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", Invariant);

    private static string Count(long value) => value.ToString("N0", Invariant);

    // Money is shown exactly to the millionth the ledger keeps, with at least cents.
    private static string Money(decimal value) => decimal.Round(value, 6, MidpointRounding.ToEven).ToString("0.00####", Invariant);

    private static string ClassName(IntegrationClass? value) => value switch
    {
        IntegrationClass.AddOn => "add-on",
        IntegrationClass.Byoc => "BYOC",
        _ => "-",
    };
}
