using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace PluggableFlows.Benchmarks;

/// <summary>
/// <c>--quick</c>: a few minutes' look at the figures that matter most, for a change that may have moved them: the
/// side-by-side rule set, one template rendering, field parsing and one lead through the in-process pipeline, with a
/// short job run in this process (no generated project to build), then the cold-start table. Any other arguments go
/// to BenchmarkDotNet; a <c>--filter</c> among them replaces the default selection.
/// </summary>
internal static class QuickRun
{
    private static readonly string[] DefaultFilters =
    [
        "*SideBySideRuleBenchmarks*",
        "*TemplateBenchmarks.Substitution*",
        "*FieldParsingBenchmarks.Parse12Fields*",
        "*PipelineBenchmarks.Untraced*",
    ];

    private const int ColdStartRuns = 3;

    public static int Run(IReadOnlyList<string> args)
    {
        var benchmarkArgs = args.Contains("--filter") ? args.ToArray() : ["--filter", .. DefaultFilters, .. args];
        var config = DefaultConfig.Instance.AddJob(Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(5)
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithId("Quick"))
            // Its own folder, so a quick run does not overwrite the reports of a full one.
            .WithArtifactsPath(Path.Combine(DefaultConfig.Instance.ArtifactsPath, "quick"));
        BenchmarkSwitcher.FromAssembly(typeof(QuickRun).Assembly).Run(benchmarkArgs, config);
        return ColdStart.Run([ColdStartRuns.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
    }
}
