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
    public async Task Check_compiles_csharp_rules_into_the_cache_a_later_process_reads_them_from()
    {
        // Operators run pflow check before starting the host so that its C# rules start from the cache, not Roslyn.
        var cache = Directory.CreateTempSubdirectory("pflow-check-cache-");
        try
        {
            var environment = new Dictionary<string, string> { ["PFLOW_RULES_CACHE"] = cache.FullName };
            var flows = Path.Combine(Pflow.RepoRoot, "scripts", "flows");

            var (exit, output, error) = await Pflow.ProcessAsync(Pflow.RepoRoot, environment, "check", flows);
            (exit, error).ShouldBe((0, ""), output);
            var compiled = cache.GetFiles("*.dll").ShouldHaveSingleItem();
            var stamp = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            compiled.LastWriteTimeUtc = stamp;

            (exit, output, error) = await Pflow.ProcessAsync(Pflow.RepoRoot, environment, "check", flows);
            (exit, error).ShouldBe((0, ""), output);

            // Read, not compiled and written again.
            cache.GetFiles("*.dll").ShouldHaveSingleItem().LastWriteTimeUtc.ShouldBe(stamp);
        }
        finally
        {
            cache.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Check_reports_a_missing_path()
    {
        var (exit, _, error) = await Pflow.InProcessAsync("", "check", "no/such/flow.yaml");

        exit.ShouldBe(2);
        error.ShouldContain("no/such/flow.yaml: no such file or folder.");
    }
}
