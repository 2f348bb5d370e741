using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Rules;
using static PluggableFlows.Engine.Tests.Rules.RuleKit;

namespace PluggableFlows.Engine.Tests.Rules;

/// <summary>A JavaScript rule may be a function body: statements that end in <c>return</c>.</summary>
public class JavaScriptRuleBodyTests
{
    private static ScriptRuleDefinition Js(string source) => new(ScriptLanguage.JavaScript, source, At);

    private static RuleSetResult Run(string script)
    {
        var compiled = Compile(Js(script));
        var result = compiled.Run(Lead());
        compiled.Run(Lead(), new RuleTrace()).ShouldBe(result, "traced and untraced evaluation must agree");
        return result;
    }

    [Theory]
    [InlineData("const age = lead.age; if (age < 21) return false; return lead.state != 'NY';", true)]
    [InlineData("if (lead.state == 'TX') return lead.age > 40; return true;", false)]
    [InlineData("function adult(field) { return field >= 18; }\nreturn adult(lead.age) && check.line_type === 'mobile';", true)]
    [InlineData("// Texas only\nif (lead.state != 'TX') {\n  return false;\n}\nreturn lead.email.domain.endsWith('.com');\n", true)]
    [InlineData("let total = 0;\nfor (const n of [1, 2, 3]) total += n;\nreturn total === 6;", true)]
    [InlineData("const lead = { state: 'CA' }; return lead.state === 'CA';", true)]
    public void Body_returns_what_its_return_statement_returns(string script, bool expected)
    {
        Run(script).ShouldBe(new RuleSetResult(expected, null));
    }

    [Theory]
    [InlineData("lead.state == 'TX';")]
    [InlineData("// High intent\nlead.age > 21 && lead.state == 'TX';\n")]
    [InlineData("/* Texas */ lead.state == 'TX' ; ")]
    public void One_expression_with_a_trailing_semicolon_is_an_expression_not_a_body(string script)
    {
        Run(script).ShouldBe(new RuleSetResult(true, null));
    }

    [Theory]
    [InlineData("const adult = lead.age > 21;")]
    [InlineData("if (lead.state == 'TX') { lead.age > 21; }")]
    [InlineData("lead.age > 21; lead.state == 'TX';")]
    public void Body_without_return_is_falsy(string script)
    {
        Run(script).ShouldBe(new RuleSetResult(false, null));
    }

    [Theory]
    [InlineData("while (true) {}")]
    [InlineData("let n = 0;\nfor (;;) { n++; }\nreturn n > 0;")]
    public void Body_that_never_ends_is_stopped_by_the_budget(string script)
    {
        var result = Compile(Js(script)).Run(Lead());

        result.Passed.ShouldBeFalse();
        // Either budget stops a runaway loop; on a loaded machine the 50 ms may run out before 10,000 statements.
        result.Error.ShouldNotBeNull().ShouldMatch("statement budget|timed out after");
    }

    [Theory]
    // On a loaded machine the 50 ms budget may run out before the recursion limit is reached: either stops it.
    [InlineData("function f(n) { return f(n + 1); }\nreturn f(0);", "recursion limit|timed out after")]
    [InlineData("globalThis.leak = 1; return true;", "threw")]
    [InlineData("Object.prototype.valid = true; return true;", "threw")]
    [InlineData("return require('fs') !== undefined;", "require is not defined")]
    [InlineData("throw new Error('boom');", "boom")]
    public void Body_runs_in_the_same_sandbox_as_an_expression(string script, string expected)
    {
        var result = Run(script);

        result.Passed.ShouldBeFalse();
        result.Error.ShouldNotBeNull().ShouldMatch(expected);
        Run("return typeof leak === 'undefined' && ({}).valid === undefined;").ShouldBe(new RuleSetResult(true, null));
    }

    [Theory]
    [InlineData("return true; }); globalThis.leak = 1; (function () {")]
    [InlineData("return true; } }); globalThis.leak = 1; (function () { {")]
    [InlineData("})")]
    [InlineData("return 1;\n}\n")]
    public void Body_cannot_close_the_function_it_runs_in(string script)
    {
        var (_, diagnostics) = CompileWithDiagnostics(Js(script));

        diagnostics.ShouldHaveSingleItem().Code.ShouldBe("PF0220");
    }

    [Fact]
    public void Syntax_error_in_a_body_is_reported_at_its_line_and_column_in_the_script()
    {
        var (_, diagnostics) = CompileWithDiagnostics(Js("const age = lead.age;\nif (age < ) return false;\nreturn true;"));

        var diagnostic = diagnostics.ShouldHaveSingleItem();
        diagnostic.Code.ShouldBe("PF0220");
        diagnostic.Location.ShouldBe(new SourceLocation(At.File, At.Line + 1, 11));
        diagnostic.Message.ShouldStartWith("JavaScript syntax error at line 2, column 11 of the script: ");
        diagnostic.Hint.ShouldNotBeNull().ShouldContain("statements that end in return");
    }

    [Fact]
    public void Syntax_error_in_an_expression_is_still_reported_as_the_expression_s()
    {
        var (_, diagnostics) = CompileWithDiagnostics(Js("lead.state == == 'TX'"));

        diagnostics.ShouldHaveSingleItem().Message.ShouldStartWith("JavaScript syntax error at line 1, column 15 of the expression: ");
    }

    [Fact]
    public void Script_of_only_comments_is_rejected_rather_than_always_false()
    {
        var (_, diagnostics) = CompileWithDiagnostics(Js("// TODO: decide who counts as high intent\n/* later */"));

        var diagnostic = diagnostics.ShouldHaveSingleItem();
        diagnostic.Code.ShouldBe("PF0220");
        diagnostic.Location.ShouldBe(At);
        diagnostic.Message.ShouldBe("The JavaScript rule has no expression or statements, only comments.");
    }
}
