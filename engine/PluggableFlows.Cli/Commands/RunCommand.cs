using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using PluggableFlows.Cli.LeadFiles;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Storage;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;
using Spectre.Console;

namespace PluggableFlows.Cli.Commands;

/// <summary><c>pflow run &lt;flow&gt; &lt;leads&gt;</c>: pushes a file of leads through a flow and summarises what happened.</summary>
internal static class RunCommand
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(CliContext context)
    {
        var flow = new Argument<string>("flow") { Description = "The flow file (scripts/flows/<id>.yaml)." };
        var leads = new Argument<string>("leads") { Description = "A .csv file (header row first) or a .jsonl file (one JSON object per line)." };
        var source = new Option<string?>("--source") { Description = "The source the leads come from (default: the flow's first source)." };
        var output = new Option<string?>("--out") { Description = "Write each lead's outcome, reason and appended data to this JSON-lines file." };
        var concurrency = new Option<int>("--concurrency")
        {
            Description = "Leads in flight at once.",
            DefaultValueFactory = _ => Math.Max(4, Environment.ProcessorCount * 4),
        };
        var store = StoreOption.Create();
        var command = new Command("run", "Push a file of leads through a flow, with a progress bar and a summary; leads, events and usage are recorded in the store.")
        {
            flow, leads, source, output, concurrency, store,
        };
        command.SetAction((parsed, cancellationToken) => RunAsync(context, parsed.GetValue(flow)!, parsed.GetValue(leads)!,
            parsed.GetValue(source), parsed.GetValue(output), Math.Max(1, parsed.GetValue(concurrency)), parsed.GetValue(store)!, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string flowPath, string leadsPath, string? sourceId, string? outPath,
        int concurrency, string storePath, CancellationToken cancellationToken)
    {
        if (!File.Exists(flowPath) || !File.Exists(leadsPath))
        {
            context.Error.WriteLine($"{(File.Exists(flowPath) ? leadsPath : flowPath)}: no such file.");
            return 2;
        }

        var load = new FlowCatalog(context.Types, context.Integrations).LoadFile(flowPath);
        if (!load.Succeeded)
        {
            foreach (var diagnostic in load.Diagnostics)
            {
                context.Error.WriteLine(diagnostic.ToString());
            }

            context.Error.WriteLine($"{flowPath}: the flow has {load.Diagnostics.Count} problem(s); run 'pflow check {flowPath}'.");
            return 1;
        }

        var flow = load.Flow!;
        sourceId ??= flow.Definition.Sources.FirstOrDefault()?.Id;
        if (sourceId is null || flow.Definition.Sources.All(s => s.Id != sourceId))
        {
            context.Error.WriteLine($"Flow '{flow.Id}' has no source '{sourceId}'. Sources: {string.Join(", ", flow.Definition.Sources.Select(s => s.Id))}.");
            return 2;
        }

        List<LeadRow> rows;
        try
        {
            rows = LeadFileReader.Read(leadsPath).ToList();
        }
        catch (NotSupportedException exception)
        {
            context.Error.WriteLine(exception.Message);
            return 2;
        }

        // The server's handler settings (redirects followed by the invoker, so each hop is on the transcript; no trace
        // headers), without its address guard: an operator running flows by hand on their machine may deliver anywhere.
        using var http = IntegrationHttpHandler.CreateUnguarded();
        using var store = StoreOption.Open(storePath);
        var invoker = new IntegrationInvoker(http, context.Time, lists: new SqliteValueLists(store, context.Time));
        // Every lead is recorded with its events (pflow events show <lead id>) and usage (pflow usage).
        await using var log = new SqliteLeadLog(store);
        var processor = new LeadProcessor(context.Types, context.Integrations, invoker, context.Time, log: log);
        var results = new RowResult[rows.Count];
        await context.Console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask($"Running {rows.Count} leads through {flow.Id}", maxValue: Math.Max(1, rows.Count));
                await Parallel.ForEachAsync(Enumerable.Range(0, rows.Count),
                    new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
                    async (index, token) =>
                    {
                        var row = rows[index];
                        results[index] = row.Fields is null
                            ? new RowResult(row, null)
                            : new RowResult(row, await processor.ProcessAsync(flow, new LeadSubmission(sourceId, row.Fields), token));
                        task.Increment(1);
                    });
                task.Value = task.MaxValue;
            });

        foreach (var bad in results.Where(r => r.Lead is null))
        {
            context.Console.MarkupLineInterpolated($"[yellow]{leadsPath}: row {bad.Row.Row}: {bad.Row.Error}; skipped.[/]");
        }

        Summarise(context.Console, flow, results);
        if (outPath is not null)
        {
            await WriteResultsAsync(outPath, results, cancellationToken);
            context.Console.WriteLine($"Results written to {outPath}.");
        }

        return 0;
    }

    private static void Summarise(IAnsiConsole console, CompiledFlow flow, RowResult[] results)
    {
        var leads = results.Where(r => r.Lead is not null).Select(r => r.Lead!).ToArray();
        var outcomes = new Table().Title("Outcomes").AddColumns("outcome", "leads", "share");
        foreach (var group in leads.GroupBy(l => l.Outcome).OrderBy(g => g.Key))
        {
            outcomes.AddRow(OutcomeNames.Of(group.Key), group.Count().ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
                $"{100.0 * group.Count() / leads.Length:0.0}%");
        }

        var unreadable = results.Length - leads.Length;
        if (unreadable > 0)
        {
            outcomes.AddRow("unreadable rows", unreadable.ToString(System.Globalization.CultureInfo.InvariantCulture), "");
        }

        console.Write(outcomes);

        var reasons = new Table().Title("Top reasons").AddColumns("reason", "leads");
        foreach (var group in leads.Where(l => l.Reason is not null).GroupBy(l => l.Reason!).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Take(10))
        {
            reasons.AddRow(Markup.Escape(group.Key), group.Count().ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (reasons.Rows.Count > 0)
        {
            console.Write(reasons);
        }

        var steps = new Table().Title("Steps").AddColumns("step", "success", "failure", "error", "skip");
        var events = leads.SelectMany(l => l.Events).Where(e => e.Kind == EventKind.Step).ToLookup(e => e.StepKey!);
        foreach (var step in flow.Definition.Steps)
        {
            var counts = events[step.Key].GroupBy(e => e.Outcome).ToDictionary(g => g.Key, g => g.Count());
            steps.AddRow(step.Key, Count(counts, Outcome.Success), Count(counts, Outcome.Failure), Count(counts, Outcome.Error), Count(counts, Outcome.Skip));
        }

        console.Write(steps);
    }

    private static string Count(Dictionary<Outcome, int> counts, Outcome outcome) =>
        (counts.TryGetValue(outcome, out var count) ? count : 0).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task WriteResultsAsync(string path, RowResult[] results, CancellationToken cancellationToken)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        await using var file = File.Create(path);
        foreach (var result in results)
        {
            using (var writer = new Utf8JsonWriter(file, JsonOptions))
            {
                writer.WriteStartObject();
                writer.WriteNumber("row", result.Row.Row);
                if (result.Lead is { } lead)
                {
                    writer.WriteString("lead_id", lead.LeadId);
                    writer.WriteString("outcome", OutcomeNames.Of(lead.Outcome));
                    writer.WriteString("reason", lead.Reason);
                    writer.WriteNumber("price", lead.Price);
                    writer.WriteStartObject("appended");
                    foreach (var (key, step) in lead.Vars.Steps)
                    {
                        writer.WriteStartObject(key);
                        writer.WriteString("outcome", step.OutcomeText);
                        writer.WriteString("reason", step.Reason);
                        foreach (var (name, value) in step.Appended)
                        {
                            writer.WritePropertyName(name);
                            VarsJson.WriteValue(writer, value);
                        }

                        writer.WriteEndObject();
                    }

                    writer.WriteEndObject();
                }
                else
                {
                    writer.WriteString("error", result.Row.Error);
                }

                writer.WriteEndObject();
            }

            file.WriteByte((byte)'\n');
        }

        await file.FlushAsync(cancellationToken);
    }

    private sealed record RowResult(LeadRow Row, LeadResult? Lead);
}
