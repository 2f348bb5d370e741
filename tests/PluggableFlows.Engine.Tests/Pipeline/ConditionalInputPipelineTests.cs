using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Tests.Flows;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Tests.Pipeline;

/// <summary>Inputs written as alternatives: the first whose <c>when</c> passes gives the value the integration gets.</summary>
public sealed class ConditionalInputPipelineTests
{
    private const string Header = """
        id: conditional-inputs
        fields: [phone_1, phone_2, state, { id: vehicle_year, type: number }]
        sources: [ { id: acme } ]
        steps:
          - key: crm
            type: delivery
            integration: crm.post

        """;

    private readonly PipelineHarness _harness = new();
    private readonly FakeIntegration _crm = new("crm.post", IntegrationKind.Delivery, _ => IntegrationResult.Success());

    private async Task<(LeadResult Result, IReadOnlyDictionary<string, object?>? Inputs)> Run(CompiledFlow flow, params (string, string)[] fields)
    {
        var calls = _crm.Calls.Count;
        var result = await _harness.Processor().ProcessAsync(flow, TestFlows.Lead("acme", fields));
        return (result, _crm.Calls.Count > calls ? _crm.Calls[^1].Values : null);
    }

    private CompiledFlow Compile(string inputs) => _harness.Compile(Header + inputs, _crm);

    [Theory]
    [InlineData("TX", "south")]
    [InlineData("FL", "south")]
    [InlineData("CA", "west")]
    [InlineData("Oregon", "west")]
    public async Task First_alternative_whose_when_passes_gives_the_input(string state, string region)
    {
        var flow = Compile("""
                inputs:
                  region:
                    - { value: south, when: { lhv: lead.state, op: is included in, rhv: [TX, FL] } }
                    - { value: west, when: { op: or, rules: [ { lhv: lead.state, op: is equal to, rhv: CA }, { lhv: lead.state, op: is equal to, rhv: OR } ] } }
                    - { value: "west too", when: { lhv: lead.state, op: is equal to, rhv: OR } }
            """);

        var (_, inputs) = await Run(flow, ("state", state));

        inputs.ShouldNotBeNull()["region"].ShouldBe(region);
    }

    [Fact]
    public async Task Alternative_without_when_is_the_fallback()
    {
        var flow = Compile("""
                inputs:
                  region:
                    - { value: south, when: { lhv: lead.state, op: is equal to, rhv: TX } }
                    - value: "other ({{ lead.state }})"
            """);

        var (_, inputs) = await Run(flow, ("state", "NY"));

        inputs.ShouldNotBeNull()["region"].ShouldBe("other (NY)");
    }

    [Fact]
    public async Task Input_is_not_set_when_no_alternative_applies()
    {
        var flow = Compile("""
                inputs:
                  url: https://crm.example.com/leads
                  region:
                    - { value: south, when: { lhv: lead.state, op: is equal to, rhv: TX } }
            """);

        var (result, inputs) = await Run(flow, ("state", "NY"));

        result.Outcome.ShouldBe(Outcome.Success);
        inputs.ShouldNotBeNull().Keys.ShouldBe(["url"]);
    }

    [Theory]
    [InlineData("5125551212", "5125551213", "5125551213")]
    [InlineData("5125551212", "123", "5125551212")]
    public async Task Js_condition_chooses_an_alternative_and_a_lone_placeholder_passes_the_typed_value(string phone1, string phone2, string expected)
    {
        var flow = Compile("""
                inputs:
                  phone:
                    - { value: "{{ lead.phone_2 }}", when: { js: "lead.phone_2?.valid === true" } }
                    - { value: "{{ lead.phone_1 }}" }
            """);

        var (_, inputs) = await Run(flow, ("phone_1", phone1), ("phone_2", phone2));

        var phone = inputs.ShouldNotBeNull()["phone"].ShouldBeOfType<FieldValue>();
        phone.Type.ShouldBe("phone");
        phone.Normal.ShouldBe(expected);
    }

    [Fact]
    public async Task When_that_fails_at_run_time_makes_the_step_an_error_naming_the_input()
    {
        var flow = Compile("""
                inputs:
                  region:
                    - { value: south, when: { js: "lead.state.normal.startsWith('T')" } }
                    - { value: elsewhere }
            """);

        var (result, inputs) = await Run(flow);

        inputs.ShouldBeNull("a failing condition must not fall through to the next alternative");
        result.Outcome.ShouldBe(Outcome.Success, "a step's error does not stop the lead unless on_failure: stop");
        var step = result.Events.Single(e => e.StepKey == "crm");
        step.Outcome.ShouldBe(Outcome.Error);
        step.Reason.ShouldNotBeNull().ShouldStartWith("Rule error in step crm input region: js rule ");
        step.Reason.ShouldContain("The script threw: Cannot read property 'normal' of undefined");
        result.Vars.TryGetStep("crm", out var crm).ShouldBeTrue();
        crm.Outcome.ShouldBe(Outcome.Error);
    }

    [Fact]
    public async Task Failing_condition_on_a_step_that_stops_on_failure_stops_the_lead_with_an_error()
    {
        var flow = Compile("""
                on_failure: stop
                inputs:
                  region:
                    - { value: south, when: { js: "lead.state.normal.startsWith('T')" } }
            """);

        var (result, _) = await Run(flow);

        result.Outcome.ShouldBe(Outcome.Error);
        result.Reason.ShouldNotBeNull().ShouldStartWith("Rule error in step crm input region: ");
    }

    [Fact]
    public async Task Trace_explains_each_alternative_tried()
    {
        var flow = Compile("""
                inputs:
                  region:
                    - { value: south, when: { lhv: lead.state, op: is equal to, rhv: TX } }
                    - { value: west, when: { lhv: lead.state, op: is equal to, rhv: CA } }
                    - { value: north, when: { lhv: lead.state, op: is equal to, rhv: ND } }
            """);

        var (result, _) = await Run(flow, ("state", "CA"));

        var trace = result.Events.Single(e => e.StepKey == "crm").Trace.ShouldNotBeNull().Entries;
        trace.Select(e => (e.Depth, e.Lhv, e.Operator, e.Result)).ShouldBe(
        [
            (0, "inputs.region alternative 1", "when", false),
            (1, "lead.state", "is equal to", false),
            (0, "inputs.region alternative 2", "when", true),
            (1, "lead.state", "is equal to", true),
        ]);
    }

    [Fact]
    public async Task Conditions_see_what_earlier_steps_appended()
    {
        var check = new FakeIntegration("phone.check", IntegrationKind.Enhancement,
            _ => IntegrationResult.Success(appended: new Dictionary<string, object?> { ["line_type"] = "mobile" }));
        var flow = _harness.Compile("""
            id: conditional-inputs
            fields: [phone_1]
            sources: [ { id: acme } ]
            steps:
              - key: phone_check
                type: enhancement
                integration: phone.check
              - key: crm
                type: delivery
                integration: crm.post
                inputs:
                  sms_ok:
                    - { value: "yes", when: { lhv: phone_check.line_type, op: is equal to, rhv: mobile } }
                    - { value: "no" }
            """, check, _crm);

        var (_, inputs) = await Run(flow, ("phone_1", "5125551212"));

        inputs.ShouldNotBeNull()["sms_ok"].ShouldBe("yes");
    }
}
