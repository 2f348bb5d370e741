using BenchmarkDotNet.Running;
using PluggableFlows.Benchmarks;

switch (args)
{
    // --quick [BenchmarkDotNet args]: the side-by-side rules and one benchmark each of templates, field parsing and the
    // pipeline, with a short job, then the cold-start table (see QuickRun).
    case ["--quick", .. var rest]:
        return QuickRun.Run(rest);
    // --cold-start [runs]: each engine's first answer in fresh processes (see ColdStart).
    case ["--cold-start", .. var rest]:
        return ColdStart.Run(rest);
    case ["--cold-start-one", .. var rest]:
        return ColdStart.RunOne(rest);
    // --per-rule: each rule of the side-by-side set on its own, in each engine (see PerRuleCost).
    case ["--per-rule"]:
        return PerRuleCost.Run();
    // --csharp-cold-start [cache]: loading 100 C# rules in this fresh process (see CSharpRuleColdStart).
    case ["--csharp-cold-start", .. var rest]:
        return CSharpRuleColdStart.Run(rest);
    default:
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
}
