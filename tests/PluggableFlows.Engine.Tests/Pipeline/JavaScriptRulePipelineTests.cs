using Microsoft.Extensions.Time.Testing;
using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Flows;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Plugins;
using PluggableFlows.Engine.Rules;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Tests.Pipeline;

public class JavaScriptRulePipelineTests
{
    private const string Header = """
        id: test-flow
        name: Test flow
        fields: [first_name, email, phone_1, state, { id: vehicle_year, type: number }]
        sources:
          - id: acme
            name: Acme Media

        """;

    private const string Throws = "(() => { throw new Error('no state table'); })()";

    private readonly PipelineHarness _harness = new();

    private FakeTimeProvider Time => _harness.Time;

    private LeadProcessor Processor(PipelineOptions? options = null) => _harness.Processor(options);

    private CompiledFlow Compile(string yaml, params IIntegration[] integrations) => _harness.Compile(yaml, integrations);

    [Theory]
    [InlineData("TX", "2010", Outcome.Success)]
    [InlineData("TX", "2001", Outcome.Failure)]
    [InlineData("CA", "2010", Outcome.Failure)]
    public async Task Js_acceptance_criteria_read_typed_field_values(string state, string year, Outcome expected)
    {
        var flow = Compile(Header + """
            acceptance_criteria:
              rule_set: { rules: [ { js: "lead.state == 'TX' && lead.vehicle_year > 2005" } ] }
              reason: Texas and newer than 2005 only
            """);

        var result = await Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("state", state), ("vehicle_year", year)));

        result.Outcome.ShouldBe(expected);
    }

    [Fact]
    public async Task Flow_acceptance_criteria_that_error_stop_the_lead_with_outcome_error()
    {
        var flow = Compile(Header + $$"""
            acceptance_criteria:
              rule_set: { rules: [ { lhv: lead.state, op: is not blank }, { js: "{{Throws}}" } ] }
              reason: never used
            """);

        var result = await Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("state", "TX")));

        result.Outcome.ShouldBe(Outcome.Error);
        result.Reason.ShouldNotBeNull().ShouldStartWith("Rule error in flow acceptance criteria: ");
        result.Reason.ShouldContain("no state table");
        result.Events.Single(e => e.Kind == EventKind.Acceptance).Outcome.ShouldBe(Outcome.Error);
    }

    [Fact]
    public async Task Source_acceptance_criteria_that_error_stop_the_lead_with_outcome_error()
    {
        var flow = Compile($$"""
            id: test-flow
            fields: [state]
            sources:
              - id: acme
                acceptance_criteria:
                  rule_set: { rules: [ { js: "{{Throws}}" } ] }
            """);

        var result = await Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("state", "TX")));

        result.Outcome.ShouldBe(Outcome.Error);
        result.Reason.ShouldNotBeNull().ShouldStartWith("Rule error in source acceptance criteria: ");
    }

    [Fact]
    public async Task Filter_whose_rules_error_stops_the_lead_with_outcome_error()
    {
        var crm = new FakeIntegration("crm.post", IntegrationKind.Delivery, _ => IntegrationResult.Success());
        var flow = Compile(Header + $$"""
            steps:
              - key: no_test_leads
                type: filter
                stop_if: { op: or, rules: [ { lhv: lead.first_name, op: is equal to, rhv: test }, { js: "{{Throws}}" } ] }
              - key: crm
                type: delivery
                integration: crm.post
            """, crm);

        var result = await Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("first_name", "Ada")));

        result.Outcome.ShouldBe(Outcome.Error);
        result.Reason.ShouldNotBeNull().ShouldStartWith("Rule error in filter no_test_leads: ");
        result.Reason.ShouldContain("no state table");
        crm.Calls.ShouldBeEmpty();
        result.Vars.TryGetStep("no_test_leads", out var filter).ShouldBeTrue();
        filter.Outcome.ShouldBe(Outcome.Error);
    }

    [Fact]
    public async Task Filter_whose_error_does_not_decide_the_result_answers_normally()
    {
        var flow = Compile(Header + $$"""
            steps:
              - key: no_test_leads
                type: filter
                stop_if: { op: or, rules: [ { lhv: lead.first_name, op: is equal to, rhv: test }, { js: "{{Throws}}" } ] }
                reason: Test lead
            """);

        var result = await Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("first_name", "test")));

        result.Outcome.ShouldBe(Outcome.Failure);
        result.Reason.ShouldBe("Test lead");
    }

    [Fact]
    public async Task Step_whose_when_rules_error_is_skipped_with_the_error_and_the_lead_continues()
    {
        var crm = new FakeIntegration("crm.post", IntegrationKind.Delivery, _ => IntegrationResult.Success());
        var flow = Compile(Header + $$"""
            steps:
              - key: crm
                type: delivery
                integration: crm.post
                when: { js: "{{Throws}}" }
            """, crm);

        var result = await Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("state", "TX")));

        result.Outcome.ShouldBe(Outcome.Success);
        crm.Calls.ShouldBeEmpty();
        var step = result.Events.Single(e => e.StepKey == "crm");
        step.Outcome.ShouldBe(Outcome.Skip);
        step.Reason.ShouldNotBeNull().ShouldStartWith("Rule error in step crm criteria: ");
        step.Reason.ShouldContain("no state table");
    }

    [Fact]
    public async Task Js_when_reads_appended_data_of_earlier_steps()
    {
        var check = new FakeIntegration("phone.check", IntegrationKind.Enhancement,
            _ => IntegrationResult.Success(appended: new Dictionary<string, object?> { ["line_type"] = "mobile" }));
        var crm = new FakeIntegration("crm.post", IntegrationKind.Delivery, _ => IntegrationResult.Success());
        var flow = Compile(Header + """
            steps:
              - key: phone_check
                type: enhancement
                integration: phone.check
              - key: crm
                type: delivery
                integration: crm.post
                when: { js: "phone_check.outcome == 'success' && phone_check.line_type == 'mobile'" }
            """, check, crm);

        var result = await Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("state", "TX")));

        result.Outcome.ShouldBe(Outcome.Success);
        crm.Calls.Count.ShouldBe(1);
    }

    [Fact]
    public void Loader_reads_a_js_rule_at_the_position_of_its_first_character()
    {
        var loaded = new FlowLoader(new FlowLoaderOptions()).Parse(Header + """
            acceptance_criteria:
              rule_set: { rules: [ { lhv: lead.state, op: is not blank }, { js: "lead.state == 'TX'" } ] }
            """, "test.yaml");

        var rules = loaded.Flow.ShouldNotBeNull().AcceptanceCriteria.ShouldNotBeNull().RuleSet.Rules;
        rules[0].ShouldBeOfType<RuleDefinition>();
        rules[1].ShouldBe(new ScriptRuleDefinition(ScriptLanguage.JavaScript, "lead.state == 'TX'", new SourceLocation("test.yaml", 8, 70)));
    }

    [Fact]
    public void Loader_reads_a_js_block_scalar_at_its_first_content_line()
    {
        var loaded = new FlowLoader(new FlowLoaderOptions()).Parse(Header + """
            acceptance_criteria:
              rule_set:
                js: |
                  const age = lead.dob.age;
                  return age >= 21;
            """, "test.yaml");

        var rule = loaded.Flow.ShouldNotBeNull().AcceptanceCriteria.ShouldNotBeNull().RuleSet.Rules.ShouldHaveSingleItem();
        rule.ShouldBe(new ScriptRuleDefinition(ScriptLanguage.JavaScript, "const age = lead.dob.age;\nreturn age >= 21;",
            new SourceLocation("test.yaml", 10, 7)));
    }

    [Fact]
    public async Task Js_body_written_as_a_block_scalar_runs_in_a_step_when()
    {
        var crm = new FakeIntegration("crm.post", IntegrationKind.Delivery, _ => IntegrationResult.Success());
        var flow = Compile(Header + """
            steps:
              - key: crm
                type: delivery
                integration: crm.post
                when:
                  js: |
                    if (lead.state != 'TX') return false;
                    return lead.vehicle_year > 2005;
            """, crm);

        (await Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("state", "TX"), ("vehicle_year", "2010")))).Outcome.ShouldBe(Outcome.Success);
        (await Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("state", "CA"), ("vehicle_year", "2010")))).Outcome.ShouldBe(Outcome.Success);

        crm.Calls.Count.ShouldBe(1);
    }
}
