using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Plugins;
using PluggableFlows.Engine.Tests.Flows;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Tests.Pipeline;

/// <summary>Rule files loaded with their flow, compiled once and run for every lead.</summary>
public sealed class RuleFilePipelineTests : IDisposable
{
    private const string Flow = """
        id: rule-files
        fields: [state, dob, { id: vehicle_year, type: number }, { id: insured, type: boolean }]
        sources: [ { id: acme } ]
        steps:
          - key: crm
            type: delivery
            integration: crm.post
            when: { rule: texas-recent }
        """;

    private readonly TempScripts _scripts = new();
    private readonly PipelineHarness _harness = new();

    public void Dispose() => _scripts.Dispose();

    private static FakeIntegration Crm() => new("crm.post", IntegrationKind.Delivery, _ => IntegrationResult.Success());

    [Fact]
    public async Task Js_rule_file_decides_a_step_through_the_pipeline()
    {
        _scripts.WriteRule("texas-recent.js", """
            // Texas leads with a vehicle from 2010 on.
            if (lead.state != 'TX') return false;
            return lead.vehicle_year >= 2010;
            """);
        var crm = Crm();
        var flow = _harness.CompileFile(_scripts.WriteFlow("rule-files.yaml", Flow), crm);
        var processor = _harness.Processor();

        var texas = await processor.ProcessAsync(flow, TestFlows.Lead("acme", ("state", "Texas"), ("vehicle_year", "2012")));
        var old = await processor.ProcessAsync(flow, TestFlows.Lead("acme", ("state", "TX"), ("vehicle_year", "2001")));
        var california = await processor.ProcessAsync(flow, TestFlows.Lead("acme", ("state", "CA"), ("vehicle_year", "2012")));

        crm.Calls.Count.ShouldBe(1);
        texas.Events.Single(e => e.StepKey == "crm").Outcome.ShouldBe(Outcome.Success);
        old.Events.Single(e => e.StepKey == "crm").Outcome.ShouldBe(Outcome.Skip);
        california.Events.Single(e => e.StepKey == "crm").Outcome.ShouldBe(Outcome.Skip);
        texas.Events.Single(e => e.StepKey == "crm").Trace.ShouldNotBeNull().Entries.ShouldHaveSingleItem().Lhv.ShouldBe("rules/texas-recent.js");
    }

    [Fact]
    public void Syntax_error_in_a_rule_file_is_reported_at_its_line_and_column_in_the_rule_file()
    {
        var rule = _scripts.WriteRule("texas-recent.js", "// Texas leads only.\nconst state = lead.state;\nif (state != ) return false;\nreturn true;\n");
        var path = _scripts.WriteFlow("rule-files.yaml", Flow);

        var load = new FlowCatalog(FieldTypeRegistry.Default, new IntegrationRegistry([Crm()])).LoadFile(path);

        load.Succeeded.ShouldBeFalse();
        var diagnostic = load.Diagnostics.ShouldHaveSingleItem();
        diagnostic.Code.ShouldBe("PF0220");
        diagnostic.Location.ShouldBe(new SourceLocation(rule, 3, 14));
        diagnostic.Message.ShouldStartWith("JavaScript syntax error at line 3, column 14 of the script: ");
    }

    [Fact]
    public async Task Csharp_rule_file_of_statements_decides_a_step_through_the_pipeline()
    {
        _scripts.WriteRule("texas-recent.csx", """
            // Texas leads with a vehicle from 2010 on.
            if (lead.state != "TX") return false;
            var year = lead.vehicle_year.number ?? 0;
            return year >= 2010;
            """);
        var crm = Crm();
        var flow = _harness.CompileFile(_scripts.WriteFlow("rule-files.yaml", Flow), crm);
        var processor = _harness.Processor();

        var texas = await processor.ProcessAsync(flow, TestFlows.Lead("acme", ("state", "Texas"), ("vehicle_year", "2012")));
        var old = await processor.ProcessAsync(flow, TestFlows.Lead("acme", ("state", "TX"), ("vehicle_year", "2001")));

        crm.Calls.Count.ShouldBe(1);
        texas.Events.Single(e => e.StepKey == "crm").Outcome.ShouldBe(Outcome.Success);
        old.Events.Single(e => e.StepKey == "crm").Outcome.ShouldBe(Outcome.Skip);
    }

    [Fact]
    public void Compile_error_in_a_csharp_rule_file_is_reported_at_its_line_and_column_in_the_rule_file()
    {
        var rule = _scripts.WriteRule("texas-recent.csx", "// Texas leads only.\nif (lead.sate != \"TX\") return false;\nreturn true;\n");
        var path = _scripts.WriteFlow("rule-files.yaml", Flow);

        var load = new FlowCatalog(FieldTypeRegistry.Default, new IntegrationRegistry([Crm()])).LoadFile(path);

        load.Succeeded.ShouldBeFalse();
        var diagnostic = load.Diagnostics.ShouldHaveSingleItem();
        diagnostic.Code.ShouldBe("PF0222");
        diagnostic.Location.ShouldBe(new SourceLocation(rule, 2, 10));
        diagnostic.Hint.ShouldBe("Did you mean lead.state?");
    }

    [Fact]
    public void Problems_in_the_flow_file_come_before_problems_in_its_rule_files()
    {
        var rule = _scripts.WriteRule("texas-recent.js", "if (lead.state != ) return false;\nreturn true;\n");
        var path = _scripts.WriteFlow("rule-files.yaml", Flow + "\n" + """
            acceptance_criteria:
              rule_set: { rules: [ { lhv: lead.state, op: is equal } ] }
            """);

        var load = new FlowCatalog(FieldTypeRegistry.Default, new IntegrationRegistry([Crm()])).LoadFile(path);

        load.Diagnostics.Select(d => (d.Location.File, d.Code)).ShouldBe([(path, "PF0201"), (rule, "PF0220")]);
    }

    [Fact]
    public async Task Rule_file_that_throws_names_the_file_in_the_reason()
    {
        _scripts.WriteRule("texas-recent.js", "throw new Error('no state table');");
        var crm = Crm();
        var flow = _harness.CompileFile(_scripts.WriteFlow("rule-files.yaml", Flow), crm);

        var result = await _harness.Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("state", "TX")));

        var step = result.Events.Single(e => e.StepKey == "crm");
        step.Outcome.ShouldBe(Outcome.Skip);
        step.Reason.ShouldBe("Rule error in step crm criteria: js rule rules/texas-recent.js: The script threw: no state table");
    }

    [Theory]
    [InlineData("1980-06-01", "yes", "2019", Outcome.Success)]
    [InlineData("1980-06-01", "no", "2019", Outcome.Failure)]
    [InlineData("1980-06-01", "yes", "2009", Outcome.Failure)]
    [InlineData("2015-06-01", "yes", "2019", Outcome.Failure)]
    [InlineData("", "yes", "2019", Outcome.Failure)]
    public async Task Sample_high_intent_rule_picks_insured_adult_drivers_of_recent_vehicles(string dob, string insured, string year, Outcome expected)
    {
        var flow = _harness.CompileIn(FlowTestKit.ScriptsRoot, """
            id: high-intent
            fields: [dob, { id: vehicle_year, type: number }, { id: insured, type: boolean }]
            sources: [ { id: acme } ]
            acceptance_criteria:
              rule_set: { rule: high-intent }
              reason: Not high intent
            """);

        var result = await _harness.Processor().ProcessAsync(flow,
            TestFlows.Lead("acme", ("dob", dob), ("insured", insured), ("vehicle_year", year)));

        result.Outcome.ShouldBe(expected, result.Reason);
    }
}
