using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Flows;
using PluggableFlows.Engine.Rules;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Tests.Rules;

/// <summary>
/// The 10-rule acceptance set of the side-by-side benchmarks (tests/PluggableFlows.Benchmarks/SideBySideRuleSet.cs),
/// read from flow YAML and compiled as the flow compiler compiles it: it runs for every lead, so evaluating it without
/// a trace must not allocate, whether the lead's fields are read by id or by slot. The JavaScript form allocates inside
/// Jint, within a bound.
/// </summary>
public class AcceptanceSetAllocationTests
{
    private const string Flow = """
        id: side-by-side
        fields: [first_name, last_name, email, phone_1, state, postal_code, dob, { id: vehicle_year, type: number }, { id: insured, type: boolean }]
        sources: [ { id: acme } ]
        acceptance_criteria:
          rule_set:
            op: and
            rules:
        {RULES}
        steps:
          - { key: phone_check, type: enhancement, integration: phone.verify, inputs: { phone: "{{ lead.phone_1 }}" } }
        """;

    private const string Declarative = """
              - { lhv: lead.state, op: is equal to, rhv: TX }
              - { lhv: phone_check.line_type, op: is equal to, rhv: mobile }
              - { lhv: lead.phone_1, op: format is valid }
              - { lhv: lead.phone_1.area, op: is not included in, rhv: [900, 976] }
              - { lhv: lead.vehicle_year, op: is greater than or equal to, rhv: 2005 }
              - { lhv: lead.dob.age, op: is between, rhv: 18-80 }
              - { lhv: lead.postal_code.zip, op: is not blank }
              - { lhv: lead.first_name, op: is not equal to, rhv: test }
              - { lhv: lead.insured, op: is true }
              - { lhv: lead.last_name, op: does not match pattern, rhv: "^(test|fake)" }
        """;

    // The same ten predicates as one C# rule (SideBySideRuleSet.CSharp).
    private const string CSharp = """
              - csharp: 'lead.state == "TX" && phone_check["line_type"] == "mobile" && lead.phone_1.valid && !lead.phone_1.area.is_in("900", "976") && lead.vehicle_year >= 2005 && lead.dob.age >= 18 && lead.dob.age <= 80 && !lead.postal_code.zip.is_blank && lead.first_name != "test" && lead.insured && !matches(lead.last_name, "^(test|fake)")'
        """;

    // The same ten predicates as one JavaScript rule (SideBySideRuleSet.JavaScript).
    private const string JavaScript = """
              - js: "lead.state == 'TX' && phone_check.line_type == 'mobile' && lead.phone_1.valid && !['900', '976'].includes(String(lead.phone_1.area)) && lead.vehicle_year >= 2005 && (lead.dob.age >= 18 && lead.dob.age <= 80) && !!lead.postal_code.zip && lead.first_name.normal.toLowerCase() != 'test' && lead.insured == true && !/^(test|fake)/i.test(lead.last_name.normal)"
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Evaluating_the_side_by_side_acceptance_set_allocates_nothing(bool bySlot) =>
        Allocated(AcceptanceSet(Declarative, out var layout), bySlot ? layout : null).ShouldBe(0);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Evaluating_the_same_set_as_one_csharp_rule_allocates_nothing(bool bySlot) =>
        Allocated(AcceptanceSet(CSharp, out var layout), bySlot ? layout : null).ShouldBe(0);

    // Jint allocates per call; the lazy lead objects and the direct tier brought it from 19,272 B to 2,936 B an
    // evaluation, reading lead.field.member without the field's object to 1,680 B, and comparing lead.field with a
    // literal without it to 936 B (BenchmarkDotNet). The bound catches a return to making an object per field read.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Evaluating_the_same_set_as_one_javascript_rule_allocates_under_1_5_kb(bool bySlot) =>
        (Allocated(AcceptanceSet(JavaScript, out var layout), bySlot ? layout : null) / 1_000).ShouldBeLessThan(1_536);

    /// <summary>Bytes allocated by 1,000 evaluations of <paramref name="rules"/> on the passing lead, after warming up.</summary>
    private static long Allocated(CompiledRuleSet rules, FieldLayout? layout)
    {
        var vars = PassingLead(layout);
        rules.Run(vars).ShouldBe(new RuleSetResult(true, null));
        return RuleKit.AllocatedBy(() => rules.Run(vars).Passed);
    }

    private static CompiledRuleSet AcceptanceSet(string rules, out FieldLayout layout)
    {
        var descriptor = new IntegrationDescriptor
        {
            Id = "phone.verify",
            Name = "phone.verify",
            Kind = IntegrationKind.Enhancement,
            RequestVariables = [new VariableDescriptor("*", "string")],
        };
        var loaded = new FlowLoader(new FlowLoaderOptions { ResolveIntegration = id => id == descriptor.Id ? descriptor : null })
            .Parse(Flow.Replace("{RULES}", rules.TrimEnd(), StringComparison.Ordinal), "side-by-side.yaml");
        loaded.Diagnostics.ShouldBeEmpty();
        var diagnostics = new DiagnosticBag();
        var compiler = new RuleCompiler(FlowRuleContext.Create(loaded.Flow!, RuleKit.Types, null));
        var compiled = compiler.Compile(loaded.Flow!.AcceptanceCriteria!.RuleSet, diagnostics);
        compiler.Finish(diagnostics); // builds the C# rules, if any
        diagnostics.Items.ShouldBeEmpty();
        layout = FlowRuleContext.LayoutOf(loaded.Flow!);
        return compiled;
    }

    /// <summary>The passing lead; its declared fields also by slot of <paramref name="layout"/>, when given.</summary>
    private static LeadVars PassingLead(FieldLayout? layout)
    {
        var raw = new Dictionary<string, (string Type, string Value)>
        {
            ["first_name"] = ("first_name", "Ada"), ["last_name"] = ("last_name", "Lovelace"),
            ["email"] = ("email", "ada.lovelace@example.com"), ["phone_1"] = ("phone", "(512) 555-1212"),
            ["state"] = ("state", "Texas"), ["postal_code"] = ("postal_code", "78704-4224"), ["dob"] = ("dob", "12/10/1985"),
            ["vehicle_year"] = ("number", "2018"), ["insured"] = ("boolean", "yes"),
        };
        var fields = raw.ToDictionary(p => p.Key, p => RuleKit.Types.Parse(p.Value.Type, p.Value.Value));
        var vars = layout is null
            ? RuleKit.Lead(fields)
            : new LeadVars("lead-1", fields, new SourceVars("src-1", "Acme"), new FlowVars("flow-1", "Demo", "abc123"),
                new SubmissionVars("sub-1", DateTimeOffset.UnixEpoch, null), 42, layout);
        vars.SetStep("phone_check", new StepVars(Outcome.Success, null, new Dictionary<string, object?> { ["line_type"] = "mobile" }));
        return vars;
    }
}
