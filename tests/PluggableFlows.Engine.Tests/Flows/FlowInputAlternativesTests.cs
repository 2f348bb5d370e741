using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Flows;
using PluggableFlows.Engine.Rules;
using static PluggableFlows.Engine.Tests.Flows.FlowTestKit;

namespace PluggableFlows.Engine.Tests.Flows;

/// <summary>An input written as a list of alternatives <c>[{ value, when }, ...]</c>: how it is read, and its mistakes.</summary>
public sealed class FlowInputAlternativesTests
{
    /// <summary>A phone.verify step whose <c>phone</c> input is <paramref name="phone"/>, starting at line 8, column 7.</summary>
    private static string StepWithPhone(string phone) => $$"""
        id: demo
        fields: [phone_1, phone_2, state]
        steps:
          - key: phone_check
            type: enhancement
            integration: phone.verify
            inputs:
        {{phone}}
        """;

    [Fact]
    public void Alternatives_are_read_in_order_with_their_conditions()
    {
        var result = Parse(StepWithPhone("""
                  country: US
                  phone:
                    - { value: "{{ lead.phone_2 }}", when: { lhv: lead.phone_2, op: format is valid } }
                    - value: "+1 {{ lead.phone_1 }}"
                      when: { op: or, rules: [ { js: "lead.state == 'TX'" }, { lhv: lead.state, op: is equal to, rhv: OK } ] }
                    - value: "{{ lead.phone_1 }}"
            """));

        result.Diagnostics.ShouldBeEmpty(string.Join(Environment.NewLine, result.Diagnostics));
        var step = result.Flow.ShouldNotBeNull().Steps.ShouldHaveSingleItem().ShouldBeOfType<IntegrationStepDefinition>();
        step.Inputs.ShouldBe(new Dictionary<string, string> { ["country"] = "US" });
        var phone = step.ConditionalInputs.ShouldHaveSingleItem();
        phone.Key.ShouldBe("phone");
        phone.Value.Select(a => a.Value).ShouldBe(["{{ lead.phone_2 }}", "+1 {{ lead.phone_1 }}", "{{ lead.phone_1 }}"]);
        phone.Value[0].Location.ShouldBe(new SourceLocation(FlowFile, 10, 11));
        var single = phone.Value[0].When.ShouldNotBeNull();
        single.Operator.ShouldBe(RuleSetOperator.And);
        single.Rules.ShouldHaveSingleItem().ShouldBeOfType<RuleDefinition>().Operator.ShouldBe("format is valid");
        var set = phone.Value[1].When.ShouldNotBeNull();
        set.Operator.ShouldBe(RuleSetOperator.Or);
        set.Rules[0].ShouldBeOfType<ScriptRuleDefinition>();
        phone.Value[2].When.ShouldBeNull();
    }

    [Fact]
    public void A_required_input_written_as_alternatives_is_mapped()
    {
        var result = Parse(StepWithPhone("""
                  phone:
                    - { value: "{{ lead.phone_2 }}", when: { lhv: lead.phone_2, op: format is valid } }
            """));

        result.Diagnostics.ShouldBeEmpty(string.Join(Environment.NewLine, result.Diagnostics));
    }

    [Fact]
    public void Alternative_without_value_is_reported()
    {
        var diagnostic = SingleDiagnostic(StepWithPhone("""
                  phone:
                    - { when: { lhv: lead.phone_2, op: format is valid } }
            """));

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.MissingKey, 9, 11);
        diagnostic.Message.ShouldBe("Missing required key 'value' in an alternative of input 'phone'.");
        diagnostic.Hint.ShouldBe("Give the alternative the input's value, e.g. value: \"{{ lead.phone }}\".");
    }

    [Fact]
    public void Unknown_key_in_an_alternative_is_reported_with_the_nearest_key()
    {
        var diagnostic = SingleDiagnostic(StepWithPhone("""
                  phone:
                    - { value: "{{ lead.phone_2 }}", wen: { lhv: lead.phone_2, op: format is valid } }
            """));

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.UnknownKey, 9, 42);
        diagnostic.Message.ShouldBe("Unknown key 'wen' in an alternative of input 'phone'.");
        diagnostic.Hint.ShouldBe("Did you mean 'when'?");
    }

    [Fact]
    public void Alternative_that_is_not_a_mapping_is_reported()
    {
        var diagnostic = SingleDiagnostic(StepWithPhone("""
                  phone:
                    - "{{ lead.phone_2 }}"
            """));

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.InvalidValue, 9, 11);
        diagnostic.Message.ShouldBe("'phone' must be a list of alternatives { value, when }, but found '{{ lead.phone_2 }}'.");
    }

    [Fact]
    public void Malformed_condition_of_an_alternative_is_reported()
    {
        var diagnostic = SingleDiagnostic(StepWithPhone("""
                  phone:
                    - { value: "{{ lead.phone_2 }}", when: { lhv: lead.phone_2 } }
                    - value: "{{ lead.phone_1 }}"
            """));

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.MissingKey, 9, 48);
        diagnostic.Message.ShouldBe("Missing required key 'op' in a rule.");
    }

    [Fact]
    public void Placeholders_in_an_alternative_value_are_checked()
    {
        var diagnostic = SingleDiagnostic(StepWithPhone("""
                  phone:
                    - value: "{{ lead.phone_3x }}"
            """));

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.UnknownPlaceholderField, 9, 19);
        diagnostic.Hint.ShouldBe("Did you mean 'phone_3'?");
    }

    [Fact]
    public void Alternatives_after_one_without_when_are_reported_as_never_used()
    {
        var diagnostic = SingleDiagnostic(StepWithPhone("""
                  phone:
                    - value: "{{ lead.phone_1 }}"
                    - { value: "{{ lead.phone_2 }}", when: { lhv: lead.phone_2, op: format is valid } }
            """));

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.InvalidValue, 10, 11);
        diagnostic.Message.ShouldBe("Input 'phone' has an alternative without when at line 9, so this alternative and those after it are never used.");
        diagnostic.Hint.ShouldBe("An alternative without when always applies: give it a when, or move it to the end as the fallback.");
    }

    [Fact]
    public void Empty_list_of_alternatives_is_reported()
    {
        var diagnostic = SingleDiagnostic(StepWithPhone("""
                  phone: []
            """));

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.InvalidValue, 8, 14);
        diagnostic.Message.ShouldBe("Input 'phone' has an empty list of alternatives, so it is never set.");
    }

    [Fact]
    public void Input_written_as_a_mapping_is_reported_with_a_hint_to_quote_templates()
    {
        var diagnostic = SingleDiagnostic(StepWithPhone("""
                  phone: { value: x }
            """));

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.InvalidValue, 8, 14);
        diagnostic.Message.ShouldBe("Input 'phone' must be text, a template or a list of alternatives, but found a mapping.");
        diagnostic.Hint.ShouldBe("Quote a template that starts with '{{': phone: \"{{ lead.phone }}\"; write alternatives as a list: - { value: ..., when: ... }.");
    }
}
