using System.Globalization;
using System.Text.Json;
using PluggableFlows.Engine.Storage;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;

namespace PluggableFlows.Host.Api;

/// <summary>
/// <c>GET /usage?from=&amp;to=&amp;flow=</c>: the usage ledger's report for a period, what <c>pflow usage</c> shows —
/// accrued add-on charges per integration and per flow, totals, and transactions by outcome. <c>from</c> and <c>to</c>
/// are <c>yyyy-MM-dd</c> (whole UTC days; <c>to</c> includes its day) or ISO-8601 instants (<c>to</c> exclusive);
/// by default the month so far. <c>flow</c> narrows <c>flows</c> and <c>totals</c> to one flow.
/// </summary>
internal static class UsageEndpoint
{
    public const string Route = "/usage";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static async Task HandleAsync(HttpContext context)
    {
        var query = context.Request.Query;
        string? fromText = query["from"];
        string? toText = query["to"];
        string? flowId = query["flow"];
        if (!TimeBound.TryParse(fromText, endOfDay: false, out var from))
        {
            await ApiJson.WriteErrorAsync(context, StatusCodes.Status400BadRequest, NotADate("from", fromText!));
            return;
        }

        if (!TimeBound.TryParse(toText, endOfDay: true, out var to))
        {
            await ApiJson.WriteErrorAsync(context, StatusCodes.Status400BadRequest, NotADate("to", toText!));
            return;
        }

        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        from ??= new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        to ??= now;
        if (to <= from)
        {
            await ApiJson.WriteErrorAsync(context, StatusCodes.Status400BadRequest,
                $"The period is empty: to ({Instant(to.Value)}) must be after from ({Instant(from.Value)}).");
            return;
        }

        var ledger = context.RequestServices.GetRequiredService<SqliteUsageLedger>();
        var report = await ledger.GetReportAsync(from.Value, to.Value, context.RequestAborted);
        await ApiJson.WriteAsync(context, StatusCodes.Status200OK, writer => Write(writer, report, string.IsNullOrEmpty(flowId) ? null : flowId));
    }

    private static void Write(Utf8JsonWriter writer, UsageReport report, string? flowId)
    {
        writer.WriteStartObject();
        writer.WriteString("from", Instant(report.From));
        writer.WriteString("to", Instant(report.To));
        writer.WriteString("flow", flowId);

        // The ledger's report splits integrations and outcomes for the whole host only, so with a flow they are left
        // out rather than shown for every flow under one flow's name.
        if (flowId is null)
        {
            writer.WriteStartArray("integrations");
            foreach (var integration in report.Integrations)
            {
                writer.WriteStartObject();
                writer.WriteString("id", integration.IntegrationId);
                writer.WriteString("class", integration.Class switch
                {
                    IntegrationClass.AddOn => "add-on",
                    IntegrationClass.Byoc => "byoc",
                    _ => null,
                });
                writer.WriteNumber("transactions", integration.Transactions);
                writer.WriteNumber("billable_units", integration.BillableUnits);
                if (integration.UnitCost is { } unitCost)
                {
                    writer.WriteNumber("unit_cost", Money(unitCost));
                }
                else
                {
                    writer.WriteNull("unit_cost");
                }

                writer.WriteNumber("cost", Money(integration.Cost));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        var flows = flowId is null ? report.Flows : report.Flows.Where(f => f.FlowId == flowId).ToArray();
        writer.WriteStartArray("flows");
        foreach (var flow in flows)
        {
            writer.WriteStartObject();
            writer.WriteString("id", flow.FlowId);
            writer.WriteNumber("submissions", flow.Submissions);
            writer.WriteNumber("step_invocations", flow.StepInvocations);
            writer.WriteNumber("billable_units", flow.BillableUnits);
            writer.WriteNumber("add_on_cost", Money(flow.AddOnCost));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        var totals = flowId is null
            ? report.Totals
            : new UsageTotals(flows.Sum(f => f.Submissions), flows.Sum(f => f.StepInvocations), flows.Sum(f => f.BillableUnits), flows.Sum(f => f.AddOnCost));
        writer.WriteStartObject("totals");
        writer.WriteNumber("submissions", totals.Submissions);
        writer.WriteNumber("step_invocations", totals.StepInvocations);
        writer.WriteNumber("billable_units", totals.BillableUnits);
        writer.WriteNumber("cost", Money(totals.Cost));
        writer.WriteEndObject();

        if (flowId is null)
        {
            writer.WriteStartArray("outcomes");
            foreach (var outcome in report.Outcomes)
            {
                writer.WriteStartObject();
                writer.WriteString("kind", outcome.Kind == UsageKind.Submission ? "submission" : "step_invocation");
                writer.WriteString("outcome", OutcomeNames.Of(outcome.Outcome));
                writer.WriteNumber("transactions", outcome.Transactions);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static string NotADate(string parameter, string text) =>
        $"{parameter} '{text}' is not a date: use {TimeBound.Expected}.";

    private static string Instant(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", Invariant);

    // The ledger keeps money to the millionth.
    private static decimal Money(decimal value) => decimal.Round(value, 6, MidpointRounding.ToEven);
}
