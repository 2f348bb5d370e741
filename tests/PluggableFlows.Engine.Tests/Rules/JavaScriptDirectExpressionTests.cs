using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Rules;
using PluggableFlows.Engine.Rules.Scripting;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;
using static PluggableFlows.Engine.Tests.Rules.RuleKit;

namespace PluggableFlows.Engine.Tests.Rules;

/// <summary>
/// A rule that is one expression the direct tier covers must give, for every lead, exactly what Jint's interpreter gives:
/// the same outcome, the same result text in the trace, and the same error. Each expression below runs on both tiers
/// over five leads: a complete one, one with blank, invalid and missing fields, one with numbers as text and NaN, one with
/// non-ASCII text, and one whose step appended nulls, NaN and text where numbers are expected.
/// </summary>
public class JavaScriptDirectExpressionTests
{
    private static readonly string[] Written =
    [
        "lead.state == 'TX' && check.line_type == 'mobile' && lead.phone_1.valid && !['900', '976'].includes(String(lead.phone_1.area)) && lead.vehicle_year >= 2005 && (lead.dob.age >= 18 && lead.dob.age <= 80) && !!lead.postal_code.zip && lead.first_name.normal.toLowerCase() != 'test' && lead.insured == true && !/^(test|fake)/i.test(lead.last_name.normal)",
        "!lead.state", "!!lead.last_name.normal", "typeof lead", "typeof lead.state", "typeof lead.state.valueOf",
        "typeof lead.missing_field", "typeof check.score", "typeof null", "typeof random", "-lead.age", "+lead.price",
        "+lead.state", "-'  12 '", "+''", "+lead.military", "-0", "+check.active",
        "String(lead.state)", "String(lead.age)", "String(lead.missing_field)", "String(null)", "String(check.score)",
        "String(lead.opt_in)", "String(1e21)", "String(-0)", "String(0.1 + 0.2)", "String()", "String(check.tags)",
        "Number(lead.price)", "Number(lead.state)", "Number(lead.code.normal)", "Number(lead.comments)",
        "Number(check.text_number)", "Number('')", "Number(' 0x1F ')", "Number(lead.military)", "Number()", "Number(lead.dob)",
        "lead.first_name.normal.toLowerCase()", "lead.first_name.normal.toUpperCase()",
        "lead.last_name.normal.toLowerCase() == 'strasse ß'", "lead.rude.normal.toUpperCase()", "lead.comments.normal.trim()",
        "lead.comments.normal.trim().length", "lead.rude.normal.length", "lead.email.domain.endsWith('.com')",
        "lead.email.normal.startsWith('bob')", "lead.comments.normal.includes('from')", "lead.comments.normal.indexOf('o')",
        "lead.state.normal.trimStart()", "lead.state.normal.trimEnd()", "lead.state.toLowerCase()", "lead.missing_field.normal",
        "lead.missing_field.normal.length", "check.reason.length", "lead.email.normal.includes(lead.email.domain)",
        "lead.email.normal.startsWith(lead.state)", "lead.comments.normal.includes(/x/)", "check.score.toLowerCase()",
        "['900', '976'].includes(String(lead.phone_1.area))", "['900', '976'].includes(lead.phone_1.area)",
        "[30, '30'].includes(lead.age)", "[30].includes(lead.age.value)", "[null].includes(check.reason)", "[0].includes(-0)",
        "[1, 2].indexOf(2)", "[].includes(undefined)", "[1].length == 1", "[true, 'TX'].includes(lead.state.normal)",
        "/^(test|fake)/i.test(lead.last_name.normal)", "/^a/i.test(lead.first_name)", "/k/i.test(lead.code.normal)",
        "/ß/i.test(lead.last_name.normal)", "/^\\d+$/.test(lead.phone_1.area)", "/x/.test(lead.missing_field)",
        "/^$/.test(lead.last_name.normal)", "/^.$/s.test(lead.rude.normal)", "/^\\w+$/.test(lead.first_name.normal)",
        "lead.state == 'TX' && lead.age > 21", "lead.state == 'CA' || lead.price", "lead.missing_field || 'fallback'",
        "check.reason && check.reason.length", "random > 50", "random + 1", "lead.state == lead.state",
        "lead.state === lead.state", "lead.age == lead.age.value", "lead.opt_in == true",
        "lead.opt_in === true", "lead.military == false", "lead.homeowner == 0", "lead.age >= '30'", "lead.state < 'TZ'",
        "lead.state.normal < lead.first_name.normal", "'a' < 'B'", "'10' < '9'", "'10' < 9", "null == 0", "null >= 0",
        "undefined == null", "undefined < 1", "lead.dob == '2019-12-31'", "lead.dob < '2020'", "lead.call_at.value",
        "check.checked_at > '2020'", "check.nested", "check.nested.x", "check.tags", "source.name + ' / ' + flow.id",
        "submission.timestamp.startsWith('2025')", "lead.id", "lead.income_range.max - lead.income_range.min",
        "lead.open_range.max === null", "lead.price % 7", "lead.price / 0", "-lead.price / 0", "lead.age * '2'", "'3' * '4'",
        "lead.state + 1", "lead.age + 1", "lead.age + lead.price", "lead.age + check.score", "true + 1", "null + 1",
        "undefined + 1", "lead.state + lead.age", "'' + lead.opt_in", "1 / 3", "lead == lead", "lead == 'x'", "check == null",
        "lead.state == check", "lead.phone_1 == 5125551212", "lead.phone_1.area == 512", "lead.price == '1000.5'",
        "check.count === 3", "check.amount", "check.outcome + check.reason", "flow.version.length > 0",
        // lead.field.member is read straight from the field where that gives the same value; each of these must agree.
        "lead.state.raw", "lead.state.valid", "lead.state.value", "lead.age.value + 1", "lead.phone_1.valid",
        "lead.state.normal === lead.state.normal", "lead.state.valueOf === lead.first_name.valueOf",
        "lead.state.toString === lead.age.toString", "lead.state.constructor === lead.age.constructor",
        "typeof lead.state.hasOwnProperty", "lead.id.normal", "lead.missing_field.raw", "lead.dob.age",
        "lead.email.domain.length", "lead.income_range.max", "typeof lead.income_range.max",
        // lead.field against a string, number or boolean literal is converted to a primitive straight from the field.
        "lead.age >= 30", "lead.age == '30'", "30 <= lead.age", "'TX' == lead.state", "lead.state != 'CA'",
        "lead.state === 'TX'", "lead.state !== 'TX'", "lead.opt_in != false", "lead.military == 0",
        "lead.price > 1000", "lead.price < '1000.5'", "lead.missing_field == 'x'", "lead.missing_field != 0",
        "lead.dob >= '2019-12-31'", "lead.income_range == '[object Object]'", "lead.phone_1 > 5125551211",
        "lead.state == null", "lead.state != undefined", "lead.id == 'x'",
    ];

    private static readonly string[] Operands =
    [
        "lead.state", "lead.state.normal", "lead.age", "lead.age.value", "lead.price", "lead.opt_in", "lead.military",
        "lead.last_name", "lead.phone_1.area", "lead.code.normal", "lead.comments", "check.score", "check.text_number",
        "check.blank_text", "check.reason", "check.active", "lead.missing_field", "null", "undefined", "''", "'0'", "0",
        "(0 / 0)", "'TX'", "30", "true", "' 30 '", "'abc'", "1e21",
    ];

    private static readonly string[] Operators = ["==", "!=", "===", "!==", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "&&", "||"];

    /// <summary>The written expressions, and each operator over a spread of operand pairs.</summary>
    public static TheoryData<string> Expressions()
    {
        var data = new TheoryData<string>(Written);
        for (var op = 0; op < Operators.Length; op++)
        {
            for (var i = 0; i < Operands.Length; i++)
            {
                data.Add($"{Operands[i]} {Operators[op]} {Operands[((i * 7) + (op * 3) + 1) % Operands.Length]}");
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Expressions))]
    public void Direct_evaluation_gives_what_the_interpreter_gives(string expression)
    {
        var direct = Rule(expression, direct: true);
        var interpreted = Rule(expression, direct: false);

        direct.EvaluatesDirectly.ShouldBeTrue();
        foreach (var (name, vars) in Leads())
        {
            direct.Run(vars).ShouldBe(interpreted.Run(vars), $"{expression} on the {name} lead");
        }
    }

    [Theory]
    [InlineData("lead['state'] == 'TX'")]
    [InlineData("`${lead.state}` === 'TX'")]
    [InlineData("lead.missing_field?.normal")]
    [InlineData("lead.state.normal.repeat(2)")]
    [InlineData("/a/g.test(lead.first_name.normal)")]
    [InlineData("Math.max(lead.age, 1) > 0")]
    [InlineData("lead.age > 1 ? 'old' : 'young'")]
    [InlineData("const age = lead.age; return age > 21;")]
    public void What_the_direct_tier_does_not_cover_runs_on_the_interpreter(string script)
    {
        var rule = Rule(script, direct: true);

        rule.EvaluatesDirectly.ShouldBeFalse();
        rule.Run(Lead()).ShouldBe(Rule(script, direct: false).Run(Lead()));
    }

    [Fact]
    public void A_step_named_like_a_global_is_the_step_not_the_global()
    {
        var context = Context();
        context = new RuleCompilationContext { Types = context.Types, FieldTypeOf = context.FieldTypeOf, StepKeys = new HashSet<string> { "String" } };
        var vars = Lead();
        vars.SetStep("String", new StepVars(Outcome.Success, null));

        var rule = Rule("typeof String", direct: true, context);

        rule.Run(vars).ShouldBe((RuleOutcome.True, "object"));
    }

    [Fact]
    public void A_rule_the_direct_tier_covers_is_prepared_for_the_interpreter_only_when_the_tier_first_declines()
    {
        // Preparing a script for Jint's interpreter is most of a JavaScript flow's cold start; a rule the direct tier
        // covers must not pay it until a lead needs the interpreter.
        const string Script = "lead.first_name.normal.toLowerCase() != 'test' && !/^(test|fake)/i.test(lead.last_name.normal)";
        var rule = Rule(Script, direct: true);
        rule.EvaluatesDirectly.ShouldBeTrue();

        rule.Run(Lead()).ShouldBe((RuleOutcome.True, "true"));
        rule.InterpreterPrepared.ShouldBeFalse();

        // No first name: reading normal of undefined makes the tier decline, and the interpreter gives the error.
        var fields = LeadFields();
        fields.Remove("first_name");
        var (outcome, result) = rule.Run(Lead(fields));
        outcome.ShouldBe(RuleOutcome.Error);
        result.ShouldBe("The script threw: Cannot read property 'normal' of undefined");
        rule.InterpreterPrepared.ShouldBeTrue();
        rule.Run(Lead()).ShouldBe((RuleOutcome.True, "true"));
    }

    [Fact]
    public void The_engine_warm_up_evaluates_on_the_direct_tier() =>
        // Run on a thread of its own when the first rule loads, where a failure would go unseen.
        DirectExpression.WarmUp(new Jint.Engine()).ShouldBeTrue();

    [Fact]
    public void A_rule_the_direct_tier_does_not_cover_is_prepared_when_it_loads()
    {
        Rule("const name = lead.first_name.normal; return name != 'test';", direct: true).InterpreterPrepared.ShouldBeTrue();
        Rule("lead.first_name.normal.toLowerCase() != 'test'", direct: false).InterpreterPrepared.ShouldBeTrue();
    }

    [Fact]
    public void A_regular_expression_that_runs_out_of_time_is_the_same_error_on_both_tiers()
    {
        const string Script = "/(a+)+$/.test(lead.first_name.normal + 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!')";

        var (outcome, result) = Rule(Script, direct: true).Run(Lead());

        outcome.ShouldBe(RuleOutcome.Error);
        result.ShouldContain("timed out after");
        Rule(Script, direct: false).Run(Lead()).ShouldBe((outcome, result));
    }

    private static JavaScriptRule Rule(string script, bool direct, RuleCompilationContext? context = null)
    {
        var diagnostics = new DiagnosticBag();
        var rule = JavaScriptRule.Compile(new ScriptRuleDefinition(ScriptLanguage.JavaScript, script, At), context ?? Context(),
            diagnostics, direct);
        diagnostics.Items.ShouldBeEmpty();
        return rule.ShouldNotBeNull();
    }

    private static IEnumerable<(string Name, LeadVars Vars)> Leads()
    {
        yield return ("complete", Lead());

        var blank = LeadFields();
        blank["state"] = new FieldValue("state", "", "", null, false);
        blank["age"] = new FieldValue("number", "", "", null, false);
        blank["first_name"] = new FieldValue("first_name", "  ", "", null, true);
        blank["phone_1"] = new FieldValue("phone", "n/a", "n/a", null, false);
        blank.Remove("price");
        blank.Remove("email");
        yield return ("blank", Lead(blank, random: 1));

        var numbers = LeadFields();
        numbers["age"] = new FieldValue("number", " 42 ", "42", 42.0, true);
        numbers["price"] = new FieldValue("number", "NaN", "NaN", double.NaN, true);
        numbers["state"] = new FieldValue("state", "-0", "-0", "-0", true);
        numbers["code"] = Text("string", "012");
        numbers["comments"] = Text("string", "0x10");
        numbers["rude"] = Text("string", "Infinity");
        numbers["military"] = new FieldValue("boolean", "", "", null, false);
        yield return ("numbers as text", Lead(numbers, random: 100));

        var unicode = LeadFields();
        unicode["first_name"] = Text("first_name", "İstanbul ǅ");
        unicode["last_name"] = Text("last_name", "STRASSE ß");
        unicode["code"] = Text("string", "\u212A");
        unicode["comments"] = Text("string", "\u00A0 padded \uFEFF\u0085");
        unicode["rude"] = Text("string", "😀");
        unicode["state"] = new FieldValue("state", "ǅ", "ǅ", "ǅ", true);
        yield return ("unicode", Lead(unicode));

        var appended = new LeadVars("lead-5", LeadFields(), new SourceVars("src-5", "Ünïcode"), new FlowVars("flow-5", "Demo", "v5"),
            new SubmissionVars("sub-5", DateTimeOffset.UnixEpoch, null), 50);
        appended.SetStep("check", new StepVars(Outcome.Failure, "no match", new Dictionary<string, object?>
        {
            ["line_type"] = null,
            ["score"] = "15",
            ["count"] = double.NaN,
            ["active"] = "false",
            ["text_number"] = " 1e3 ",
            ["blank_text"] = "",
            ["tags"] = new List<object?> { null, 1 },
            ["nested"] = null,
        }, price: 1.5m));
        yield return ("appended nulls and text", appended);
    }
}
