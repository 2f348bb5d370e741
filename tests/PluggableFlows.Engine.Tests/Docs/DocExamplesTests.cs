using System.Text.RegularExpressions;
using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Flows;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Plugins;
using PluggableFlows.Engine.Rules;
using PluggableFlows.Engine.Tests.Flows;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Plugins.Local;
using PluggableFlows.Plugins.Phone;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Tests.Docs;

/// <summary>Examples in the README and in docs/rules.md must load, compile and behave as the text says.</summary>
public sealed partial class DocExamplesTests : IDisposable
{
    // Fields the rule examples use that are not in the standard catalog.
    private const string Fields = "[first_name, email, phone_1, state, postal_code, dob, comments, ssn, "
        + "{ id: age, type: number }, { id: income, type: number }, { id: promo_code, type: string }, { id: tcpa_consent, type: boolean }]";

    private readonly string _scripts = Directory.CreateTempSubdirectory("pflow-docs-").FullName;
    private readonly IntegrationRegistry _integrations = new([new PhoneVerify(), new JsonLinesDelivery()]);

    public DocExamplesTests()
    {
        Directory.CreateDirectory(Path.Combine(_scripts, "lists"));
        File.WriteAllText(Path.Combine(_scripts, "lists", "dnc_states.txt"), "NY\n");
        File.WriteAllText(Path.Combine(_scripts, "lists", "blocked_zips.txt"), "10001\n");
        // The rule file docs/rules.md shows, so its { rule: high-intent } example reads exactly that.
        Directory.CreateDirectory(Path.Combine(_scripts, "rules"));
        File.WriteAllText(Path.Combine(_scripts, "rules", "high-intent.js"),
            JsBlock().Match(File.ReadAllText(PluggableFlows.Testing.RepoPaths.Combine("docs/rules.md"))).Groups[1].Value);
    }

    public void Dispose() => Directory.Delete(_scripts, recursive: true);

    public static TheoryData<int> RuleExamples() => [.. Enumerable.Range(0, YamlBlocks("docs/rules.md").Count)];

    [Fact]
    public void Readme_flow_example_loads_and_compiles()
    {
        var flows = YamlBlocks("README.md");

        flows.ShouldNotBeEmpty();
        foreach (var yaml in flows)
        {
            Compile(yaml).ShouldNotBeNull();
        }
    }

    [Theory]
    [MemberData(nameof(RuleExamples))]
    public void Rules_doc_example_compiles_in_a_flow(int index)
    {
        var snippet = YamlBlocks("docs/rules.md")[index].TrimEnd();
        var first = snippet.TrimStart();
        var ruleSet = first.StartsWith("- ", StringComparison.Ordinal) ? "rules:\n" + snippet
            : first.StartsWith("lhv:", StringComparison.Ordinal) ? "rules:\n  - " + Indent(snippet, 4).TrimStart()
            : snippet;

        var flow = Compile($"""
            id: docs
            fields: {Fields}
            sources: [ {"{"} id: docs {"}"} ]
            acceptance_criteria:
              rule_set:
            {Indent(ruleSet, 4)}
            steps:
              - key: phone_check
                type: enhancement
                integration: phone.verify
                inputs: {"{"} phone: "{"{{"} lead.phone_1 {"}}"}" {"}"}
            """);

        flow.ShouldNotBeNull();
        flow.AcceptanceCriteria.ShouldNotBeNull().RuleSet.Definition.Rules.ShouldNotBeEmpty();
    }

    [Fact]
    public void Rules_doc_trace_example_is_what_the_engine_records()
    {
        var text = File.ReadAllText(Path.Combine(PluggableFlows.Testing.RepoPaths.Root, "docs", "rules.md"));
        var start = text.IndexOf("For the rule set", StringComparison.Ordinal);
        var yaml = YamlBlock().Match(text, start).Groups[1].Value;
        var table = TextBlock().Match(text, start).Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var flow = Compile($"""
            id: docs
            fields: {Fields}
            sources: [ {"{"} id: docs {"}"} ]
            acceptance_criteria:
              rule_set:
            {Indent(yaml, 4)}
            """)!;
        var registry = FieldTypeRegistry.Default;
        var vars = new LeadVars("L", new Dictionary<string, FieldValue>
            {
                ["first_name"] = registry.Parse("first_name", "Alice"),
                ["age"] = registry.Parse("number", "30"),
                ["ssn"] = registry.Parse("ssn", "123-45-6789"),
            },
            new SourceVars("docs", "docs"), new FlowVars("docs", "docs", "v"), new SubmissionVars("S", DateTimeOffset.UnixEpoch, null), 1);
        var trace = new RuleTrace();

        flow.AcceptanceCriteria!.RuleSet.Evaluate(vars, trace);

        var header = table[0];
        int[] columns = [0, header.IndexOf("lhv", StringComparison.Ordinal), header.IndexOf("op", StringComparison.Ordinal),
            header.IndexOf("rhv", StringComparison.Ordinal), header.IndexOf("resolved lhv", StringComparison.Ordinal),
            header.IndexOf("resolved rhv", StringComparison.Ordinal), header.IndexOf("result", StringComparison.Ordinal)];
        var documented = table.Skip(1).Select(row => Enumerable.Range(0, columns.Length)
            .Select(i => Cell(row, columns[i], i + 1 < columns.Length ? columns[i + 1] : row.Length)).ToArray()).ToArray();
        trace.Entries.Count.ShouldBe(documented.Length);
        for (var i = 0; i < documented.Length; i++)
        {
            var entry = trace.Entries[i];
            string?[] actual = [entry.Depth.ToString(System.Globalization.CultureInfo.InvariantCulture), entry.Lhv, entry.Operator,
                entry.Rhv ?? "", entry.ResolvedLhv ?? "", entry.ResolvedRhv ?? "", entry.Result ? "true" : "false"];
            actual.ShouldBe(documented[i], $"trace row {i + 1}");
        }
    }

    [Fact]
    public void Rules_doc_csharp_examples_give_what_their_comments_say()
    {
        var text = File.ReadAllText(Path.Combine(PluggableFlows.Testing.RepoPaths.Root, "docs", "rules.md"));
        var start = text.IndexOf("Against the lead `", StringComparison.Ordinal);
        start.ShouldBeGreaterThan(0);
        var leadText = text[(start + "Against the lead `".Length)..text.IndexOf('`', start + "Against the lead `".Length)];
        var registry = new FieldTypeRegistry(null, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 3, 14, 12, 0, 0, TimeSpan.Zero)));
        var types = new Dictionary<string, string> { ["state"] = "state", ["dob"] = "dob", ["phone_1"] = "phone", ["email"] = "email", ["age"] = "number", ["tcpa_consent"] = "boolean" };
        var fields = leadText.Split(", ").Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => registry.Parse(types[pair[0]], pair[1]));
        var vars = new LeadVars("L", fields, new SourceVars("docs", "docs"), new FlowVars("docs", "docs", "v"),
            new SubmissionVars("S", new DateTimeOffset(2026, 3, 14, 12, 0, 0, TimeSpan.Zero), null), 1);
        vars.SetStep("phone_check", new StepVars(Outcome.Success, null, new Dictionary<string, object?> { ["line_type"] = "mobile" }));
        var examples = YamlBlock().Match(text, start).Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        examples.Length.ShouldBeGreaterThanOrEqualTo(10);
        foreach (var example in examples)
        {
            var comment = example[(example.LastIndexOf('#') + 1)..].Trim();
            var flow = Compile($"""
                id: docs
                fields: {Fields}
                sources: [ {"{"} id: docs {"}"} ]
                acceptance_criteria:
                  rule_set:
                    rules:
                {Indent(example[..example.LastIndexOf('#')].TrimEnd(), 6)}
                steps:
                  - key: phone_check
                    type: enhancement
                    integration: phone.verify
                    inputs: {"{"} phone: "{"{{"} lead.phone_1 {"}}"}" {"}"}
                """)!;
            var result = flow.AcceptanceCriteria!.RuleSet.Run(vars);
            result.Error.ShouldBeNull(example);
            result.Passed.ShouldBe(comment.StartsWith("true", StringComparison.Ordinal), example);
        }
    }

    private CompiledFlow? Compile(string yaml)
    {
        var loaded = new FlowLoader(new FlowLoaderOptions
        {
            ResolveIntegration = id => _integrations.TryGet(id, out var integration) ? integration.Descriptor : null,
            ScriptsRoot = _scripts,
        }).Parse(yaml, "example.yaml");
        loaded.Diagnostics.ShouldBeEmpty(yaml + Environment.NewLine + string.Join(Environment.NewLine, loaded.Diagnostics));
        var diagnostics = new DiagnosticBag();
        var flow = new FlowCompiler(FieldTypeRegistry.Default, _integrations, _scripts).Compile(loaded.Flow!, diagnostics);
        diagnostics.Items.ShouldBeEmpty(yaml + Environment.NewLine + string.Join(Environment.NewLine, diagnostics.Items));
        return flow;
    }

    private static string Cell(string row, int from, int to) =>
        from >= row.Length ? "" : row[from..Math.Min(to, row.Length)].Trim();

    private static List<string> YamlBlocks(string file) =>
        YamlBlock().Matches(File.ReadAllText(PluggableFlows.Testing.RepoPaths.Combine(file))).Select(m => m.Groups[1].Value).ToList();

    private static string Indent(string text, int spaces) =>
        string.Join('\n', text.Split('\n').Select(line => line.Length == 0 ? line : new string(' ', spaces) + line));

    [GeneratedRegex("```yaml\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();

    [GeneratedRegex("```text\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex TextBlock();

    [GeneratedRegex("```js\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsBlock();
}
