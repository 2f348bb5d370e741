using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PluggableFlows.Engine.Storage;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace PluggableFlows.Cli.Commands;

/// <summary>What <see cref="LeadTimelineView"/> shows beyond the timeline itself.</summary>
/// <param name="Curl">Each HTTP exchange also as a curl command.</param>
/// <param name="Full">Bodies in full instead of their first <see cref="LeadTimelineView.BodyLimit"/> characters.</param>
internal sealed record TimelineViewOptions(bool Curl, bool Full);

/// <summary>
/// A recorded lead's timeline for people (<c>pflow events show</c>): the answer and its timings, then every event in order
/// with its rule trace and HTTP exchanges. Everything shown comes from a lead, so it is untrusted: markup is escaped and
/// control characters are shown as <c>\uXXXX</c> instead of reaching the terminal.
/// </summary>
internal static class LeadTimelineView
{
    /// <summary>Bodies longer than this are cut unless <see cref="TimelineViewOptions.Full"/>.</summary>
    public const int BodyLimit = 4096;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static readonly JsonWriterOptions PrettyJson = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes <paramref name="lead"/>: markup through <paramref name="console"/>, bodies and curl commands verbatim
    /// through <paramref name="output"/> (the same stream) so they are never re-wrapped.</summary>
    public static void Write(IAnsiConsole console, TextWriter output, StoredLead lead, TimelineViewOptions options)
    {
        WriteHeader(console, lead);
        for (var i = 0; i < lead.Events.Count; i++)
        {
            console.WriteLine();
            WriteEvent(console, output, lead, lead.Events[i], i + 1, options);
        }

        if (lead.Retries.Count > 0)
        {
            console.WriteLine();
            var retries = new Table().Title("Retries").AddColumns("step", "state", "attempts", "next attempt due", "last reason");
            foreach (var retry in lead.Retries)
            {
                retries.AddRow(Safe(retry.StepKey), StateMarkup(retry.State),
                    $"{retry.AttemptsMade.ToString(Invariant)} of {retry.MaxAttempts.ToString(Invariant)}",
                    retry.State == "pending" ? Instant(retry.Due) : "-", Safe(retry.LastReason ?? ""));
            }

            console.Write(retries);
        }
    }

    private static void WriteHeader(IAnsiConsole console, StoredLead lead)
    {
        console.MarkupLine($"[bold]Lead {Safe(lead.Id)}[/]");
        var grid = Fields();
        grid.AddRow("flow", $"{Safe(lead.FlowId)} @ {Safe(ShortVersion(lead.FlowVersion))}");
        grid.AddRow("source", Safe(lead.SourceId));
        grid.AddRow("received at", Instant(lead.Timestamp));
        grid.AddRow("outcome", OutcomeMarkup(lead.Outcome));
        grid.AddRow("reason", Safe(lead.Reason ?? "-"));
        grid.AddRow("price", Money(lead.Price));
        grid.AddRow("timings", $"total {Ms(lead.Duration)}, waiting on providers {Ms(lead.ProviderWait)}, " +
            $"engine overhead {Ms(lead.EngineOverhead)}");
        console.Write(Indented(grid, 2));
    }

    private static void WriteEvent(IAnsiConsole console, TextWriter output, StoredLead lead, StoredEvent e, int number, TimelineViewOptions options)
    {
        var name = e.StepKey ?? e.Kind;
        console.MarkupLine($"[bold]{number.ToString(Invariant)}. {Safe(name)}[/]  {Safe(e.Type)}  {OutcomeMarkup(e.Outcome)}");
        using var data = JsonDocument.Parse(e.DataJson);
        var root = data.RootElement;

        var grid = Fields();
        if (e.Integration is not null)
        {
            var plugin = e.Plugin is null ? "" : $" ({e.Plugin}{(e.PluginVersion is null ? "" : "@" + e.PluginVersion)})";
            grid.AddRow("integration", Safe(e.Integration + plugin));
        }

        if (e.Reason is not null)
        {
            grid.AddRow("reason", Safe(e.Reason));
        }

        if (e.Attempt > 1 || !e.Final)
        {
            var retry = lead.Retries.FirstOrDefault(r => r.StepKey == e.StepKey);
            var attempt = new StringBuilder("attempt ").Append(e.Attempt.ToString(Invariant));
            if (retry is not null)
            {
                attempt.Append(" of ").Append(retry.MaxAttempts.ToString(Invariant));
            }

            if (!e.Final)
            {
                attempt.Append(", retry pending");
            }

            grid.AddRow("attempt", Markup.Escape(attempt.ToString()));
        }

        grid.AddRow("at", Instant(e.Timestamp));
        grid.AddRow("duration", e.ProviderWait > TimeSpan.Zero
            ? $"{Ms(e.Duration)} (waiting on providers {Ms(e.ProviderWait)})"
            : Ms(e.Duration));
        foreach (var money in (ReadOnlySpan<string>)["price", "cost"])
        {
            if (root.TryGetProperty(money, out var value) && value.ValueKind == JsonValueKind.Number)
            {
                grid.AddRow(money, Money(value.GetDecimal()));
            }
        }

        if (root.TryGetProperty("appended", out var appended) && appended.ValueKind == JsonValueKind.Object && appended.EnumerateObject().Any())
        {
            grid.AddRow("appended", "");
            foreach (var (path, value) in Flatten("", appended))
            {
                grid.AddRow(Safe("  " + path), Safe(value));
            }
        }

        console.Write(Indented(grid, 2));

        if (root.TryGetProperty("trace", out var trace) && trace.ValueKind == JsonValueKind.Array && trace.GetArrayLength() > 0)
        {
            console.Write(Indented(TraceTable(trace), 2));
        }

        if (root.TryGetProperty("transcript", out var transcript) && transcript.ValueKind == JsonValueKind.Array)
        {
            foreach (var exchange in transcript.EnumerateArray())
            {
                WriteExchange(console, output, exchange, options);
            }
        }
    }

    private static Table TraceTable(JsonElement trace)
    {
        var table = new Table().Title("rules").AddColumns("lhv", "op", "rhv", "resolved lhv", "resolved rhv", "result");
        foreach (var entry in trace.EnumerateArray())
        {
            var depth = entry.TryGetProperty("depth", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetInt32() : 0;
            var result = entry.TryGetProperty("result", out var r) && r.ValueKind == JsonValueKind.True;
            var error = Text(entry, "error");
            table.AddRow(
                Safe(new string(' ', 2 * Math.Max(0, depth)) + Text(entry, "lhv")),
                Safe(Text(entry, "op")),
                Safe(Text(entry, "rhv")),
                Safe(Text(entry, "resolved_lhv")),
                Safe(Text(entry, "resolved_rhv")),
                (result ? "[green]true[/]" : "[red]false[/]") + (error.Length > 0 ? $" [yellow]({Safe(error)})[/]" : ""));
        }

        return table;
    }

    private static void WriteExchange(IAnsiConsole console, TextWriter output, JsonElement exchange, TimelineViewOptions options)
    {
        var status = exchange.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Number
            ? StatusMarkup(s.GetInt32())
            : "[red]no response[/]";
        var duration = exchange.TryGetProperty("duration_ms", out var d) && d.ValueKind == JsonValueKind.Number
            ? Ms(TimeSpan.FromMilliseconds(d.GetDouble()))
            : "-";
        console.MarkupLine($"  [bold]{Safe(Text(exchange, "method"))} {Safe(Text(exchange, "url"))}[/] → {status} in {duration}");
        WriteMessage(console, output, exchange, "request", options);
        WriteMessage(console, output, exchange, "response", options);
        if (options.Curl)
        {
            console.MarkupLine("    [dim]as curl:[/]");
            output.WriteLine(CurlCommandLine.From(exchange));
        }
    }

    private static void WriteMessage(IAnsiConsole console, TextWriter output, JsonElement exchange, string which, TimelineViewOptions options)
    {
        if (exchange.TryGetProperty($"{which}_headers", out var headers) && headers.ValueKind == JsonValueKind.Array && headers.GetArrayLength() > 0)
        {
            console.MarkupLine($"    [dim]{which} headers:[/]");
            foreach (var pair in headers.EnumerateArray())
            {
                if (pair.ValueKind == JsonValueKind.Array && pair.GetArrayLength() == 2)
                {
                    output.WriteLine($"      {Visible(pair[0].GetString())}: {Visible(pair[1].GetString())}");
                }
            }
        }

        if (exchange.TryGetProperty($"{which}_body", out var body) && body.ValueKind == JsonValueKind.String && body.GetString() is { Length: > 0 } text)
        {
            var shown = Pretty(text);
            var cut = !options.Full && shown.Length > BodyLimit;
            console.MarkupLine($"    [dim]{which} body:[/]");
            foreach (var line in Visible(cut ? shown[..BodyLimit] : shown).Split('\n'))
            {
                output.WriteLine("      " + line);
            }

            if (cut)
            {
                console.MarkupLine($"      [yellow]… truncated: {BodyLimit.ToString("N0", Invariant)} of {shown.Length.ToString("N0", Invariant)} " +
                    "characters shown; --full shows all[/]");
            }
        }
    }

    // A JSON body indented for reading; anything else as it was.
    private static string Pretty(string body)
    {
        var trimmed = body.AsSpan().TrimStart();
        if (trimmed.Length == 0 || (trimmed[0] != '{' && trimmed[0] != '['))
        {
            return body;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, PrettyJson))
            {
                document.RootElement.WriteTo(writer);
            }

            return Encoding.UTF8.GetString(stream.ToArray());
        }
        catch (JsonException)
        {
            return body;
        }
    }

    // Appended values as dotted paths: field values and nested data read as "phone.normal  5125551212".
    private static IEnumerable<(string Path, string Value)> Flatten(string prefix, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Object && value.EnumerateObject().Any())
        {
            foreach (var property in value.EnumerateObject())
            {
                foreach (var leaf in Flatten(prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}", property.Value))
                {
                    yield return leaf;
                }
            }

            yield break;
        }

        yield return (prefix, value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Null => "(null)",
            _ => value.GetRawText(),
        });
    }

    private static Grid Fields()
    {
        var grid = new Grid();
        grid.AddColumn(new GridColumn().NoWrap().PadRight(2));
        grid.AddColumn();
        return grid;
    }

    private static Padder Indented(IRenderable content, int left) => new(content, new Padding(left, 0, 0, 0));

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Null or JsonValueKind.Undefined => "",
            _ => value.GetRawText(),
        } : "";

    /// <summary>Untrusted text for markup: control characters made visible, markup escaped.</summary>
    internal static string Safe(string? text) => Markup.Escape(Visible(text));

    /// <summary>Control characters other than newline and tab as <c>\uXXXX</c>, so stored text cannot drive the terminal.</summary>
    internal static string Visible(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (!text.Any(IsHidden))
        {
            return text;
        }

        var visible = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (IsHidden(c))
            {
                visible.Append("\\u").Append(((int)c).ToString("x4", Invariant));
            }
            else
            {
                visible.Append(c);
            }
        }

        return visible.ToString();
    }

    private static bool IsHidden(char c) => char.IsControl(c) && c != '\n' && c != '\t';

    internal static string OutcomeMarkup(Outcome outcome) => outcome switch
    {
        Outcome.Success => "[green]success[/]",
        Outcome.Failure => "[red]failure[/]",
        Outcome.Error => "[darkorange]error[/]",
        _ => "[grey]" + OutcomeNames.Of(outcome) + "[/]",
    };

    private static string StateMarkup(string state) => state switch
    {
        "done" => "[green]done[/]",
        "failed" => "[red]failed[/]",
        _ => "[yellow]" + Safe(state) + "[/]",
    };

    private static string StatusMarkup(int status) => status switch
    {
        < 300 => $"[green]{status.ToString(Invariant)}[/]",
        < 500 => $"[red]{status.ToString(Invariant)}[/]",
        _ => $"[darkorange]{status.ToString(Invariant)}[/]",
    };

    // Like git's short hashes: enough to tell versions apart at a glance.
    private static string ShortVersion(string version) => version.Length > 12 ? version[..12] : version;

    internal static string Instant(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", Invariant);

    internal static string Ms(TimeSpan duration) => duration.TotalMilliseconds.ToString("0.###", Invariant) + " ms";

    private static string Money(decimal value) => decimal.Round(value, 6, MidpointRounding.ToEven).ToString("0.00####", Invariant);
}
