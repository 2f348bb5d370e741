using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Flows;
using PluggableFlows.Engine.Rules;
using static PluggableFlows.Engine.Tests.Flows.FlowTestKit;

namespace PluggableFlows.Engine.Tests.Flows;

/// <summary><c>{ rule: name }</c>: a scripted rule kept in <c>scripts/rules/</c>, read when the flow loads.</summary>
public sealed class FlowRuleFileTests : IDisposable
{
    private const string HighIntent = "// insured drivers\nreturn lead.insured == true;\n";

    private readonly TempScripts _scripts = new();

    public void Dispose() => _scripts.Dispose();

    /// <summary>A flow whose acceptance criteria are one rule: <c>rule: &lt;value&gt;</c> at line 5, column 11.</summary>
    private static string FlowWithRule(string value) => $$"""
        id: demo
        fields: [email, { id: insured, type: boolean }]
        acceptance_criteria:
          rule_set:
            rule: {{value}}
        """;

    private FlowLoadResult Parse(string yaml) => Loader(_scripts.Root).Parse(yaml, FlowFile);

    private FlowDiagnostic SingleDiagnostic(string yaml)
    {
        var result = Parse(yaml);
        result.Flow.ShouldBeNull();
        result.Diagnostics.Count.ShouldBe(1, string.Join(Environment.NewLine, result.Diagnostics));
        return result.Diagnostics[0];
    }

    private static ScriptRuleDefinition OnlyRule(FlowLoadResult result)
    {
        result.Diagnostics.ShouldBeEmpty(string.Join(Environment.NewLine, result.Diagnostics));
        return result.Flow.ShouldNotBeNull().AcceptanceCriteria.ShouldNotBeNull().RuleSet.Rules.ShouldHaveSingleItem()
            .ShouldBeOfType<ScriptRuleDefinition>();
    }

    [Fact]
    public void Rule_named_without_extension_reads_the_js_file_located_at_its_own_first_line()
    {
        var path = _scripts.WriteRule("high-intent.js", HighIntent);

        var rule = OnlyRule(Parse(FlowWithRule("high-intent")));

        rule.ShouldBe(new ScriptRuleDefinition(ScriptLanguage.JavaScript, HighIntent, new SourceLocation(path, 1, 1))
        {
            RuleFile = "rules/high-intent.js",
        });
    }

    [Theory]
    [InlineData("high-intent.js", ScriptLanguage.JavaScript)]
    [InlineData("high-intent.csx", ScriptLanguage.CSharp)]
    public void Rule_named_with_its_extension_reads_that_file_in_its_language(string value, ScriptLanguage language)
    {
        _scripts.WriteRule("high-intent.js", HighIntent);
        var csx = _scripts.WriteRule("high-intent.csx", "lead.insured == true");

        var rule = OnlyRule(Parse(FlowWithRule(value)));

        rule.Language.ShouldBe(language);
        rule.RuleFile.ShouldBe("rules/" + value);
        if (language == ScriptLanguage.CSharp)
        {
            rule.ShouldBe(new ScriptRuleDefinition(ScriptLanguage.CSharp, "lead.insured == true", new SourceLocation(csx, 1, 1))
            {
                RuleFile = "rules/high-intent.csx",
            });
        }
    }

    [Fact]
    public void Rule_named_without_extension_reads_a_csx_file_as_csharp()
    {
        _scripts.WriteRule("adult.csx", "lead.dob.age >= 18");

        var rule = OnlyRule(Parse(FlowWithRule("adult")));

        rule.Language.ShouldBe(ScriptLanguage.CSharp);
        rule.Source.ShouldBe("lead.dob.age >= 18");
        rule.Location.ShouldBe(SourceLocation.StartOf(_scripts.PathOf(Path.Combine("rules", "adult.csx"))));
    }

    [Fact]
    public void Rule_file_stands_anywhere_a_rule_stands()
    {
        _scripts.WriteRule("high-intent.js", HighIntent);

        var result = Parse("""
            id: demo
            fields: [email, { id: insured, type: boolean }]
            steps:
              - key: picky
                type: filter
                stop_if: { op: or, rules: [ { lhv: lead.email, op: format is invalid }, { op: and, rules: [ { rule: high-intent } ] } ] }
              - key: phone_check
                type: enhancement
                integration: phone.verify
                when: { rule: high-intent.js }
                inputs: { phone: "{{ lead.phone_1 }}" }
            """);

        result.Diagnostics.ShouldBeEmpty(string.Join(Environment.NewLine, result.Diagnostics));
        var steps = result.Flow.ShouldNotBeNull().Steps;
        var nested = steps[0].ShouldBeOfType<FilterStepDefinition>().StopIf.Rules[1].ShouldBeOfType<RuleSetDefinition>();
        nested.Rules.ShouldHaveSingleItem().ShouldBeOfType<ScriptRuleDefinition>().RuleFile.ShouldBe("rules/high-intent.js");
        steps[1].ShouldBeOfType<IntegrationStepDefinition>().When.ShouldNotBeNull().Rules.ShouldHaveSingleItem()
            .ShouldBeOfType<ScriptRuleDefinition>().Source.ShouldBe(HighIntent);
    }

    [Fact]
    public void Missing_rule_file_is_reported_at_the_name_with_the_nearest_rule_file()
    {
        _scripts.WriteRule("high-intent.js", HighIntent);
        _scripts.WriteRule("low-risk.csx", "true");

        var diagnostic = SingleDiagnostic(FlowWithRule("high-intnet"));

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.RuleFileNotFound, 5, 11);
        diagnostic.Message.ShouldBe("Rule 'high-intnet' has no file: neither rules/high-intnet.js nor rules/high-intnet.csx exists.");
        diagnostic.Hint.ShouldBe("Did you mean 'high-intent'?");
    }

    [Fact]
    public void Missing_rule_file_named_with_its_extension_suggests_the_file_that_exists()
    {
        _scripts.WriteRule("high-intent.js", HighIntent);

        var diagnostic = SingleDiagnostic(FlowWithRule("high-intent.csx"));

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.RuleFileNotFound, 5, 11);
        diagnostic.Message.ShouldBe("Rule file 'rules/high-intent.csx' does not exist.");
        diagnostic.Hint.ShouldBe("Did you mean 'high-intent.js'?");
    }

    [Fact]
    public void Missing_rule_file_with_nothing_near_says_where_to_create_it()
    {
        var diagnostic = SingleDiagnostic(FlowWithRule("high-intent"));

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.RuleFileNotFound, 5, 11);
        diagnostic.Hint.ShouldBe($"Create {_scripts.PathOf(Path.Combine("rules", "high-intent.js"))}; rule files live in the rules folder next to flows/.");
    }

    [Fact]
    public void Bare_name_with_both_a_js_and_a_csx_file_is_ambiguous()
    {
        _scripts.WriteRule("high-intent.js", HighIntent);
        _scripts.WriteRule("high-intent.csx", "lead.insured == true");

        var diagnostic = SingleDiagnostic(FlowWithRule("high-intent"));

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.AmbiguousRuleFile, 5, 11);
        diagnostic.Message.ShouldBe("Rule 'high-intent' is ambiguous: both rules/high-intent.js and rules/high-intent.csx exist.");
        diagnostic.Hint.ShouldBe("Write the extension to choose one (rule: high-intent.js or rule: high-intent.csx), or remove the other file.");
    }

    [Theory]
    [InlineData("../flows/demo")]
    [InlineData("shared/high-intent")]
    [InlineData(@"shared\high-intent.js")]
    [InlineData("..high-intent")]
    public void Rule_name_that_is_a_path_is_rejected(string name)
    {
        // Even when the file exists: a rule name never leaves the rules folder.
        _scripts.WriteRule(Path.Combine("shared", "high-intent.js"), HighIntent);

        var diagnostic = SingleDiagnostic(FlowWithRule($"'{name}'"));

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.InvalidId, 5, 11);
        diagnostic.Message.ShouldBe($"Rule name '{name}' is not valid: it names a path, but rule files are named alone.");
        diagnostic.Hint.ShouldBe("Keep the file in the rules folder (scripts/rules/) and write its name without folders, e.g. rule: high-intent.");
    }

    [Theory]
    [InlineData("high intent")]
    [InlineData("-high-intent")]
    [InlineData("high.intent.js")]
    [InlineData("''")]
    public void Rule_name_of_the_wrong_form_is_rejected(string name)
    {
        var diagnostic = SingleDiagnostic(FlowWithRule(name));

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.InvalidId, 5, 11);
        diagnostic.Hint.ShouldNotBeNull().ShouldStartWith("Use letters, digits, '-' and '_'");
    }

    [Fact]
    public void Rule_file_with_an_unknown_extension_is_rejected()
    {
        _scripts.WriteRule("high-intent.py", "return True");

        var diagnostic = SingleDiagnostic(FlowWithRule("high-intent.py"));

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.InvalidValue, 5, 11);
        diagnostic.Message.ShouldBe("Rule file 'high-intent.py' has the extension '.py', but rule files are .js (JavaScript) or .csx (C#).");
        diagnostic.Hint.ShouldBe("Name the file high-intent.js or high-intent.csx, and write rule: high-intent.");
    }

    [Theory]
    [InlineData("high-intent.js", "Write a JavaScript expression (lead.state == 'TX') or statements that end in return.")]
    [InlineData("high-intent.csx", "Write a C# expression, e.g. lead.state == \"TX\".")]
    public void Empty_rule_file_is_rejected(string file, string hint)
    {
        _scripts.WriteRule(file, " \n\t\n");

        var diagnostic = SingleDiagnostic(FlowWithRule("high-intent"));

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.InvalidValue, 5, 11);
        diagnostic.Message.ShouldBe($"Rule file 'rules/{file}' is empty.");
        diagnostic.Hint.ShouldBe(hint);
    }

    [Fact]
    public void Rule_file_and_inline_script_in_one_rule_are_rejected()
    {
        _scripts.WriteRule("high-intent.js", HighIntent);

        var diagnostic = SingleDiagnostic("""
            id: demo
            acceptance_criteria:
              rule_set: { rules: [ { js: "true", rule: high-intent } ] }
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.InvalidValue, 3, 38);
        diagnostic.Message.ShouldBe("A scripted rule is one of js:, csharp: or rule:, but this one has both js: and rule:.");
    }

    [Fact]
    public void Rule_key_beside_lhv_is_a_misspelled_rule_set_not_a_rule_file()
    {
        var diagnostic = SingleDiagnostic("""
            id: demo
            fields: [email]
            acceptance_criteria:
              rule_set:
                rules:
                  - lhv: lead.email
                    op: is not blank
                    rule: { rules: [ { lhv: lead.email, op: format is valid } ] }
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.UnknownKey, 8, 9);
        diagnostic.Message.ShouldBe("Unknown key 'rule' in a rule.");
        diagnostic.Hint.ShouldBe("Valid keys here: lhv, op, rhv, case_sensitive, rule_set.");
    }
}
