using System.Text.Json;

namespace PluggableFlows.Cli.Tests;

/// <summary><c>pflow rules eval</c>, run as users run it: the built pflow in a scratch copy of the sample workspace,
/// against the sample flow (fields state, phone_1, dob, vehicle_year (number), insured (boolean); steps phone_check,
/// email_check, ...).</summary>
public class RulesEvalCommandTests
{
    private const string Flow = "scripts/flows/auto-insurance.yaml";

    private readonly string _workspace = Pflow.Workspace();

    [Fact]
    public async Task Declarative_rule_that_passes_prints_its_trace_and_exits_0()
    {
        var (exit, output, error) = await EvalAsync("--rule", "{ lhv: lead.state, op: is equal to, rhv: TX }", "state=Texas");

        error.ShouldBeEmpty();
        exit.ShouldBe(0);
        Row(output, "lead.state").ShouldBe(["lead.state", "is equal to", "TX", "TX", "TX", "true"]);
        output.ShouldContain("Result: passed");
    }

    [Fact]
    public async Task Declarative_rule_that_fails_prints_its_trace_and_exits_1()
    {
        var (exit, output, _) = await EvalAsync("--rule", "{ lhv: lead.state, op: is equal to, rhv: TX }", "state=California");

        exit.ShouldBe(1);
        Row(output, "lead.state").ShouldBe(["lead.state", "is equal to", "TX", "CA", "TX", "false"]);
        output.ShouldContain("Result: failed");
    }

    [Fact]
    public async Task Rule_set_with_nested_rules_traces_every_rule_indented_by_depth()
    {
        var (exit, output, _) = await EvalAsync("--rule", """
            { op: or, rules: [
                { lhv: lead.state, op: is equal to, rhv: TX },
                { op: and, rules: [ { lhv: lead.vehicle_year, op: is greater than, rhv: 2005 }, { lhv: lead.insured, op: is true } ] } ] }
            """, "state=CA", "vehicle_year=2010", "insured=yes");

        exit.ShouldBe(0);
        Row(output, "lead.state").ShouldBe(["lead.state", "is equal to", "TX", "CA", "TX", "false"]);
        Row(output, "lead.vehicle_year").ShouldBe(["  lead.vehicle_year", "is greater than", "2005", "2010", "2005", "true"]);
        Row(output, "lead.insured").ShouldBe(["  lead.insured", "is true", "", "true", "", "true"]);
        output.ShouldContain("Result: passed");
    }

    [Fact]
    public async Task Inline_javascript_rule_passes()
    {
        var (exit, output, _) = await EvalAsync("--js", "lead.state == 'TX' && lead.vehicle_year > 2005", "state=TX", "vehicle_year=2010");

        exit.ShouldBe(0);
        Row(output, "lead.state == 'TX'").ShouldBe(["lead.state == 'TX' && lead.vehicle_year > 2005", "js", "", "true", "", "true"]);
        output.ShouldContain("Result: passed");
    }

    [Fact]
    public async Task Javascript_rule_that_throws_is_an_error_with_its_reason_and_exits_2()
    {
        var (exit, output, _) = await EvalAsync("--js", "lead.email.normal.length > 3", "state=TX");

        exit.ShouldBe(2);
        var row = Row(output, "lead.email.normal.length > 3");
        row[5].ShouldBe("error");
        row[6].ShouldStartWith("The script threw:");
        row[6].ShouldContain("normal");
        output.ShouldContain("Result: error: js rule 'lead.email.normal.length > 3' at --js:1:1: The script threw:");
    }

    [Fact]
    public async Task Rule_file_is_read_with_its_language_from_the_extension()
    {
        Directory.CreateDirectory(Path.Combine(_workspace, "scripts", "rules"));
        await File.WriteAllTextAsync(Path.Combine(_workspace, "scripts", "rules", "texas.js"), "lead.state == 'TX'\n");

        var passing = await EvalAsync("--file", "scripts/rules/texas.js", "state=Texas");
        var failing = await EvalAsync("--file", "scripts/rules/texas.js", "state=CA");

        passing.Exit.ShouldBe(0);
        Row(passing.Out, "lead.state == 'TX'").ShouldBe(["lead.state == 'TX'", "js", "", "true", "", "true"]);
        failing.Exit.ShouldBe(1);
    }

    [Fact]
    public async Task Syntax_error_in_a_rule_file_is_located_in_the_file()
    {
        Directory.CreateDirectory(Path.Combine(_workspace, "scripts", "rules"));
        await File.WriteAllTextAsync(Path.Combine(_workspace, "scripts", "rules", "broken.js"), "lead.state ==\n");

        var (exit, _, error) = await EvalAsync("--file", "scripts/rules/broken.js");

        exit.ShouldBe(2);
        error.ShouldContain("scripts/rules/broken.js:1:14: error PF0220: JavaScript syntax error");
    }

    [Fact]
    public async Task Lead_json_and_field_pairs_make_one_lead_pairs_winning()
    {
        var (exit, output, _) = await EvalAsync("--json",
            "--rule", "{ op: and, rules: [ { lhv: lead.state, op: is equal to, rhv: TX }, { lhv: lead.vehicle_year, op: is less than, rhv: 2005 } ] }",
            "--lead", """{ "state": "CA", "vehicle_year": 2001 }""", "state=TX");

        exit.ShouldBe(0);
        var trace = Json(output).GetProperty("trace");
        trace[0].GetProperty("resolved_lhv").GetString().ShouldBe("TX");
        trace[1].GetProperty("resolved_lhv").GetString().ShouldBe("2001");
    }

    [Fact]
    public async Task Lead_file_fields_are_mapped_by_the_source_and_parsed_by_their_types()
    {
        await File.WriteAllTextAsync(Path.Combine(_workspace, "lead.json"), """
            {
              "Phone": "512.555.1212",
              "state": "texas"
            }
            """);

        var (exit, output, error) = await EvalAsync("--json", "--source", "acme", "--lead-file", "lead.json",
            "--rule", "{ op: and, rules: [ { lhv: lead.phone_1, op: is equal to, rhv: (512) 555-1212 }, { lhv: lead.state, op: is equal to, rhv: TX } ] }");

        error.ShouldBeEmpty();
        exit.ShouldBe(0);
        Json(output).GetProperty("trace")[0].GetProperty("resolved_lhv").GetString().ShouldBe("5125551212");
    }

    [Fact]
    public async Task Lead_json_can_come_from_standard_input()
    {
        var (exit, output, _) = await Pflow.InProcessAsync("""{ "state": "Texas" }""",
            "rules", "eval", Path.Combine(_workspace, Flow), "--lead", "-", "--json", "--rule", "{ lhv: lead.state, op: is equal to, rhv: TX }");

        exit.ShouldBe(0);
        Json(output).GetProperty("trace")[0].GetProperty("resolved_lhv").GetString().ShouldBe("TX");
    }

    [Fact]
    public async Task Component_paths_read_the_parsed_field_values()
    {
        var (exit, output, _) = await EvalAsync("--json",
            "--rule", "{ op: and, rules: [ { lhv: lead.phone_1.area, op: is equal to, rhv: 512 }, { lhv: lead.dob.age, op: is greater than, rhv: 40 } ] }",
            "phone_1=(512) 555-1212 x12", "dob=01/02/1980");

        exit.ShouldBe(0);
        var trace = Json(output).GetProperty("trace");
        trace[0].GetProperty("resolved_lhv").GetString().ShouldBe("512");
        int.Parse(trace[1].GetProperty("resolved_lhv").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(45);
    }

    [Fact]
    public async Task Step_data_is_appended_under_the_step_key()
    {
        string[] rule = ["--rule", """
            { op: and, rules: [
                { lhv: phone_check.outcome, op: is equal to, rhv: success },
                { lhv: phone_check.line_type, op: is included in, rhv: [mobile, landline] },
                { lhv: email_check.is_disposable, op: is false } ] }
            """];

        var appended = await EvalAsync([.. rule, "--step", "phone_check.line_type=mobile", "--step", "email_check.is_disposable=false"]);
        var missing = await EvalAsync(rule);

        appended.Exit.ShouldBe(0);
        Row(appended.Out, "phone_check.outcome")[3].ShouldBe("success");
        Row(appended.Out, "phone_check.line_type")[3].ShouldBe("mobile");
        missing.Exit.ShouldBe(1);
        Row(missing.Out, "phone_check.line_type")[3].ShouldBe("(blank)");
    }

    [Fact]
    public async Task Step_values_that_read_as_json_keep_their_type_in_scripts()
    {
        var (exit, _, _) = await EvalAsync("--js", "phone_check.valid === true && phone_check.carrier.score > 0.5 && phone_check.outcome == 'failure'",
            "--step", "phone_check.valid=true", "--step", "phone_check.carrier.score=0.9", "--step", "phone_check.outcome=failure");

        exit.ShouldBe(0);
    }

    [Fact]
    public async Task Step_data_for_a_step_the_flow_does_not_have_is_refused_with_the_nearest_key()
    {
        var (exit, _, error) = await EvalAsync("--js", "true", "--step", "phone_chek.line_type=mobile");

        exit.ShouldBe(2);
        error.ShouldContain("flow 'auto-insurance' has no step 'phone_chek'. Did you mean 'phone_check'?");
    }

    [Fact]
    public async Task Json_output_is_one_object_with_result_error_and_trace()
    {
        var (exit, output, _) = await EvalAsync("--json", "--rule", "{ op: or, rules: [ { lhv: lead.state, op: is blank }, { js: \"lead.state == 'NY'\" } ] }",
            "state=TX");

        exit.ShouldBe(1);
        output.Trim().Split('\n').Length.ShouldBe(1);
        var json = Json(output);
        json.GetProperty("result").GetString().ShouldBe("failed");
        json.GetProperty("error").ValueKind.ShouldBe(JsonValueKind.Null);
        var trace = json.GetProperty("trace").EnumerateArray().ToArray();
        trace.Length.ShouldBe(2);
        trace[0].GetProperty("depth").GetInt32().ShouldBe(0);
        trace[0].GetProperty("lhv").GetString().ShouldBe("lead.state");
        trace[0].GetProperty("op").GetString().ShouldBe("is blank");
        trace[0].GetProperty("rhv").ValueKind.ShouldBe(JsonValueKind.Null);
        trace[0].GetProperty("resolved_lhv").GetString().ShouldBe("TX");
        trace[0].GetProperty("result").GetBoolean().ShouldBeFalse();
        trace[1].GetProperty("lhv").GetString().ShouldBe("lead.state == 'NY'");
        trace[1].GetProperty("op").GetString().ShouldBe("js");
        trace[1].GetProperty("error").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Json_output_of_a_rule_error_names_the_error()
    {
        var (exit, output, _) = await EvalAsync("--json", "--js", "lead.email.normal.length > 3");

        exit.ShouldBe(2);
        var json = Json(output);
        json.GetProperty("result").GetString().ShouldBe("error");
        json.GetProperty("error").GetString()!.ShouldContain("The script threw:");
        json.GetProperty("trace")[0].GetProperty("error").GetString()!.ShouldStartWith("The script threw:");
    }

    [Fact]
    public async Task Snippet_that_is_not_valid_yaml_is_located_within_the_snippet()
    {
        var (exit, output, error) = await EvalAsync("--rule", "{ lhv: lead.state, op: is equal to, rhv: TX", "state=TX");

        exit.ShouldBe(2);
        output.ShouldBeEmpty();
        error.ShouldStartWith("--rule:1:44: error PF0101: The file is not valid YAML:");
    }

    [Fact]
    public async Task Snippet_problems_are_located_by_line_and_column_within_the_snippet_with_a_caret()
    {
        var (exit, _, error) = await EvalAsync("--rule", "op: or\nrules:\n  - { lhv: lead.state, opp: is equal to, rhv: TX }");

        exit.ShouldBe(2);
        var lines = error.Split('\n');
        lines[0].ShouldBe("--rule:3:24: error PF0103: Unknown key 'opp' in a rule. Hint: Did you mean 'op'?");
        lines[1].ShouldBe("      - { lhv: lead.state, opp: is equal to, rhv: TX }");
        lines[2].ShouldBe(new string(' ', 4 + 23) + "^");
    }

    [Fact]
    public async Task Unknown_operator_is_reported_with_the_nearest_one()
    {
        var (exit, output, error) = await EvalAsync("--rule", "{ lhv: lead.state, op: is equl to, rhv: TX }", "state=TX");

        exit.ShouldBe(2);
        output.ShouldBeEmpty();
        error.ShouldContain("--rule:1:24: error PF0201: Unknown operator 'is equl to'. Hint: Did you mean 'is equal to'?");
        error.ShouldContain("The rule has 1 problem(s).");
    }

    [Fact]
    public async Task Unknown_field_and_step_key_in_a_rule_are_reported_with_the_nearest()
    {
        var (exit, _, error) = await EvalAsync("--rule",
            "{ op: or, rules: [ { lhv: lead.stat, op: is blank }, { lhv: phone_chek.line_type, op: is equal to, rhv: mobile } ] }");

        exit.ShouldBe(2);
        error.ShouldContain("--rule:1:27: error PF0208: Unknown field stat in 'lead.stat'. Hint: Did you mean lead.state?");
        error.ShouldContain("--rule:1:61: error PF0209: Unknown step key phone_chek in 'phone_chek.line_type'. Hint: Did you mean phone_check?");
    }

    [Fact]
    public async Task Unknown_lead_field_is_a_warning_with_the_nearest_field_and_the_rule_still_runs()
    {
        var (exit, output, error) = await EvalAsync("--rule", "{ lhv: lead.state, op: is blank }", "stat=TX");

        exit.ShouldBe(0);
        error.ShouldContain("warning: 'stat' is neither a field of flow 'auto-insurance' nor a standard field, so it is read as text. Did you mean 'state'?");
        output.ShouldContain("Result: passed");
    }

    [Fact]
    public async Task Malformed_lead_json_is_bad_input()
    {
        var (exit, output, error) = await EvalAsync("--js", "true", "--lead", """{ "state": "TX", }""");

        exit.ShouldBe(2);
        output.ShouldBeEmpty();
        error.ShouldStartWith("--lead: the lead is not valid JSON:");
    }

    [Fact]
    public async Task Lead_json_that_is_not_an_object_is_bad_input()
    {
        var (exit, _, error) = await EvalAsync("--js", "true", "--lead", "[1, 2]");

        exit.ShouldBe(2);
        error.ShouldContain("the lead must be a JSON object");
    }

    [Fact]
    public async Task Missing_flow_file_is_bad_input()
    {
        var (exit, _, error) = await Pflow.ProcessAsync(_workspace, "rules", "eval", "scripts/flows/nope.yaml", "--js", "true");

        exit.ShouldBe(2);
        error.ShouldContain("scripts/flows/nope.yaml: no such file.");
    }

    [Fact]
    public async Task Flow_with_errors_is_refused_with_its_problems()
    {
        var flow = Path.Combine(_workspace, Flow);
        await File.WriteAllTextAsync(flow, (await File.ReadAllTextAsync(flow)).Replace("op: format is invalid", "op: format is invlid", StringComparison.Ordinal));

        var (exit, output, error) = await EvalAsync("--js", "true");

        exit.ShouldBe(2);
        output.ShouldBeEmpty();
        error.ShouldContain("error PF0201: Unknown operator 'format is invlid'.");
        error.ShouldContain("the flow has 1 problem(s)");
    }

    [Fact]
    public async Task A_rule_is_required()
    {
        var (exit, _, error) = await EvalAsync("state=TX");

        exit.ShouldBe(2);
        error.ShouldStartWith("Give the rule to evaluate with one of --rule, --js, --csharp or --file.");
    }

    [Fact]
    public async Task One_rule_at_a_time()
    {
        var (exit, _, error) = await EvalAsync("--js", "true", "--rule", "{ js: 'true' }");

        exit.ShouldBe(2);
        error.ShouldStartWith("Give one rule at a time, but --rule and --js are given.");
    }

    [Fact]
    public async Task Csharp_rule_reads_typed_fields_and_components()
    {
        var (exit, output, _) = await EvalAsync("--csharp", "lead.state == \"TX\" && lead.phone_1.area == \"512\"", "state=Texas", "phone_1=(512) 555-1212");

        exit.ShouldBe(0, output);
        output.ShouldContain("Result: passed");
        output.ShouldContain("csharp");
    }

    [Fact]
    public async Task Csharp_rule_with_a_misspelt_field_is_a_located_compile_error_with_a_suggestion()
    {
        var (exit, _, error) = await EvalAsync("--csharp", "lead.stat == \"TX\"", "state=TX");

        exit.ShouldBe(2);
        error.ShouldStartWith("--csharp:1:6: error PF0222: C# error CS1061 at line 1, column 6 of the rule");
        error.ShouldContain("Did you mean lead.state?");
        error.ShouldNotContain("   at ");
    }

    [Fact]
    public async Task Csharp_rule_that_uses_a_forbidden_api_is_rejected_by_name()
    {
        var (exit, _, error) = await EvalAsync("--csharp", "System.IO.File.Exists(\"/etc/passwd\")", "state=TX");

        exit.ShouldBe(2);
        error.ShouldContain("error PF0223: Rules may not use System.IO.File.Exists (files).");
    }

    [Fact]
    public async Task Csharp_rule_that_runs_away_is_an_error_not_a_hang()
    {
        var (exit, output, _) = await EvalAsync("--csharp", "((Func<bool>)(() => { while (true) { } }))()", "state=TX");

        exit.ShouldBe(2);
        output.ShouldContain("budget");
    }

    [Fact]
    public async Task Rules_doc_examples_print_what_the_doc_shows()
    {
        var text = (await File.ReadAllTextAsync(Path.Combine(Pflow.RepoRoot, "docs", "rules.md"))).Replace("\r\n", "\n", StringComparison.Ordinal);
        var section = text[text.IndexOf("## Trying a rule", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", StringComparison.Ordinal)];
        var examples = section.Split("```console\n")[1..].Select(block => block[..block.IndexOf("```", StringComparison.Ordinal)]).ToArray();

        examples.Length.ShouldBe(2);
        foreach (var example in examples)
        {
            // "$ pflow ..." with "\" continuations, then what it prints.
            var lines = example.TrimEnd('\n').Split('\n');
            var commandLines = lines.TakeWhile((line, i) => i == 0 || lines[i - 1].EndsWith('\\')).ToArray();
            var command = string.Join(" ", commandLines.Select(line => line.TrimEnd('\\').Trim()))["$ pflow ".Length..];
            var (_, output, error) = await Pflow.ProcessAsync(_workspace, ShellWords(command));

            Trimmed(output + error).ShouldBe(Trimmed(string.Join('\n', lines[commandLines.Length..])), command);
        }
    }

    private static string Trimmed(string text) =>
        string.Join('\n', text.TrimEnd().Split('\n').Select(line => line.TrimEnd()));

    /// <summary>Splits a command line as a POSIX shell would for the examples: words separated by spaces, quotes grouping.</summary>
    private static string[] ShellWords(string command)
    {
        var words = new List<string>();
        var word = new System.Text.StringBuilder();
        var inWord = false;
        char? quote = null;
        foreach (var c in command)
        {
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (c == ' ')
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return [.. words];
    }

    private Task<(int Exit, string Out, string Err)> EvalAsync(params string[] args) =>
        Pflow.ProcessAsync(_workspace, ["rules", "eval", Flow, .. args]);

    private static JsonElement Json(string output) => JsonDocument.Parse(output).RootElement;

    /// <summary>The cells of the trace table's first row whose rule cell contains <paramref name="rule"/>, trimmed but for
    /// the rule cell's indent.</summary>
    private static string[] Row(string output, string rule)
    {
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith('│') && l.Contains(rule, StringComparison.Ordinal));
        line.ShouldNotBeNull($"no trace row for {rule} in{Environment.NewLine}{output}");
        var cells = line.Trim().Trim('│').Split('│');
        // Each cell is padded by one space either side; what is left of the rule cell's start is its depth indent.
        return cells.Select((cell, i) => i == 0 ? cell[1..].TrimEnd() : cell.Trim()).ToArray();
    }
}
