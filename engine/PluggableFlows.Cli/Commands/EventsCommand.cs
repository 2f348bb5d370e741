using System.Buffers;
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using PluggableFlows.Engine.Storage;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;
using Spectre.Console;

namespace PluggableFlows.Cli.Commands;

/// <summary><c>pflow events show | list</c>: what happened to a lead, and recent events, read from the store.</summary>
internal static class EventsCommand
{
    public static Command Create(CliContext context) =>
        new("events", "Read recorded leads and events from the store: one lead's timeline, or recent events.") { Show(context), List(context) };

    /// <summary><c>pflow events show &lt;lead id&gt; [--json] [--curl] [--full] [--store]</c>.</summary>
    public static Command Show(CliContext context)
    {
        var leadId = new Argument<string>("lead id") { Description = "The lead's id (the lead.id of its answer, the lead_id column of pflow run --out)." };
        var json = new Option<bool>("--json") { Description = "Print the timeline as JSON, exactly as GET /leads/{id} serves it." };
        var curl = new Option<bool>("--curl") { Description = "Also print each HTTP exchange as a curl command (masked values stay masked)." };
        var full = new Option<bool>("--full") { Description = $"Show request and response bodies in full (otherwise cut at {LeadTimelineView.BodyLimit:N0} characters)." };
        var store = StoreOption.Create();
        var command = new Command("show", "Show one lead's timeline: the answer, every event in order with its rule trace, and every HTTP exchange.")
        {
            leadId, json, curl, full, store,
        };
        command.SetAction((parsed, cancellationToken) => ShowAsync(context, parsed.GetValue(leadId)!, parsed.GetValue(store)!,
            parsed.GetValue(json), new TimelineViewOptions(parsed.GetValue(curl), parsed.GetValue(full)), cancellationToken));
        return command;
    }

    /// <summary><c>pflow events list [--flow] [--source] [--step] [--outcome] [--from] [--to] [--limit] [--before] [--store]</c>.</summary>
    public static Command List(CliContext context)
    {
        var flow = new Option<string?>("--flow") { Description = "Only this flow's events." };
        var source = new Option<string?>("--source") { Description = "Only this source's events." };
        var step = new Option<string?>("--step") { Description = "Only this step key's events (flow or source for acceptance criteria)." };
        var outcome = new Option<string?>("--outcome") { Description = "Only events with this outcome: success, failure, error or skip." };
        var from = new Option<string?>("--from") { Description = "Only events at or after this time: yyyy-MM-dd (UTC) or ISO-8601." };
        var to = new Option<string?>("--to") { Description = "Only events before this time: yyyy-MM-dd includes that whole day (UTC); an ISO-8601 instant is exclusive." };
        var limit = new Option<int>("--limit") { Description = $"How many events to show (1 to {SqliteLeadQueries.MaxPageSize:N0}).", DefaultValueFactory = _ => 50 };
        var before = new Option<long?>("--before") { Description = "Only events older than this event id: the cursor the previous page printed." };
        var store = StoreOption.Create();
        var command = new Command("list", "List recent events, newest first: time, lead, flow, step, outcome, reason and duration.")
        {
            flow, source, step, outcome, from, to, limit, before, store,
        };
        command.SetAction((parsed, cancellationToken) => ListAsync(context, parsed.GetValue(store)!, new ListArguments(parsed.GetValue(flow),
            parsed.GetValue(source), parsed.GetValue(step), parsed.GetValue(outcome), parsed.GetValue(from), parsed.GetValue(to), parsed.GetValue(limit),
            parsed.GetValue(before)), cancellationToken));
        return command;
    }

    private static async Task<int> ShowAsync(CliContext context, string leadId, string storePath, bool json, TimelineViewOptions options,
        CancellationToken cancellationToken)
    {
        if (!StoreExists(context, storePath))
        {
            return 2;
        }

        StoredLead? lead;
        using (var sqlite = StoreOption.Open(storePath))
        {
            lead = await new SqliteLeadQueries(sqlite).GetLeadAsync(leadId, cancellationToken);
        }

        if (lead is null)
        {
            await context.Error.WriteLineAsync($"No lead '{LeadTimelineView.Visible(leadId)}' in {storePath}. " +
                "pflow events list shows the lead ids of recent events.");
            return 1;
        }

        if (json)
        {
            var buffer = new ArrayBufferWriter<byte>(16 * 1024);
            using (var writer = new Utf8JsonWriter(buffer, LeadJson.WriterOptions with { Indented = true }))
            {
                TimelineJson.WriteLead(writer, lead);
            }

            await context.Output.WriteLineAsync(Encoding.UTF8.GetString(buffer.WrittenSpan));
            return 0;
        }

        LeadTimelineView.Write(context.Console, context.Output, lead, options);
        return 0;
    }

    private sealed record ListArguments(
        string? Flow, string? Source, string? Step, string? Outcome, string? From, string? To, int Limit, long? Before);

    private static async Task<int> ListAsync(CliContext context, string storePath, ListArguments arguments, CancellationToken cancellationToken)
    {
        Outcome? outcome = null;
        if (arguments.Outcome is not null)
        {
            if (!OutcomeNames.TryParse(arguments.Outcome, out var parsed))
            {
                await context.Error.WriteLineAsync($"--outcome '{arguments.Outcome}' is not an outcome: use success, failure, error or skip.");
                return 2;
            }

            outcome = parsed;
        }

        foreach (var (option, text, endOfDay) in new[] { ("--from", arguments.From, false), ("--to", arguments.To, true) })
        {
            if (!TimeBound.TryParse(text, endOfDay, out _))
            {
                await context.Error.WriteLineAsync($"{option} '{text}' is not a date: use yyyy-MM-dd (a whole day, UTC) or an ISO-8601 instant " +
                    "such as 2025-05-01T08:00:00Z.");
                return 2;
            }
        }

        if (arguments.Limit is < 1 or > SqliteLeadQueries.MaxPageSize)
        {
            await context.Error.WriteLineAsync($"--limit {arguments.Limit} is out of range: use 1 to {SqliteLeadQueries.MaxPageSize:N0}.");
            return 2;
        }

        if (!StoreExists(context, storePath))
        {
            return 2;
        }

        TimeBound.TryParse(arguments.From, endOfDay: false, out var from);
        TimeBound.TryParse(arguments.To, endOfDay: true, out var to);
        var query = new EventQuery
        {
            FlowId = arguments.Flow,
            SourceId = arguments.Source,
            StepKey = arguments.Step,
            Outcome = outcome,
            From = from,
            To = to,
            Limit = arguments.Limit,
            Before = arguments.Before,
        };
        EventPage page;
        using (var sqlite = StoreOption.Open(storePath))
        {
            page = await new SqliteLeadQueries(sqlite).GetEventsAsync(query, cancellationToken);
        }

        if (page.Events.Count == 0)
        {
            context.Console.WriteLine("No events match.");
            return 0;
        }

        var table = new Table().AddColumns("time (UTC)", "lead", "flow", "step", "outcome", "reason", "duration");
        table.Columns[0].NoWrap();
        table.Columns[1].NoWrap();
        table.Columns[6].RightAligned().NoWrap();
        foreach (var e in page.Events)
        {
            table.AddRow(e.Timestamp.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), LeadTimelineView.Safe(e.LeadId),
                LeadTimelineView.Safe(e.FlowId), LeadTimelineView.Safe(e.StepKey ?? e.Kind), LeadTimelineView.OutcomeMarkup(e.Outcome),
                LeadTimelineView.Safe(e.Reason ?? ""), LeadTimelineView.Ms(e.Duration));
        }

        // A terminal gets the table fitted to its width; a file or a pipe gets one line per event, whole, for grep and friends.
        var profile = context.Console.Profile;
        var width = profile.Width;
        if (!profile.Out.IsTerminal)
        {
            profile.Width = Math.Max(width, 1000);
        }

        try
        {
            context.Console.Write(table);
        }
        finally
        {
            profile.Width = width;
        }

        if (page.Next is { } next)
        {
            context.Console.MarkupLine($"More: add [bold]--before {next.ToString(CultureInfo.InvariantCulture)}[/] (with the same filters) for the next page.");
        }

        return 0;
    }

    private static bool StoreExists(CliContext context, string storePath)
    {
        if (File.Exists(storePath))
        {
            return true;
        }

        context.Error.WriteLine($"No store at {storePath}: nothing has been recorded there. pflow run and pflow serve record leads " +
            "(--store picks the file; the default is data/pflow.db in the working directory).");
        return false;
    }
}
