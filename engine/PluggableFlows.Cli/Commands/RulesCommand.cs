using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using PluggableFlows.Cli.LeadFiles;
using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Flows;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Rules;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;
using Spectre.Console;

namespace PluggableFlows.Cli.Commands;

/// <summary>
/// <c>pflow rules eval &lt;flow&gt; (--rule | --js | --csharp | --file) [lead]</c>: the rule author's playground. Reads
/// and compiles one rule as the flow would (its fields, step keys and lists), evaluates it against one lead and shows
/// the result and the trace. Exits 0 when the rule passes, 1 when it fails, 2 on an error or bad input.
/// </summary>
internal static class RulesCommand
{
    private const int Passed = 0;
    private const int Failed = 1;
    private const int ErrorOrBadInput = 2;
    private const int UnwrappedWidth = 400;

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(CliContext context) =>
        new("rules", "Rules: try a rule against a lead.") { Eval(context) };

    /// <summary><c>pflow rules eval</c>.</summary>
    public static Command Eval(CliContext context)
    {
        var flow = new Argument<string>("flow") { Description = "The flow file: the rule is read against its fields, step keys and lists." };
        var pairs = new Argument<string[]>("field=value")
        {
            Description = "Lead fields, parsed by the flow's field types as a submitted lead's are (after --lead, whose fields they override).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var rule = new Option<string?>("--rule")
        {
            Description = "A rule or rule set in flow file syntax, e.g. \"{ lhv: lead.state, op: is equal to, rhv: TX }\", " +
                "\"{ op: or, rules: [ ... ] }\" or \"{ js: lead.state == 'TX' }\".",
        };
        var js = new Option<string?>("--js") { Description = "A JavaScript rule: one expression, e.g. \"lead.state == 'TX'\"." };
        var csharp = new Option<string?>("--csharp") { Description = "A C# rule: one expression, e.g. \"lead.state == \\\"TX\\\"\"." };
        var file = new Option<string?>("--file") { Description = "A rule file: scripts/rules/<name>.js (JavaScript) or .csx (C#)." };
        var lead = new Option<string?>("--lead") { Description = "The lead as a JSON object, e.g. '{\"state\": \"TX\"}'; - reads it from standard input." };
        var leadFile = new Option<string?>("--lead-file") { Description = "A file holding the lead as a JSON object; - reads standard input." };
        var steps = new Option<string[]>("--step")
        {
            Description = "Data a step left behind, as <step key>.<name>=<value>; repeat for more: --step phone_check.line_type=mobile " +
                "--step phone_check.outcome=success. Values that read as JSON (true, 12, [\"a\",\"b\"]) keep their JSON type; " +
                "outcome defaults to success.",
        };
        var source = new Option<string?>("--source") { Description = "The source the lead comes from (source.* and its field mappings; default: the flow's first source)." };
        var random = new Option<int?>("--random") { Description = "The lead's random number, 1-100 (default: drawn as for a submitted lead)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object { result, error, trace } instead of a table." };
        var command = new Command("eval",
            "Evaluate a rule against a lead in the context of a flow, and show the result and the trace. " +
            "Give exactly one of --rule, --js, --csharp and --file. Exit code: 0 passed, 1 failed, 2 error or bad input.")
        {
            flow, pairs, rule, js, csharp, file, lead, leadFile, steps, source, random, json,
        };
        command.SetAction(parsed => Run(context, new Request(
            parsed.GetValue(flow)!,
            parsed.GetValue(rule),
            parsed.GetValue(js),
            parsed.GetValue(csharp),
            parsed.GetValue(file),
            parsed.GetValue(lead),
            parsed.GetValue(leadFile),
            parsed.GetValue(pairs) ?? [],
            parsed.GetValue(steps) ?? [],
            parsed.GetValue(source),
            parsed.GetValue(random),
            parsed.GetValue(json))));
        return command;
    }

    private static int Run(CliContext context, Request request)
    {
        var given = new (string Option, string? Value)[]
        {
            ("--rule", request.Rule), ("--js", request.Js), ("--csharp", request.CSharp), ("--file", request.File),
        }.Where(r => r.Value is not null).ToArray();
        if (given.Length != 1)
        {
            context.Error.WriteLine(given.Length == 0
                ? "Give the rule to evaluate with one of --rule, --js, --csharp or --file."
                : $"Give one rule at a time, but {string.Join(" and ", given.Select(g => g.Option))} are given.");
            return ErrorOrBadInput;
        }

        if (request.Random is < 1 or > 100)
        {
            context.Error.WriteLine($"--random must be from 1 to 100, but is {request.Random}.");
            return ErrorOrBadInput;
        }

        if (!File.Exists(request.Flow))
        {
            context.Error.WriteLine($"{request.Flow}: no such file.");
            return ErrorOrBadInput;
        }

        var load = new FlowCatalog(context.Types, context.Integrations).LoadFile(request.Flow);
        if (!load.Succeeded)
        {
            foreach (var diagnostic in load.Diagnostics)
            {
                context.Error.WriteLine(diagnostic.ToString());
            }

            context.Error.WriteLine($"{request.Flow}: the flow has {load.Diagnostics.Count} problem(s); run 'pflow check {request.Flow}'.");
            return ErrorOrBadInput;
        }

        var flow = load.Flow!;
        var definition = flow.Definition;
        var sourceDefinition = request.Source is null
            ? definition.Sources.FirstOrDefault()
            : definition.Sources.FirstOrDefault(s => s.Id == request.Source);
        if (request.Source is not null && sourceDefinition is null)
        {
            context.Error.WriteLine($"Flow '{flow.Id}' has no source '{request.Source}'. Sources: {string.Join(", ", definition.Sources.Select(s => s.Id))}.");
            return ErrorOrBadInput;
        }

        if (ReadLead(context, request) is not { } raw || ReadSteps(context, definition, request.Steps) is not { } stepVars)
        {
            return ErrorOrBadInput;
        }

        // Flows live in <scripts>/flows/; lists and rule files beside them in <scripts>/.
        var scriptsRoot = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(request.Flow))) ?? ".";
        var (written, texts) = ReadRule(context, request, definition, scriptsRoot);
        if (written is null)
        {
            return ErrorOrBadInput;
        }

        var diagnostics = new DiagnosticBag();
        diagnostics.AddRange(written.Diagnostics);
        CompiledRuleSet? compiled = null;
        if (written.RuleSet is { } ruleSet)
        {
            var compiler = new RuleCompiler(FlowRuleContext.Create(definition, context.Types, scriptsRoot));
            compiled = compiler.Compile(ruleSet, diagnostics);
            // C# rules are compiled here, all of a flow's at once.
            compiler.Finish(diagnostics);
        }

        if (diagnostics.HasErrors || compiled is null)
        {
            var problems = diagnostics.Items.OrderBy(d => d.Location.Line).ThenBy(d => d.Location.Column).ToArray();
            foreach (var diagnostic in problems)
            {
                context.Error.WriteLine(diagnostic.ToString());
                if (Excerpt(texts, diagnostic.Location) is { } excerpt)
                {
                    context.Error.WriteLine(excerpt);
                }
            }

            context.Error.WriteLine(problems.Length == 0 ? "The rule could not be read." : $"The rule has {problems.Length} problem(s).");
            return ErrorOrBadInput;
        }

        var vars = Vars(context, flow, sourceDefinition, raw, request.Random ?? System.Random.Shared.Next(1, 101));
        foreach (var (key, step) in stepVars)
        {
            vars.SetStep(key, step);
        }

        var trace = new RuleTrace();
        var result = compiled.Run(vars, trace);
        if (request.Json)
        {
            WriteJson(context.Output, result, trace);
        }
        else
        {
            WriteTable(context.Console, context.Output, result, trace);
        }

        return result.IsError ? ErrorOrBadInput : result.Passed ? Passed : Failed;
    }

    /// <summary>The rule as written, and the texts its diagnostics may point into (for the excerpt under each).</summary>
    private static (Written? Rule, Dictionary<string, string> Texts) ReadRule(CliContext context, Request request, FlowDefinition flow,
        string scriptsRoot)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.Rule is { } text)
        {
            var snippet = RuleSnippet.Read(text, "--rule", flow,
                new FlowLoaderOptions { Types = context.Types, ScriptsRoot = scriptsRoot });
            texts["--rule"] = snippet.Text;
            return (new Written(snippet.RuleSet, snippet.Diagnostics), texts);
        }

        if (request.Js is { } js)
        {
            texts["--js"] = js;
            return (Script(ScriptLanguage.JavaScript, js, new SourceLocation("--js", 1, 1)), texts);
        }

        if (request.CSharp is { } csharp)
        {
            texts["--csharp"] = csharp;
            return (Script(ScriptLanguage.CSharp, csharp, new SourceLocation("--csharp", 1, 1)), texts);
        }

        var path = request.File!;
        ScriptLanguage language;
        switch (Path.GetExtension(path).ToLowerInvariant())
        {
            case ".js":
                language = ScriptLanguage.JavaScript;
                break;
            case ".csx":
            case ".cs":
                language = ScriptLanguage.CSharp;
                break;
            default:
                context.Error.WriteLine($"{path}: a rule file is JavaScript (.js) or C# (.csx), not '{Path.GetExtension(path)}'.");
                return (null, texts);
        }

        if (!File.Exists(path))
        {
            context.Error.WriteLine($"{path}: no such file.");
            return (null, texts);
        }

        var source = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd();
        if (source.Length == 0)
        {
            context.Error.WriteLine($"{path}: the rule file is empty; write one expression, e.g. lead.state == 'TX'.");
            return (null, texts);
        }

        texts[path] = source;
        return (Script(language, source, new SourceLocation(path, 1, 1)), texts);
    }

    private static Written Script(ScriptLanguage language, string source, SourceLocation location) =>
        new(new RuleSetDefinition(RuleSetOperator.And, [new ScriptRuleDefinition(language, source, location)], location), []);

    /// <summary>The line a diagnostic points at, with a caret under its column.</summary>
    private static string? Excerpt(Dictionary<string, string> texts, SourceLocation location)
    {
        if (location.File is null || !texts.TryGetValue(location.File, out var text))
        {
            return null;
        }

        var lines = text.Split('\n');
        if (location.Line < 1 || location.Line > lines.Length)
        {
            return null;
        }

        var line = lines[location.Line - 1];
        var column = Math.Clamp(location.Column, 1, line.Length + 1);
        return $"    {line}\n    {new string(' ', column - 1)}^";
    }

    /// <summary>The lead's raw fields: the JSON object, then the field=value pairs over it. Null after reporting bad input.</summary>
    private static Dictionary<string, string?>? ReadLead(CliContext context, Request request)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (request.Lead is not null && request.LeadFile is not null)
        {
            context.Error.WriteLine("Give the lead with --lead or with --lead-file, not both.");
            return null;
        }

        if ((request.Lead ?? request.LeadFile) is { } given)
        {
            string name;
            string json;
            if (given == "-")
            {
                name = "standard input";
                json = context.Input.ReadToEnd();
            }
            else if (request.Lead is not null)
            {
                name = "--lead";
                json = given;
            }
            else if (File.Exists(given))
            {
                name = given;
                json = File.ReadAllText(given);
            }
            else
            {
                context.Error.WriteLine($"{given}: no such file.");
                return null;
            }

            try
            {
                var (read, error) = LeadFileReader.ReadObject(json);
                if (read is null)
                {
                    context.Error.WriteLine($"{name}: the lead must be a JSON object such as {{\"state\": \"TX\"}}, but it is not: {error}.");
                    return null;
                }

                foreach (var (field, value) in read)
                {
                    fields[field] = value;
                }
            }
            catch (JsonException exception)
            {
                context.Error.WriteLine($"{name}: the lead is not valid JSON: {LeadFileReader.FirstSentence(exception)} " +
                    $"(line {exception.LineNumber + 1}, position {exception.BytePositionInLine + 1}). Write a JSON object such as {{\"state\": \"TX\"}}.");
                return null;
            }
        }

        foreach (var pair in request.Pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                context.Error.WriteLine($"'{pair}' is not a lead field: write field=value, e.g. state=TX. " +
                    "(Quote the --rule text if it has spaces.)");
                return null;
            }

            fields[pair[..equals]] = pair[(equals + 1)..];
        }

        return fields;
    }

    /// <summary>What each --step says a step left behind, in the order given. Null after reporting bad input.</summary>
    private static List<(string Key, StepVars Step)>? ReadSteps(CliContext context, FlowDefinition flow, string[] given)
    {
        var keys = flow.Steps.Select(s => s.Key).ToArray();
        var steps = new Dictionary<string, StepData>(StringComparer.Ordinal);
        foreach (var item in given)
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            var dot = item.IndexOf('.', StringComparison.Ordinal);
            if (equals <= 0 || dot <= 0 || dot > equals - 2)
            {
                context.Error.WriteLine($"--step '{item}' is not <step key>.<name>=<value>, e.g. --step phone_check.line_type=mobile.");
                return null;
            }

            var key = item[..dot];
            var name = item[(dot + 1)..equals];
            var value = item[(equals + 1)..];
            if (!keys.Contains(key, StringComparer.Ordinal))
            {
                var nearest = Suggestions.Nearest(key, keys);
                context.Error.WriteLine($"--step '{item}': flow '{flow.Id}' has no step '{key}'. " + (nearest is not null
                    ? $"Did you mean '{nearest}'?"
                    : keys.Length == 0 ? "It has no steps." : $"Its step keys are: {string.Join(", ", keys)}."));
                return null;
            }

            var step = steps.TryGetValue(key, out var found) ? found : steps[key] = new StepData();
            if (step.Set(name, value) is { } problem)
            {
                context.Error.WriteLine($"--step '{item}': {problem}");
                return null;
            }
        }

        return steps.Select(pair => (pair.Key, pair.Value.ToStepVars())).ToList();
    }

    /// <summary>The lead's vars, its fields parsed as the pipeline parses a submitted lead's: mapped by the source, then
    /// parsed by the flow's type for the field (declared or standard), as text when it has none.</summary>
    private static LeadVars Vars(CliContext context, CompiledFlow flow, SourceDefinition? source, Dictionary<string, string?> raw, int random)
    {
        var mappings = new Dictionary<string, string>(source?.Mappings ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);
        var known = flow.Definition.Fields.Select(f => f.Id).Concat(flow.FieldTypes.Keys).Distinct(StringComparer.Ordinal).ToArray();
        var fields = new Dictionary<string, FieldValue>(raw.Count, StringComparer.Ordinal);
        foreach (var (name, value) in raw)
        {
            if (value is null)
            {
                continue;
            }

            var id = mappings.TryGetValue(name, out var mapped) ? mapped : name;
            if (!flow.FieldTypes.TryGetValue(id, out var typeName))
            {
                var nearest = Suggestions.Nearest(id, known);
                context.Error.WriteLine($"warning: '{id}' is neither a field of flow '{flow.Id}' nor a standard field, so it is read as text." +
                    (nearest is null ? "" : $" Did you mean '{nearest}'?"));
            }

            fields[id] = context.Types.Get(typeName ?? "string").Parse(value);
        }

        var now = context.Time.GetUtcNow();
        var leadId = Guid.CreateVersion7(now).ToString("N");
        return new LeadVars(leadId, fields,
            new SourceVars(source?.Id ?? "", source?.Name ?? ""),
            new FlowVars(flow.Definition.Id, flow.Definition.Name, flow.Definition.Version),
            new SubmissionVars(leadId, now, null),
            random);
    }

    private static void WriteTable(IAnsiConsole console, TextWriter output, RuleSetResult result, RuleTrace trace)
    {
        var errors = trace.Entries.Any(e => e.Error is not null);
        var table = new Table().Title("Trace").AddColumns("rule", "op", "rhv", "resolved lhv", "resolved rhv", "result");
        if (errors)
        {
            table.AddColumn("error");
        }

        foreach (var entry in trace.Entries)
        {
            // Two spaces per level of nesting, so a nested rule set's rules stand under the rule set they belong to.
            var cells = new List<Text>
            {
                new(new string(' ', 2 * entry.Depth) + entry.Lhv),
                new(entry.Operator),
                new(entry.Rhv ?? ""),
                // A script's error is its resolved lhv too; once, in the error column, is enough.
                new(entry.Error is not null && entry.ResolvedLhv == entry.Error ? "" : entry.ResolvedLhv ?? "(blank)"),
                new(entry.ResolvedRhv ?? ""),
                new(entry.Error is not null ? "error" : entry.Result ? "true" : "false"),
            };
            if (errors)
            {
                cells.Add(new Text(entry.Error ?? ""));
            }

            table.AddRow(cells);
        }

        if (!console.Profile.Out.IsTerminal)
        {
            // Written to a file or a pipe, there is no terminal width to fit: a rule, a script or an error is never
            // wrapped at an arbitrary 80 columns.
            console.Profile.Width = Math.Max(console.Profile.Width, UnwrappedWidth);
        }

        console.Write(table);
        // Not through the console, which would wrap it: the result line is what scripts and people look for.
        output.WriteLine(result.Error is not null ? $"Result: error: {result.Error}" : result.Passed ? "Result: passed" : "Result: failed");
    }

    private static void WriteJson(TextWriter output, RuleSetResult result, RuleTrace trace)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("result", result.Error is not null ? "error" : result.Passed ? "passed" : "failed");
            writer.WriteString("error", result.Error);
            writer.WriteStartArray("trace");
            foreach (var entry in trace.Entries)
            {
                writer.WriteStartObject();
                writer.WriteNumber("depth", entry.Depth);
                writer.WriteString("lhv", entry.Lhv);
                writer.WriteString("op", entry.Operator);
                writer.WriteString("rhv", entry.Rhv);
                writer.WriteString("resolved_lhv", entry.ResolvedLhv);
                writer.WriteString("resolved_rhv", entry.ResolvedRhv);
                writer.WriteBoolean("result", entry.Result);
                writer.WriteString("error", entry.Error);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private sealed record Request(
        string Flow,
        string? Rule,
        string? Js,
        string? CSharp,
        string? File,
        string? Lead,
        string? LeadFile,
        string[] Pairs,
        string[] Steps,
        string? Source,
        int? Random,
        bool Json);

    /// <summary>A rule as read (what could be read, and the problems found reading it).</summary>
    private sealed record Written(RuleSetDefinition? RuleSet, IReadOnlyList<FlowDiagnostic> Diagnostics);

    /// <summary>One step's --step values, gathered before they become its <see cref="StepVars"/>.</summary>
    private sealed class StepData
    {
        private readonly Dictionary<string, object?> _appended = new(StringComparer.Ordinal);
        private Outcome _outcome = Outcome.Success;
        private string? _reason;
        private decimal? _price;
        private decimal? _cost;

        /// <summary>Records one value; returns what is wrong with it, if anything.</summary>
        public string? Set(string name, string value)
        {
            switch (name)
            {
                case "outcome":
                    return OutcomeNames.TryParse(value, out _outcome) ? null : $"an outcome is success, failure, error or skip, not '{value}'.";
                case "reason":
                    _reason = value;
                    return null;
                case "price":
                case "cost":
                    if (!decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount))
                    {
                        return $"the {name} must be a number such as 12.50, not '{value}'.";
                    }

                    if (name == "price")
                    {
                        _price = amount;
                    }
                    else
                    {
                        _cost = amount;
                    }

                    return null;
            }

            // Dotted names are nested data, as a plugin appends it: carrier.name=AT&T is { carrier: { name: AT&T } }.
            var segments = name.Split('.');
            var map = _appended;
            for (var i = 0; i < segments.Length - 1; i++)
            {
                if (!map.TryGetValue(segments[i], out var inner))
                {
                    map[segments[i]] = inner = new Dictionary<string, object?>(StringComparer.Ordinal);
                }

                if (inner is not Dictionary<string, object?> nested)
                {
                    return $"'{string.Join('.', segments[..(i + 1)])}' is already a value, so it cannot hold '{segments[i + 1]}'.";
                }

                map = nested;
            }

            map[segments[^1]] = Value(value);
            return null;
        }

        public StepVars ToStepVars() => new(_outcome, _reason, _appended, _price, _cost);

        /// <summary>Text that reads as JSON (true, 12, 1.5, null, [...], {...}, "quoted") is that JSON value; anything else is text.</summary>
        private static object? Value(string text)
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                return FromJson(document.RootElement);
            }
            catch (JsonException)
            {
                return text;
            }
        }

        private static object? FromJson(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Null => null,
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number => element.TryGetInt64(out var whole) ? whole : element.GetDouble(),
            JsonValueKind.Array => element.EnumerateArray().Select(FromJson).ToList(),
            JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value), StringComparer.Ordinal),
            _ => element.GetRawText(),
        };
    }
}
