using static PluggableFlows.Engine.Tests.Rules.RuleKit;

namespace PluggableFlows.Engine.Tests.Rules;

/// <summary>Rules run for every lead: evaluating declarative rules without a trace must not allocate.</summary>
public class RuleAllocationTests
{
    [Fact]
    public void Evaluating_declarative_rules_allocates_nothing()
    {
        var set = And(
            Rule("lead.first_name", "is equal to", "alice"),
            Rule("lead.price", "is greater than", "999"),
            Rule("lead.dob", "is less than", "01/01/2020"),
            Rule("lead.age", "is between", "18-65"),
            Rule("lead.state", "is included in", "TX, CA, FL"),
            Rule("check.tags", "includes", "b"),
            Rule("lead.email", "matches pattern", @"@example\.com$"),
            Rule("lead.last_name", "is blank"),
            Rule("lead.opt_in", "is true") with { RuleSet = Or(Rule("check.score", "is greater than or equal to", "40")) },
            Rule("lead.phone_1", "format is valid"),
            Rule("lead.comments", "is not obscene"),
            Rule("lead.phone_1", "is equal to", "(512) 555-1212"),
            Rule("check.count", "is included in", "1, 2, 3"),
            Rule("lead.income_range", "is greater than", "60"));
        var compiled = Compile(set);
        var vars = Lead();
        compiled.Evaluate(vars).ShouldBeTrue();

        var allocated = AllocatedBy(() => compiled.Evaluate(vars));

        allocated.ShouldBe(0);
    }
}
