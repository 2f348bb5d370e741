using System.Diagnostics;
using System.Globalization;
using PluggableFlows.Engine.Rules;

namespace PluggableFlows.Benchmarks;

/// <summary>
/// <c>--cold-start [runs]</c>: for each engine, starts this benchmark program afresh (<c>--cold-start-one
/// &lt;engine&gt;</c>) and times, in that new process, the side-by-side rule set from nothing loaded to the first
/// lead's answer; prints the median and minimum over the runs (default 5). BenchmarkDotNet measures a warm process; a
/// restart or a reload is a cold one, with the rule engine still to be loaded and jitted.
/// </summary>
/// <remarks>
/// The runs go in rounds, each round every engine once, so that a drift in the machine's speed (this VM's drifts by up
/// to 1.6× within the hour) touches every engine alike; the last column counts the rounds in which an engine answered
/// before RulesEngine did in the same round.
/// </remarks>
/// <remarks>
/// The lead's fields are parsed before the clock starts: every engine needs the parsed lead (RulesEngine's typed
/// inputs are built from it), so parsing is not a cost of any one of them.
/// </remarks>
internal static class ColdStart
{
    private static readonly (string Engine, string Description)[] Engines =
    [
        ("hand-written", "hand-written C#"),
        ("declarative", "declarative: parse + compile the flow, first lead"),
        ("csharp-compile", "C# rule: parse + compile (Roslyn, empty cache), first lead"),
        ("csharp-cache", "C# rule: parse + compile (from the disk cache), first lead"),
        ("javascript", "JavaScript rule: parse + compile (Jint), first lead"),
        ("rulesengine", "RulesEngine 6.0.1: new RulesEngine(workflow), first ExecuteAllRulesAsync"),
        ("csharp-100-cache", "100 C# rules loaded from the disk cache (--csharp-cold-start), first lead"),
    ];

    public static int Run(IReadOnlyList<string> args)
    {
        var runs = args.Count > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        // All five forms must give the same answers before any is timed.
        new SideBySideRuleBenchmarks().Setup();

        var cache = Directory.CreateTempSubdirectory("pflow-bench-cold-start-");
        try
        {
            // Fill the caches the "from the disk cache" rows load from.
            Measure("csharp-cache", cache.FullName);
            Measure("csharp-100-cache", cache.FullName);

            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Cold start, the side-by-side rule set: a fresh process per run, {runs} rounds of every engine; ms from nothing loaded to the first lead's answer"));
            Console.WriteLine();
            Console.WriteLine("| engine | median ms | min ms | process start to answer, median ms | rounds faster than RulesEngine |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            var rounds = Enumerable.Range(0, runs)
                .Select(_ => Engines.ToDictionary(e => e.Engine, e => Measure(e.Engine, cache.FullName)))
                .ToArray();
            foreach (var (engine, description) in Engines)
            {
                var answer = rounds.Select(r => r[engine].Answer).Order().ToArray();
                var sinceStart = rounds.Select(r => r[engine].SinceStart).Order().ToArray();
                var faster = rounds.Count(r => r[engine].Answer < r["rulesengine"].Answer);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {description} | {Median(answer):F1} | {answer[0]:F1} | {Median(sinceStart):F0} | {(engine == "rulesengine" ? "" : $"{faster} of {runs}")} |"));
            }
        }
        finally
        {
            cache.Delete(recursive: true);
        }

        return 0;
    }

    /// <summary><c>--cold-start-one &lt;engine&gt; &lt;cache folder&gt;</c>: one measurement in this fresh process,
    /// printed as <c>cold-start ms=&lt;answer&gt; since-start=&lt;ms&gt;</c>.</summary>
    public static int RunOne(IReadOnlyList<string> args)
    {
        var engine = args[0];
        var cache = args.Count > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "pflow-bench-csharp-cold-start");
        var expected = true;
        // By id: building vars by slot would create the flow's field layout before the clock starts.
        var vars = SideBySideRuleSet.Vars(SideBySideRuleSet.PassingLead, bySlot: false);

        var clock = Stopwatch.StartNew();
        var answer = engine switch
        {
            "hand-written" => SideBySideRuleSet.HandWritten(vars),
            "declarative" => SideBySideRuleSet.Acceptance(SideBySideRuleSet.Compile(SideBySideRuleSet.DeclarativeFlow)).Evaluate(vars),
            "csharp-compile" => CompileCSharpIntoEmptyCache(vars),
            "csharp-cache" => SideBySideRuleSet.Acceptance(SideBySideRuleSet.Compile(SideBySideRuleSet.CSharpFlow, cache)).Run(vars).Passed,
            "javascript" => SideBySideRuleSet.Acceptance(SideBySideRuleSet.Compile(SideBySideRuleSet.JavaScriptFlow)).Run(vars).Passed,
            "rulesengine" => FirstRulesEngineExecution(vars),
            "csharp-100-cache" => CSharpRuleColdStart.LoadAndRun(cache).Passed,
            _ => throw new ArgumentException($"Unknown engine '{engine}'; one of: {string.Join(", ", Engines.Select(e => e.Engine))}."),
        };
        var elapsed = clock.Elapsed;
        if (answer != expected)
        {
            throw new InvalidOperationException($"{engine} must pass the benchmark lead.");
        }

        using var process = Process.GetCurrentProcess();
        var sinceStart = DateTime.Now - process.StartTime;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cold-start ms={elapsed.TotalMilliseconds:F3} since-start={sinceStart.TotalMilliseconds:F0}"));
        return 0;
    }

    private static bool CompileCSharpIntoEmptyCache(Engine.Vars.LeadVars vars)
    {
        var empty = Directory.CreateTempSubdirectory("pflow-bench-cold-start-empty-");
        try
        {
            return SideBySideRuleSet.Acceptance(SideBySideRuleSet.Compile(SideBySideRuleSet.CSharpFlow, empty.FullName)).Run(vars).Passed;
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    private static bool FirstRulesEngineExecution(Engine.Vars.LeadVars vars)
    {
        var inputs = SideBySideRuleSet.RulesEngineInputs(vars);
        var engine = new RulesEngine.RulesEngine(SideBySideRuleSet.Workflow(), SideBySideRuleSet.RulesEngineSettings());
        return SideBySideRuleSet.RunRulesEngine(engine, inputs).AsTask().GetAwaiter().GetResult();
    }

    private static (double Answer, double SinceStart) Measure(string engine, string cache)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true };
        // Started as "dotnet PluggableFlows.Benchmarks.dll": the child needs the dll too.
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(ColdStart).Assembly.Location);
        }

        foreach (var arg in new[] { "--cold-start-one", engine, cache })
        {
            start.ArgumentList.Add(arg);
        }

        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEnd();
        var error = child.StandardError.ReadToEnd();
        child.WaitForExit();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("cold-start ms=", StringComparison.Ordinal));
        if (child.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"--cold-start-one {engine} failed ({child.ExitCode}): {output}{error}");
        }

        var parts = line.Trim().Split(' ');
        return (double.Parse(parts[1]["ms=".Length..], CultureInfo.InvariantCulture),
            double.Parse(parts[2]["since-start=".Length..], CultureInfo.InvariantCulture));
    }

    private static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}
