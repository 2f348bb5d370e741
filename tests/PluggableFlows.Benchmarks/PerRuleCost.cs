using System.Diagnostics;
using System.Globalization;
using PluggableFlows.Engine.Rules;
using PluggableFlows.Engine.Vars;

namespace PluggableFlows.Benchmarks;

/// <summary>
/// <c>--per-rule</c>: what each of the side-by-side set's ten rules costs on its own in each engine (ns per evaluation,
/// the best of three timed loops of about 200 ms each after a 250 ms warm-up), to show where a rule set's time goes.
/// A rough, quick split; the side-by-side benchmarks are the figures to quote.
/// </summary>
internal static class PerRuleCost
{
    public static int Run()
    {
        var vars = SideBySideRuleSet.Vars(SideBySideRuleSet.PassingLead);
        var inputs = SideBySideRuleSet.RulesEngineInputs(vars);
        var rulesEngine = new RulesEngine.RulesEngine(
            [.. SideBySideRuleSet.Rules.Select(r => SideBySideRuleSet.Workflow(r.Name, [r]))], SideBySideRuleSet.RulesEngineSettings());

        Console.WriteLine("| rule | declarative ns | C# rule ns | JavaScript rule ns | RulesEngine 6.0.1 ns |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        var totals = new double[4];
        foreach (var rule in SideBySideRuleSet.Rules)
        {
            var declarative = Acceptance(SideBySideRuleSet.FlowYaml("- " + rule.Declarative));
            var csharp = Acceptance(SideBySideRuleSet.CSharpFlowOf(rule.CSharp), CSharpRuleFlow.SharedCache);
            var javaScript = Acceptance(SideBySideRuleSet.JavaScriptFlowOf(rule.JavaScript));
            var costs = new[]
            {
                NanosecondsPerCall(() => declarative.Run(vars).Passed),
                NanosecondsPerCall(() => csharp.Run(vars).Passed),
                NanosecondsPerCall(() => javaScript.Run(vars).Passed),
                NanosecondsPerCall(() => SideBySideRuleSet.RunRulesEngine(rulesEngine, inputs, rule.Name).AsTask().GetAwaiter().GetResult()),
            };
            for (var i = 0; i < costs.Length; i++)
            {
                totals[i] += costs[i];
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {rule.Declarative.Trim('{', '}', ' ')} | {costs[0]:F1} | {costs[1]:F1} | {costs[2]:F1} | {costs[3]:F1} |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| sum of the ten, each on its own | {totals[0]:F1} | {totals[1]:F1} | {totals[2]:F1} | {totals[3]:F1} |"));
        return 0;
    }

    private static CompiledRuleSet Acceptance(string flowYaml, string? csharpCache = null) =>
        SideBySideRuleSet.Acceptance(SideBySideRuleSet.Compile(flowYaml, csharpCache));

    private static double NanosecondsPerCall(Func<bool> evaluate)
    {
        if (!evaluate())
        {
            throw new InvalidOperationException("Every rule must pass the benchmark lead.");
        }

        var batch = 1;
        var clock = Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < 250)
        {
            for (var i = 0; i < batch; i++)
            {
                evaluate();
            }

            batch *= 2;
        }

        // Calls took about 250 ms so far (warm-up, long enough for tiered compilation); each timed loop is about 200 ms.
        var calls = Math.Max(1, (int)(batch * 200L / Math.Max(1, clock.ElapsedMilliseconds)));
        var best = double.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            clock.Restart();
            for (var i = 0; i < calls; i++)
            {
                evaluate();
            }

            best = Math.Min(best, clock.Elapsed.TotalNanoseconds / calls);
        }

        return best;
    }
}
