using PluggableFlows.Engine.Rules;
using static PluggableFlows.Engine.Tests.Rules.RuleKit;

namespace PluggableFlows.Engine.Tests.Rules;

public class RuleSetTests
{
    private static readonly RuleDefinition Passes = Rule("lead.first_name", "is equal to", "alice");
    private static readonly RuleDefinition Fails = Rule("lead.first_name", "is equal to", "bob");

    [Fact]
    public void Empty_rule_set_passes()
    {
        Evaluate(And()).ShouldBeTrue();
        Evaluate(Or()).ShouldBeTrue();
    }

    [Fact]
    public void And_passes_only_when_every_rule_passes()
    {
        Evaluate(And(Passes, Passes)).ShouldBeTrue();
        Evaluate(And(Passes, Fails)).ShouldBeFalse();
        Evaluate(And(Fails, Passes)).ShouldBeFalse();
    }

    [Fact]
    public void Or_passes_when_any_rule_passes()
    {
        Evaluate(Or(Fails, Passes)).ShouldBeTrue();
        Evaluate(Or(Passes, Fails)).ShouldBeTrue();
        Evaluate(Or(Fails, Fails)).ShouldBeFalse();
    }

    [Fact]
    public void Rule_sets_nest()
    {
        Evaluate(And(Or(Fails, Passes), Passes)).ShouldBeTrue();
        Evaluate(Or(And(Passes, Fails), And(Fails))).ShouldBeFalse();
        Evaluate(And(Passes, Or(Fails, And(Passes, Passes)))).ShouldBeTrue();
    }

    [Fact]
    public void Child_rule_set_must_pass_too()
    {
        Evaluate(Passes with { RuleSet = And(Passes) }).ShouldBeTrue();
        Evaluate(Passes with { RuleSet = And(Fails) }).ShouldBeFalse();
        Evaluate(Fails with { RuleSet = And(Passes) }).ShouldBeFalse();
        Evaluate(Passes with { RuleSet = Or(Fails, Passes) }).ShouldBeTrue();
    }

    public static TheoryData<RuleSetDefinition, int> Sets => new()
    {
        { And(Fails, Passes, Passes), 3 },
        { Or(Passes, Fails, Fails), 3 },
        { And(Passes, Or(Fails, Passes), Fails), 4 },
        { Or(Fails with { RuleSet = And(Passes, Passes) }, Fails), 4 },
        { And(Passes with { RuleSet = Or(Passes, Fails) }, And(Fails, Passes)), 5 },
    };

    [Theory]
    [MemberData(nameof(Sets))]
    public void Short_circuit_and_traced_full_evaluation_give_the_same_result(RuleSetDefinition set, int rules)
    {
        var compiled = Compile(set);
        var trace = new RuleTrace();

        compiled.Evaluate(Lead(), trace).ShouldBe(compiled.Evaluate(Lead()));
        trace.Entries.Count.ShouldBe(rules, "a traced evaluation explains every rule, even those a short circuit skips");
    }

    [Fact]
    public void A_rule_that_did_not_compile_is_false_even_when_negated()
    {
        var (compiled, diagnostics) = CompileWithDiagnostics(Rule("lead.nope", "is not equal to", "x"));

        diagnostics.ShouldNotBeEmpty();
        compiled.Evaluate(Lead()).ShouldBeFalse();
    }

    [Fact]
    public void Compiled_rule_set_keeps_its_definition()
    {
        var set = And(Passes);
        Compile(set).Definition.ShouldBeSameAs(set);
    }
}
