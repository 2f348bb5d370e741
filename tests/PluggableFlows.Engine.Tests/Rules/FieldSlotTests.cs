using PluggableFlows.Engine.Rules;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;
using static PluggableFlows.Engine.Tests.Rules.RuleKit;

namespace PluggableFlows.Engine.Tests.Rules;

/// <summary>
/// Rules compiled against a flow's field layout read its declared fields by slot from a lead built with that layout,
/// and by id from any other lead. Every field must read the same either way: a slot mix-up would hand a rule another
/// field's value.
/// </summary>
public class FieldSlotTests
{
    private static readonly FieldLayout Layout = FieldLayout.Of(FieldTypes.Keys);

    private static RuleCompilationContext SlotContext()
    {
        var context = Context();
        return new RuleCompilationContext
        {
            Types = context.Types,
            FieldTypeOf = context.FieldTypeOf,
            FieldIds = context.FieldIds,
            StepKeys = context.StepKeys,
            ListsDirectory = context.ListsDirectory,
            Layout = Layout,
        };
    }

    /// <summary>The same lead three ways: by slot of the rules' layout, with no layout, and with another layout.</summary>
    public static TheoryData<string> Leads() => ["rules' layout", "no layout", "another layout"];

    private static LeadVars LeadFor(string how)
    {
        var fields = LeadFields();
        var source = new SourceVars("src-1", "Acme");
        var flow = new FlowVars("flow-1", "Demo", "abc123");
        var submission = new SubmissionVars("sub-1", DateTimeOffset.UnixEpoch, null);
        return how switch
        {
            "rules' layout" => new LeadVars("lead-1", fields, source, flow, submission, 42, Layout),
            "no layout" => new LeadVars("lead-1", fields, source, flow, submission, 42),
            _ => new LeadVars("lead-1", fields, source, flow, submission, 42, FieldLayout.Of(["first_name", "zip", "state"])),
        };
    }

    [Theory]
    [MemberData(nameof(Leads))]
    public void CSharp_rules_read_every_declared_field_as_the_lead_has_it(string how)
    {
        var vars = LeadFor(how);
        foreach (var (id, field) in LeadFields())
        {
            var source = $"lead.{id}.raw == \"{field.Raw}\" && lead.{id}.normal == \"{field.Normal}\" && lead.{id}.exists";
            var compiled = Compile(new ScriptRuleDefinition(ScriptLanguage.CSharp, source, At), SlotContext());
            compiled.Run(vars).ShouldBe(new RuleSetResult(true, null), $"{how}: {source}");
        }

        Compile(new ScriptRuleDefinition(ScriptLanguage.CSharp, "!lead.missing_field.exists", At), SlotContext()).Run(vars).Passed.ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(Leads))]
    public void Declarative_rules_read_declared_fields_and_their_components_as_the_lead_has_them(string how)
    {
        var vars = LeadFor(how);
        (string Lhv, string Op, string? Rhv, bool Expected)[] rules =
        [
            ("lead.first_name", "is equal to", "Alice", true),
            ("lead.code", "is equal to", "AbC", true),
            ("lead.comments", "is equal to", "Greetings from Scunthorpe", true),
            ("lead.state", "is equal to", "TX", true),
            ("lead.email", "is equal to", "bob@example.com", true),
            ("lead.price", "is equal to", "1000.5", true),
            ("lead.age", "is equal to", "30", true),
            ("lead.opt_in", "is true", null, true),
            ("lead.homeowner", "is false", null, true),
            ("lead.last_name", "is blank", null, true),
            ("lead.missing_field", "is blank", null, true),
            ("lead.phone_2", "format is valid", null, false),
            ("lead.phone_1.area", "is equal to", "512", true),
            ("lead.phone_1.line", "is equal to", "1212", true),
            ("lead.state.name", "is equal to", "Texas", true),
            ("lead.email.domain", "is equal to", "example.com", true),
            ("lead.income_range.max", "is equal to", "100", true),
            ("lead.debt_range.max", "is equal to", "20", true),
        ];
        foreach (var (lhv, op, rhv, expected) in rules)
        {
            var compiled = Compile(Rule(lhv, op, rhv), SlotContext());
            compiled.Evaluate(vars).ShouldBe(expected, $"{how}: {lhv} {op} {rhv}");
            compiled.Evaluate(vars, new RuleTrace()).ShouldBe(expected, $"{how}, traced: {lhv} {op} {rhv}");
        }
    }

    [Fact]
    public void Layouts_are_canonical_and_slot_fields_in_ordinal_order()
    {
        var layout = FieldLayout.Of(["state", "first_name", new string("state".AsSpan())]);

        layout.ShouldBeSameAs(FieldLayout.Of(["first_name", "state"]));
        layout.Ids.ShouldBe(["first_name", "state"]);
        layout.SlotOf("state").ShouldBe(1);
        layout.SlotOf("zip").ShouldBe(-1);
        layout.SlotsOf(new Dictionary<string, FieldValue> { ["state"] = Text("state", "TX") })
            .Select(field => field?.Normal).ShouldBe([null, "TX"]);
    }

    [Fact]
    public void A_snapshot_reads_fields_by_slot_as_its_lead_does()
    {
        var vars = LeadFor("rules' layout");
        var compiled = Compile(new ScriptRuleDefinition(ScriptLanguage.CSharp, "lead.state == \"TX\" && lead.phone_1.area == \"512\"", At), SlotContext());

        compiled.Run(vars.Snapshot()).Passed.ShouldBeTrue();
    }
}
