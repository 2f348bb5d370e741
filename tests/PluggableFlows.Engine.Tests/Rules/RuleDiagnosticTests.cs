using System.Text.RegularExpressions;
using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Rules;
using static PluggableFlows.Engine.Tests.Rules.RuleKit;

namespace PluggableFlows.Engine.Tests.Rules;

public class RuleDiagnosticTests
{
    private static FlowDiagnostic Single(RuleNode node, RuleCompilationContext? context = null)
    {
        var (compiled, diagnostics) = CompileWithDiagnostics(node, context);
        compiled.Evaluate(Lead()).ShouldBeFalse("a rule that did not compile is false");
        return diagnostics.ShouldHaveSingleItem();
    }

    [Fact]
    public void Unknown_operator_suggests_the_nearest()
    {
        var diagnostic = Single(Rule("lead.first_name", "is equal", "alice"));

        diagnostic.Code.ShouldBe("PF0201");
        diagnostic.Message.ShouldContain("Unknown operator 'is equal'");
        diagnostic.Location.ShouldBe(At);
        diagnostic.Hint.ShouldBe("Did you mean 'is equal to'?");
    }

    [Fact]
    public void Unknown_operator_far_from_any_lists_them_all()
    {
        var diagnostic = Single(Rule("lead.first_name", "resembles the spirit of", "alice"));

        diagnostic.Code.ShouldBe("PF0201");
        diagnostic.Hint.ShouldNotBeNull().ShouldContain("is not obscene");
    }

    [Fact]
    public void Missing_rhv_is_reported()
    {
        var diagnostic = Single(Rule("lead.first_name", "is equal to"));

        diagnostic.Code.ShouldBe("PF0202");
        diagnostic.Message.ShouldContain("operator 'is equal to' needs an rhv");
        diagnostic.Location.ShouldBe(At);
        diagnostic.Hint.ShouldNotBeNull().ShouldContain("is blank");
    }

    [Fact]
    public void Rhv_given_to_an_operator_that_takes_none_is_reported()
    {
        var diagnostic = Single(Rule("lead.first_name", "is blank", "alice"));

        diagnostic.Code.ShouldBe("PF0203");
        diagnostic.Message.ShouldContain("operator 'is blank' takes no rhv, but 'alice' is given");
        diagnostic.Location.ShouldBe(At);
        diagnostic.Hint.ShouldNotBeNull().ShouldContain("Remove the rhv");
    }

    [Fact]
    public void Invalid_pattern_carries_the_parser_message()
    {
        var parserMessage = Should.Throw<ArgumentException>(() => new Regex("([a-z")).Message;

        var diagnostic = Single(Rule("lead.first_name", "matches pattern", "([a-z"));

        diagnostic.Code.ShouldBe("PF0204");
        diagnostic.Message.ShouldContain("Invalid pattern '([a-z'");
        diagnostic.Message.ShouldContain(parserMessage);
        diagnostic.Location.ShouldBe(At);
        diagnostic.Hint.ShouldNotBeNull().ShouldContain("escape");
    }

    [Fact]
    public void Missing_list_file_names_the_path_looked_for()
    {
        var diagnostic = Single(Rule("lead.state", "is included in", "file:nope"));

        diagnostic.Code.ShouldBe("PF0205");
        diagnostic.Message.ShouldContain("List file 'nope' not found");
        diagnostic.Location.ShouldBe(At);
        diagnostic.Hint.ShouldNotBeNull().ShouldContain(Path.Combine(ListsDirectory, "nope.txt"));
    }

    [Fact]
    public void List_file_outside_the_lists_folder_is_not_read()
    {
        var diagnostic = Single(Rule("lead.state", "is included in", "file:../states"));

        diagnostic.Code.ShouldBe("PF0205");
    }

    [Fact]
    public void List_file_without_a_lists_folder_is_reported()
    {
        var context = Context();
        var withoutLists = new RuleCompilationContext
        {
            Types = context.Types, FieldTypeOf = context.FieldTypeOf, StepKeys = context.StepKeys, ListsDirectory = null,
        };

        var diagnostic = Single(Rule("lead.state", "is included in", "file:states"), withoutLists);

        diagnostic.Code.ShouldBe("PF0205");
        diagnostic.Message.ShouldContain("no lists folder");
    }

    [Fact]
    public void Between_needs_a_range()
    {
        var diagnostic = Single(Rule("lead.age", "is between", "old"));

        diagnostic.Code.ShouldBe("PF0206");
        diagnostic.Message.ShouldContain("'is between' needs a range, but the rhv is 'old'");
        diagnostic.Location.ShouldBe(At);
        diagnostic.Hint.ShouldNotBeNull().ShouldContain("min-max");
    }

    [Fact]
    public void Between_with_a_three_item_list_is_not_a_range() =>
        Single(Rule("lead.age", "is between", "[1, 2, 3]")).Code.ShouldBe("PF0206");

    [Fact]
    public void Empty_lhv_is_reported()
    {
        var diagnostic = Single(Rule("  ", "is blank"));

        diagnostic.Code.ShouldBe("PF0207");
        diagnostic.Message.ShouldContain("no lhv");
        diagnostic.Location.ShouldBe(At);
        diagnostic.Hint.ShouldNotBeNull().ShouldContain("lead.email");
    }

    [Fact]
    public void Unknown_field_suggests_the_nearest_field_id()
    {
        var diagnostic = Single(Rule("lead.phone1", "is not blank"));

        diagnostic.Code.ShouldBe("PF0208");
        diagnostic.Message.ShouldContain("Unknown field phone1");
        diagnostic.Location.ShouldBe(At);
        diagnostic.Hint.ShouldBe("Did you mean lead.phone_1?");
    }

    [Fact]
    public void Unknown_step_key_suggests_the_nearest_root()
    {
        var diagnostic = Single(Rule("chek.line_type", "is equal to", "mobile"));

        diagnostic.Code.ShouldBe("PF0209");
        diagnostic.Message.ShouldContain("Unknown step key chek");
        diagnostic.Location.ShouldBe(At);
        diagnostic.Hint.ShouldBe("Did you mean check?");
    }

    [Fact]
    public void Unknown_step_key_far_from_any_lists_the_step_keys()
    {
        var diagnostic = Single(Rule("suppression_lookup.found", "is true"));

        diagnostic.Code.ShouldBe("PF0209");
        diagnostic.Hint.ShouldNotBeNull().ShouldContain("(check)");
    }

    [Fact]
    public void Unknown_path_inside_a_template_rhv_is_reported() =>
        Single(Rule("lead.first_name", "is equal to", "{{ lead.frist_name }}")).Code.ShouldBe("PF0208");

    [Fact]
    public void List_rhv_for_a_single_value_operator_points_to_is_included_in()
    {
        var diagnostic = Single(Rule("lead.state", "is equal to", "[TX, CA]"));

        diagnostic.Code.ShouldBe("PF0210");
        diagnostic.Hint.ShouldNotBeNull().ShouldContain("is included in");
    }

    [Fact]
    public void Components_and_lead_id_are_not_checked()
    {
        var (_, diagnostics) = CompileWithDiagnostics(And(
            Rule("lead.phone_1.area", "is equal to", "512"),
            Rule("lead.email.valid", "is true"),
            Rule("lead.id", "is not blank"),
            Rule("submission.timestamp", "is not blank"),
            Rule("random", "is less than", "50")));

        diagnostics.ShouldBeEmpty();
    }

    [Fact]
    public void Diagnostics_point_at_the_part_that_is_wrong()
    {
        var lhvAt = new SourceLocation("flows/demo.yaml", 20, 10);
        var opAt = new SourceLocation("flows/demo.yaml", 21, 9);
        var rule = new RuleDefinition("lead.phone1", "is equall to", RuleValue.Literal("x"), At)
        {
            LhvLocation = lhvAt,
            OperatorLocation = opAt,
        };

        var (_, diagnostics) = CompileWithDiagnostics(rule);

        diagnostics.Select(d => (d.Code, d.Location)).ShouldBe([("PF0208", lhvAt), ("PF0201", opAt)]);
    }

    [Fact]
    public void Every_problem_is_reported_including_in_child_rule_sets()
    {
        var rule = Rule("lead.first_name", "is equal to", "alice") with
        {
            RuleSet = And(Rule("lead.age", "is betwen", "1-2"), Or(Rule("lead.agee", "is blank"))),
        };

        var (_, diagnostics) = CompileWithDiagnostics(And(rule, Rule("", "is blank")));

        diagnostics.Select(d => d.Code).ShouldBe(["PF0201", "PF0208", "PF0207"]);
    }
}
