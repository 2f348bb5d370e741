using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Flows;
using PluggableFlows.Engine.Rules;

namespace PluggableFlows.Engine.Tests.Flows;

public class RuleSnippetTests
{
    private const string Name = "--rule";

    private static readonly FlowDefinition Flow = FlowTestKit.Parse("""
        id: snippets
        fields: [state, phone_1, { id: vehicle_year, type: number }, { id: state_code, type: string }]
        steps:
          - key: phone_check
            type: enhancement
            integration: phone.verify
            inputs: { phone: "{{ lead.phone_1 }}" }
        """).Flow!;

    private static RuleSnippet Read(string text) =>
        RuleSnippet.Read(text, Name, Flow, new FlowLoaderOptions { ScriptsRoot = FlowTestKit.ScriptsRoot });

    [Fact]
    public void A_rule_becomes_the_only_rule_of_an_and_located_within_the_snippet()
    {
        var snippet = Read("{ lhv: lead.state, op: is equal to, rhv: TX }");

        snippet.Diagnostics.ShouldBeEmpty();
        var set = snippet.RuleSet.ShouldNotBeNull();
        set.Operator.ShouldBe(RuleSetOperator.And);
        var rule = set.Rules.ShouldHaveSingleItem().ShouldBeOfType<RuleDefinition>();
        rule.Lhv.ShouldBe("lead.state");
        rule.Location.ShouldBe(new SourceLocation(Name, 1, 1));
        rule.OperatorLocation.ShouldBe(new SourceLocation(Name, 1, 24));
        rule.Rhv.ShouldNotBeNull().Location.ShouldBe(new SourceLocation(Name, 1, 42));
    }

    [Fact]
    public void A_rule_set_is_the_rule_set_itself()
    {
        var snippet = Read("""
            op: or
            rules:
              - { lhv: lead.state, op: is equal to, rhv: TX }
              - { js: "lead.vehicle_year > 2005" }
            """);

        snippet.Diagnostics.ShouldBeEmpty();
        var set = snippet.RuleSet.ShouldNotBeNull();
        set.Operator.ShouldBe(RuleSetOperator.Or);
        set.Rules.Count.ShouldBe(2);
        set.Rules[0].Location.ShouldBe(new SourceLocation(Name, 3, 5));
        set.Rules[1].ShouldBeOfType<ScriptRuleDefinition>().Location.ShouldBe(new SourceLocation(Name, 4, 12));
    }

    [Fact]
    public void Reader_problems_are_located_within_the_snippet()
    {
        var snippet = Read("op: or\nrules:\n  - { lhv: lead.state, opp: is equal to, rhv: TX }");

        var diagnostic = snippet.Diagnostics.ShouldHaveSingleItem();
        diagnostic.Code.ShouldBe(FlowDiagnosticCodes.UnknownKey);
        diagnostic.Location.ShouldBe(new SourceLocation(Name, 3, 24));
    }

    [Fact]
    public void A_snippet_that_is_not_yaml_is_located_where_the_yaml_breaks()
    {
        var snippet = Read("{ lhv: lead.state, op: is equal to, rhv: TX");

        snippet.Diagnostics.ShouldHaveSingleItem().ShouldBeAt(Name, FlowDiagnosticCodes.YamlSyntax, 1, 44);
    }

    [Fact]
    public void Placeholders_are_checked_against_the_flows_fields_and_step_keys()
    {
        var known = Read("{ lhv: lead.state, op: is equal to, rhv: \"{{ phone_check.state }}\" }");
        var unknown = Read("{ lhv: lead.state, op: is equal to, rhv: \"{{ lead.stat }}\" }");

        known.Diagnostics.ShouldBeEmpty();
        unknown.Diagnostics.ShouldHaveSingleItem().ShouldBeAt(Name, FlowDiagnosticCodes.UnknownPlaceholderField, 1, 43);
    }

    [Fact]
    public void List_files_are_looked_for_under_the_scripts_root()
    {
        Read("{ lhv: lead.state, op: is included in, rhv: { list: blocked-states } }").Diagnostics.ShouldBeEmpty();
        Read("{ lhv: lead.state, op: is included in, rhv: { list: blocked-stats } }").Diagnostics
            .ShouldHaveSingleItem().ShouldBeAt(Name, FlowDiagnosticCodes.ListFileNotFound, 1, 53);
    }

    [Fact]
    public void Compiling_a_snippet_in_the_flows_context_locates_compiler_problems_within_it()
    {
        var snippet = Read("{ op: or, rules: [ { lhv: lead.stat, op: is blank }, { lhv: lead.vehicle_year, op: is greater thn, rhv: 2005 } ] }");
        var diagnostics = new DiagnosticBag();
        var compiler = new RuleCompiler(FlowRuleContext.Create(Flow, FieldTypeRegistry.Default, FlowTestKit.ScriptsRoot));

        compiler.Compile(snippet.RuleSet.ShouldNotBeNull(), diagnostics);
        compiler.Finish(diagnostics);

        diagnostics.Items.Count.ShouldBe(2);
        diagnostics.Items[0].ShouldBeAt(Name, "PF0208", 1, 27);
        diagnostics.Items[1].ShouldBeAt(Name, "PF0201", 1, 84);
    }

    [Fact]
    public void The_flows_rule_context_types_its_declared_fields_over_the_standard_catalog()
    {
        var context = FlowRuleContext.Create(Flow, FieldTypeRegistry.Default, FlowTestKit.ScriptsRoot);

        context.FieldTypeOf("vehicle_year").ShouldBe("number");
        context.FieldTypeOf("email").ShouldBe("email");
        context.FieldTypeOf("state_code").ShouldBe("string");
        context.FieldTypeOf("nonsense").ShouldBeNull();
        context.StepKeys.ShouldBe(["phone_check"]);
        context.ListsDirectory.ShouldBe(Path.Combine(FlowTestKit.ScriptsRoot, "lists"));
    }
}

file static class SnippetDiagnostics
{
    public static void ShouldBeAt(this FlowDiagnostic diagnostic, string file, string code, int line, int column)
    {
        diagnostic.Code.ShouldBe(code, diagnostic.ToString());
        diagnostic.Location.ShouldBe(new SourceLocation(file, line, column), diagnostic.ToString());
    }
}
