namespace PluggableFlows.Cli.Tests;

public class CheckCommandTests
{
    [Fact]
    public async Task Check_passes_the_sample_flows()
    {
        var (exit, output, error) = await Pflow.InProcessAsync("", "check", Path.Combine(Pflow.RepoRoot, "scripts", "flows"));

        error.ShouldBeEmpty();
        output.ShouldContain("no problems");
        exit.ShouldBe(0);
    }

    [Fact]
    public async Task Check_lists_every_error_in_a_broken_copy_with_its_location_and_fails()
    {
        var workspace = Pflow.Workspace();
        var flow = Path.Combine(workspace, "scripts", "flows", "auto-insurance.yaml");
        var text = File.ReadAllText(flow)
            .Replace("op: format is invalid", "op: format is invlid", StringComparison.Ordinal)
            .Replace("integration: file.jsonl", "integration: file.jsnol", StringComparison.Ordinal)
            .Replace("- key: served_states", "- key: suppressed", StringComparison.Ordinal);
        File.WriteAllText(flow, text);

        var (exit, output, _) = await Pflow.InProcessAsync("", "check", flow);

        exit.ShouldBe(1);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains(": error ", StringComparison.Ordinal)).ToArray();
        lines.ShouldContain(l => l.Contains("format is invlid", StringComparison.Ordinal) && l.Contains("format is invalid", StringComparison.Ordinal));
        lines.ShouldContain(l => l.Contains("file.jsnol", StringComparison.Ordinal) && l.Contains("file.jsonl", StringComparison.Ordinal));
        lines.ShouldContain(l => l.Contains("suppressed", StringComparison.Ordinal) && l.Contains("used twice", StringComparison.Ordinal));
        lines.ShouldAllBe(l => l.StartsWith(flow + ":", StringComparison.Ordinal));
        output.ShouldContain("problem(s)");
    }

    [Fact]
    public async Task Check_reports_a_missing_path()
    {
        var (exit, _, error) = await Pflow.InProcessAsync("", "check", "no/such/flow.yaml");

        exit.ShouldBe(2);
        error.ShouldContain("no/such/flow.yaml: no such file or folder.");
    }
}
