using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Rules;
using PluggableFlows.Engine.Vars;
using static PluggableFlows.Engine.Tests.Rules.RuleKit;

namespace PluggableFlows.Engine.Tests.Rules;

public class CSharpRuleTests
{
    internal static ScriptRuleDefinition Cs(string source) => new(ScriptLanguage.CSharp, source, At);

    private static RuleSetResult Run(RuleNode node, LeadVars? vars = null)
    {
        var compiled = Compile(node);
        var result = compiled.Run(vars ?? Lead());
        compiled.Run(vars ?? Lead(), new RuleTrace()).ShouldBe(result, "traced and untraced evaluation must agree");
        return result;
    }

    [Theory]
    [InlineData("lead.state == \"TX\"", true)]
    [InlineData("lead.state == \"tx\"", true)]
    [InlineData("lead.state.normal == \"TX\"", true)]
    [InlineData("lead.state.raw == \"Texas\"", true)]
    [InlineData("lead.state.name == \"Texas\"", true)]
    [InlineData("lead.first_name.text.StartsWith(\"Al\")", true)]
    [InlineData("lead.phone_1.area == \"512\"", true)]
    [InlineData("lead.phone_2.valid", false)]
    [InlineData("lead.email.domain.ends_with(\".com\")", true)]
    [InlineData("lead.age > 21 && lead.age.number + 1 == 31", true)]
    [InlineData("lead.price == 1000.5", true)]
    [InlineData("lead.opt_in && !lead.homeowner", true)]
    [InlineData("lead.income_range[\"max\"] == 100", true)]
    [InlineData("lead.id == \"lead-1\"", true)]
    [InlineData("check[\"line_type\"] == \"mobile\"", true)]
    [InlineData("check[\"score\"] > 40 && check[\"count\"] == 3 && check[\"amount\"] == 10.5", true)]
    [InlineData("check[\"nested.x\"] == \"y\" && check[\"active\"]", true)]
    [InlineData("check.outcome == \"success\" && check.reason == \"\"", true)]
    [InlineData("source.id == \"src-1\" && source.name == \"Acme\" && flow.id == \"flow-1\" && submission.id == \"sub-1\"", true)]
    [InlineData("random == 42", true)]
    [InlineData("lead.missing_field == null && lead.missing_field.is_blank", true)]
    [InlineData("lead.dob.date < new DateOnly(2020, 1, 1)", true)]
    [InlineData("new[] { \"TX\", \"CA\" }.Contains(lead.state.normal)", true)]
    [InlineData("lead.state.is_in(\"CA\", \"NY\")", false)]
    [InlineData("matches(lead.email, @\"@example\\.com$\")", true)]
    [InlineData("submission.timestamp.Year == 2025", true)]
    // the lead remembers the field it read last: reading others in between must not return a stale one
    [InlineData("lead.state == \"TX\" && lead.first_name == \"alice\" && lead.state == \"TX\" && lead.state.name == \"Texas\"", true)]
    [InlineData("lead.first_name.normal != lead.state.normal && lead.first_name == \"alice\"", true)]
    [InlineData("lead.state == \"TX\" && lead.first_name == \"TX\"", false)]
    [InlineData("Math.Max(lead.age.number ?? 0, 10) == 30", true)]
    public void Rule_reads_typed_fields_components_and_appended_data(string script, bool expected)
    {
        var result = Run(Cs(script));

        result.ShouldBe(new RuleSetResult(expected, null), result.Error);
    }

    [Fact]
    public void Rule_written_as_statements_returns_its_answer()
    {
        Run(Cs("""
            var age = lead.age.number ?? 0;
            if (age < 21) return false;
            var total = 0;
            foreach (var c in lead.phone_1.normal) { total += c - '0'; }
            return total > 10 && lead.state != "NY";
            """)).ShouldBe(new RuleSetResult(true, null));
    }

    [Fact]
    public void Csharp_rules_mix_with_declarative_and_javascript_rules_in_one_rule_set()
    {
        Run(And(Rule("lead.state", "is equal to", "TX"), Cs("lead.age > 21"), new ScriptRuleDefinition(ScriptLanguage.JavaScript, "lead.age > 21", At)))
            .Passed.ShouldBeTrue();
        Run(Or(Rule("lead.state", "is equal to", "CA"), Cs("lead.age < 21"))).Passed.ShouldBeFalse();
    }
}
