using PluggableFlows.Engine.Rules;
using static PluggableFlows.Engine.Tests.Rules.RuleKit;

namespace PluggableFlows.Engine.Tests.Rules;

public class RuleTraceTests
{
    [Fact]
    public void Trace_explains_every_rule_with_resolved_values()
    {
        var set = And(
            Rule("lead.first_name", "is equal to", "alice"),
            Rule("lead.age", "is greater than", "40"),
            Or(Rule("lead.ssn", "is not blank"), Rule("lead.state", "is included in", "[Texas, CA]")),
            Rule("lead.phone_1", "is equal to", "(512) 555-1212"),
            Rule("lead.missing_field", "is blank"));
        var trace = new RuleTrace();

        Compile(set).Evaluate(Lead(), trace).ShouldBeFalse();

        trace.Entries.ShouldBe(
        [
            new RuleTraceEntry(0, "lead.first_name", "is equal to", "alice", "Alice", "alice", true),
            new RuleTraceEntry(0, "lead.age", "is greater than", "40", "30", "40", false),
            new RuleTraceEntry(1, "lead.ssn", "is not blank", null, "***6789", null, true),
            new RuleTraceEntry(1, "lead.state", "is included in", "Texas, CA", "TX", "Texas, CA", true),
            new RuleTraceEntry(0, "lead.phone_1", "is equal to", "(512) 555-1212", "5125551212", "5125551212", true),
            new RuleTraceEntry(0, "lead.missing_field", "is blank", null, null, null, true),
        ]);
    }

    [Fact]
    public void Trace_lists_a_rule_before_its_child_rule_set()
    {
        var rule = Rule("check.outcome", "is equal to", "success") with
        {
            RuleSet = And(Rule("check.score", "is greater than", "50")),
        };
        var trace = new RuleTrace();

        Compile(rule).Evaluate(Lead(), trace).ShouldBeFalse();

        trace.Entries.ShouldBe(
        [
            new RuleTraceEntry(0, "check.outcome", "is equal to", "success", "success", "success", false),
            new RuleTraceEntry(1, "check.score", "is greater than", "50", "42.5", "50", false),
        ]);
    }

    [Fact]
    public void Trace_masks_ssn_to_its_last_four_and_credentials_entirely()
    {
        var trace = new RuleTrace();

        Compile(And(
            Rule("lead.ssn", "is equal to", "123456789"),
            Rule("lead.ssn.raw", "is not blank"),
            Rule("lead.password", "is equal to", "hunter2"))).Evaluate(Lead(), trace).ShouldBeTrue();

        trace.Entries.Select(e => e.ResolvedLhv).ShouldBe(["***6789", "***6789", "***"]);
        trace.Entries.ShouldAllBe(e => e.ResolvedLhv == null || !e.ResolvedLhv.Contains("12345", StringComparison.Ordinal));
    }

    [Fact]
    public void Trace_masks_secrets_read_through_templates()
    {
        var trace = new RuleTrace();

        Compile(And(
            Rule("lead.ssn", "is equal to", "{{ lead.ssn }}"),
            Rule("lead.comments", "does not include", "{{ lead.password }}"),
            Rule("{{ lead.password }}", "is not blank"))).Evaluate(Lead(), trace).ShouldBeTrue();

        trace.Entries.Select(e => (e.ResolvedLhv, e.ResolvedRhv)).ShouldBe(
        [
            ("***6789", "***6789"),
            ("Greetings from Scunthorpe", "***"),
            ("***", null),
        ]);
    }

    [Fact]
    public void Trace_shows_a_template_rhv_as_resolved_for_the_lead()
    {
        var trace = new RuleTrace();

        Compile(Rule("lead.email", "is equal to", "bob@{{ lead.email.domain }}")).Evaluate(Lead(), trace).ShouldBeTrue();

        var entry = trace.Entries.ShouldHaveSingleItem();
        entry.Rhv.ShouldBe("bob@{{ lead.email.domain }}");
        entry.ResolvedRhv.ShouldBe("bob@example.com");
    }

    [Fact]
    public void Trace_names_a_list_file_and_its_size()
    {
        var trace = new RuleTrace();

        Compile(Rule("lead.state", "is included in", "file:states")).Evaluate(Lead(), trace).ShouldBeTrue();

        var entry = trace.Entries.ShouldHaveSingleItem();
        entry.Rhv.ShouldBe("{ list: states }");
        entry.ResolvedRhv.ShouldBe("list states (3 items)");
    }
}
