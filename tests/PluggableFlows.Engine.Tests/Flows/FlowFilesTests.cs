using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using PluggableFlows.Engine.Flows;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using static PluggableFlows.Engine.Tests.Flows.FlowTestKit;

namespace PluggableFlows.Engine.Tests.Flows;

/// <summary>The shipped sample flows, the JSON Schema editors use, and the examples in docs/flows.md.</summary>
public sealed partial class FlowFilesTests
{
    public static TheoryData<string> SampleFlows()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(ScriptsRoot, "flows"), "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    public static TheoryData<int> DocExamples()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < ExamplesInDocs().Count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SampleFlows))]
    public void Sample_flow_loads_without_diagnostics(string file)
    {
        var result = Loader(scriptsRoot: null).Load(Path.Combine(ScriptsRoot, "flows", file));

        result.Diagnostics.ShouldBeEmpty(string.Join(Environment.NewLine, result.Diagnostics));
        result.Succeeded.ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(SampleFlows))]
    public void Sample_flow_validates_against_the_schema(string file)
    {
        var yaml = File.ReadAllText(Path.Combine(ScriptsRoot, "flows", file));

        var errors = SchemaErrors(yaml);

        errors.ShouldBeEmpty();
    }

    [Fact]
    public void Schema_rejects_a_broken_flow()
    {
        var errors = SchemaErrors("""
            id: Demo Flow
            fields: [{ id: year, type: numbr }]
            steps:
              - key: no_voip
                type: filter
                stop_if: { rules: [ { lhv: lead.phone_1, op: is equalto, rhv: x } ] }
              - key: crm
                type: delivery
                timeout: soon
            """);

        errors.ShouldNotBeEmpty();
        errors.ShouldContain(e => e.StartsWith("/id", StringComparison.Ordinal));
        errors.ShouldContain(e => e.StartsWith("/fields/0", StringComparison.Ordinal));
        errors.ShouldContain(e => e.StartsWith("/steps/0/stop_if/rules/0", StringComparison.Ordinal));
        errors.ShouldContain(e => e.StartsWith("/steps/1", StringComparison.Ordinal));
    }

    [Fact]
    public void Schema_accepts_retry_as_attempts_or_as_a_mapping()
    {
        SchemaErrors("""
            id: demo
            steps:
              - { key: check, type: enhancement, integration: email.verify, retry: 5 }
              - { key: crm, type: delivery, integration: crm.post, retry: { attempts: 5, backoff: 30s, max_backoff: 1h } }
            """).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("{ key: crm, type: delivery, integration: crm.post, retry: 1 }")]
    [InlineData("{ key: crm, type: delivery, integration: crm.post, retry: { backoff: 30s } }")]
    [InlineData("{ key: crm, type: delivery, integration: crm.post, retry: { attempts: 5, jitter: full } }")]
    [InlineData("{ key: crm, type: delivery, integration: crm.post, retry: { attempts: 5, backoff: soon } }")]
    [InlineData("{ key: no_email, type: filter, stop_if: { rules: [ { lhv: lead.email, op: is blank } ] }, retry: 3 }")]
    public void Schema_rejects_a_bad_retry(string step)
    {
        SchemaErrors($"id: demo\nsteps:\n  - {step}\n").ShouldContain(e => e.StartsWith("/steps/0", StringComparison.Ordinal));
    }

    [Fact]
    public void Schema_rejects_an_inline_secret()
    {
        SchemaErrors("""
            id: demo
            sources: [ { id: acme, api_key: abc123 } ]
            """).ShouldContain(e => e.StartsWith("/sources/0/api_key", StringComparison.Ordinal));
    }

    [Fact]
    public void Schema_accepts_a_rule_file_wherever_a_rule_stands()
    {
        SchemaErrors("""
            id: demo
            acceptance_criteria:
              rule_set: { rule: high-intent }
            steps:
              - key: picky
                type: filter
                stop_if: { op: or, rules: [ { rule: high-intent.js }, { op: and, rules: [ { rule: low_risk.csx } ] } ] }
              - key: crm
                type: delivery
                integration: crm.post
                when: { rule: high-intent }
            """).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("../secrets/key")]
    [InlineData("high-intent.py")]
    [InlineData("high intent")]
    public void Schema_rejects_a_rule_file_name_that_the_loader_rejects(string name)
    {
        SchemaErrors($$"""
            id: demo
            acceptance_criteria:
              rule_set: { rules: [ { rule: "{{name}}" } ] }
            """).ShouldContain(e => e.StartsWith("/acceptance_criteria/rule_set", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("[ { when: { lhv: lead.state, op: is equal to, rhv: TX } } ]")]
    [InlineData("[ { value: south, wen: { lhv: lead.state, op: is equal to, rhv: TX } } ]")]
    [InlineData("[ { value: south, when: { lhv: lead.state } } ]")]
    [InlineData("[]")]
    [InlineData("{ value: south }")]
    public void Schema_rejects_a_malformed_input_alternative(string region)
    {
        SchemaErrors($$"""
            id: demo
            steps:
              - key: crm
                type: delivery
                integration: crm.post
                inputs:
                  region: {{region}}
            """).ShouldContain(e => e.StartsWith("/steps/0", StringComparison.Ordinal));
    }

    [Fact]
    public void Docs_have_yaml_examples()
    {
        ExamplesInDocs().Count.ShouldBeGreaterThan(3);
    }

    [Theory]
    [MemberData(nameof(DocExamples))]
    public void Docs_example_loads_without_diagnostics_and_matches_the_schema(int index)
    {
        var yaml = ExamplesInDocs()[index];

        var result = Loader().Parse(yaml, $"docs/flows.md#example-{index + 1}");

        result.Diagnostics.ShouldBeEmpty(yaml + Environment.NewLine + string.Join(Environment.NewLine, result.Diagnostics));
        SchemaErrors(yaml).ShouldBeEmpty(yaml);
    }

    private static List<string> ExamplesInDocs()
    {
        var markdown = File.ReadAllText(Path.Combine(RepoRoot, "docs", "flows.md"));
        return [.. YamlBlock().Matches(markdown).Select(m => m.Groups["body"].Value)];
    }

    [GeneratedRegex(@"^```yaml\n(?<body>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex YamlBlock();

    private static List<string> SchemaErrors(string yaml)
    {
        var schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(RepoRoot, "docs", "flow.schema.json")));
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var results = schema.Evaluate(ToJson(stream.Documents[0].RootNode), new EvaluationOptions { OutputFormat = OutputFormat.List });
        return results.IsValid
            ? []
            : [.. (results.Details ?? []).Where(d => d.HasErrors).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))];
    }

    /// <summary>YAML to JSON the way yaml-language-server sees it: plain scalars that look like numbers, booleans or null are typed.</summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(p =>
            KeyValuePair.Create(((YamlScalarNode)p.Key).Value!, ToJson(p.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" } => null,
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" or "false" } scalar => JsonValue.Create(scalar.Value == "true"),
        YamlScalarNode { Style: ScalarStyle.Plain } scalar when decimal.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            => JsonValue.Create(number),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new InvalidOperationException("Unexpected YAML node " + node.NodeType),
    };
}
