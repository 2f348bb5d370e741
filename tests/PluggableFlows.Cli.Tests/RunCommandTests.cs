using System.Text.Json;

namespace PluggableFlows.Cli.Tests;

public class RunCommandTests
{
    [Fact]
    public async Task Run_pushes_the_sample_leads_through_the_sample_flow_and_summarises()
    {
        var workspace = Pflow.Workspace();
        var leads = File.ReadAllLines(Path.Combine(workspace, "scripts", "leads", "auto-insurance.csv")).Length - 1;

        var (exit, output, error) = await Pflow.ProcessAsync(workspace,
            "run", "scripts/flows/auto-insurance.yaml", "scripts/leads/auto-insurance.csv", "--out", "data/results.jsonl");

        error.ShouldBeEmpty();
        exit.ShouldBe(0);
        output.ShouldContain("Outcomes");
        output.ShouldContain("Top reasons");
        output.ShouldContain("eligibility");
        var results = File.ReadAllLines(Path.Combine(workspace, "data", "results.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        results.Length.ShouldBe(leads);
        results.Select(r => r.GetProperty("row").GetInt32()).ShouldBe(Enumerable.Range(1, leads));
        var outcomes = results.Select(r => r.GetProperty("outcome").GetString()).ToArray();
        outcomes.ShouldContain("success");
        outcomes.ShouldContain("failure");
        var delivered = File.ReadAllLines(Path.Combine(workspace, "data", "deliveries", "auto-insurance.jsonl"));
        delivered.Length.ShouldBe(outcomes.Count(o => o == "success"));
        results.First(r => r.GetProperty("outcome").GetString() == "success")
            .GetProperty("appended").GetProperty("phone_check").GetProperty("valid").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task The_sample_flow_s_declarative_javascript_and_csharp_rules_and_its_rule_file_all_decide_leads()
    {
        var workspace = Pflow.Workspace();
        var flow = File.ReadAllText(Path.Combine(workspace, "scripts", "flows", "auto-insurance.yaml"));
        flow.ShouldContain("{ js: ");
        flow.ShouldContain("{ csharp: ");
        flow.ShouldContain("{ rule: high-intent }");
        var rows = File.ReadAllLines(Path.Combine(workspace, "scripts", "leads", "auto-insurance.csv"));
        var notBuiltYet = Enumerable.Range(1, rows.Length - 1).Where(i => rows[i].Split(',')[7] == "2031").ToArray();
        notBuiltYet.ShouldNotBeEmpty("the sample has leads for the C# rule to stop");

        var (exit, _, error) = await Pflow.ProcessAsync(workspace,
            "run", "scripts/flows/auto-insurance.yaml", "scripts/leads/auto-insurance.csv", "--out", "data/results.jsonl");

        exit.ShouldBe(0, error);
        var results = File.ReadAllLines(Path.Combine(workspace, "data", "results.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        results.ShouldNotContain(r => r.GetProperty("outcome").GetString() == "error");
        foreach (var row in notBuiltYet)
        {
            var result = results.Single(r => r.GetProperty("row").GetInt32() == row);
            result.GetProperty("outcome").GetString().ShouldBe("failure");
            result.GetProperty("reason").GetString().ShouldNotBeNull().ShouldContain("not built yet");
        }

        results.Count(r => r.GetProperty("reason").GetString()?.StartsWith("Unreachable contact", StringComparison.Ordinal) == true
                           && r.GetProperty("appended").GetProperty("email_check").GetProperty("is_disposable").GetBoolean())
            .ShouldBeGreaterThan(0, "the JavaScript rule stops disposable email addresses");
        var tiers = File.ReadAllLines(Path.Combine(workspace, "data", "deliveries", "auto-insurance.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("tier").GetString()).ToArray();
        tiers.ShouldContain("premium", "the high-intent rule file tiers some leads premium");
        tiers.ShouldContain("standard");
    }

    [Fact]
    public async Task Run_reports_bad_csv_rows_by_number_and_carries_on()
    {
        var workspace = Pflow.Workspace();
        File.WriteAllText(Path.Combine(workspace, "leads.csv"), """
            first_name,Phone,state,Email
            Ada,(512) 555-1212,TX,ada@example.com
            Grace,(713) 555-1212
            Alan,(214) 555-1212,TX,alan@example.com
            """);

        var (exit, output, _) = await Pflow.ProcessAsync(workspace, "run", "scripts/flows/auto-insurance.yaml", "leads.csv", "--out", "out.jsonl");

        exit.ShouldBe(0);
        output.ShouldContain("leads.csv: row 2:");
        output.ShouldContain("unreadable rows");
        var results = File.ReadAllLines(Path.Combine(workspace, "out.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        results.Length.ShouldBe(3);
        results[1].GetProperty("error").GetString().ShouldNotBeNullOrEmpty();
        results[0].TryGetProperty("outcome", out _).ShouldBeTrue();
        results[2].TryGetProperty("outcome", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Run_reports_malformed_json_lines_by_number_and_carries_on()
    {
        var workspace = Pflow.Workspace();
        File.WriteAllText(Path.Combine(workspace, "leads.jsonl"), """
            {"first_name":"Ada","Phone":"(512) 555-1212","state":"TX","Email":"ada@example.com"}
            {"first_name":"Grace", oops}
            [1,2,3]
            {"first_name":"Alan","Phone":"(214) 555-1212","state":"TX","Email":"alan@example.com"}
            """);

        var (exit, output, _) = await Pflow.ProcessAsync(workspace, "run", "scripts/flows/auto-insurance.yaml", "leads.jsonl");

        exit.ShouldBe(0);
        output.ShouldContain("leads.jsonl: row 2: malformed JSON");
        output.ShouldContain("leads.jsonl: row 3: expected a JSON object");
    }

    [Fact]
    public async Task Run_refuses_a_broken_flow_and_names_its_problems()
    {
        var workspace = Pflow.Workspace();
        var flow = Path.Combine(workspace, "scripts", "flows", "auto-insurance.yaml");
        File.WriteAllText(flow, File.ReadAllText(flow).Replace("op: format is invalid", "op: format is invlid", StringComparison.Ordinal));

        var (exit, _, error) = await Pflow.ProcessAsync(workspace, "run", "scripts/flows/auto-insurance.yaml", "scripts/leads/auto-insurance.csv");

        exit.ShouldBe(1);
        error.ShouldContain("format is invlid");
        error.ShouldContain("pflow check");
    }
}
