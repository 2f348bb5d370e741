using BenchmarkDotNet.Running;
using PluggableFlows.Benchmarks;

// --csharp-cold-start times loading C# rules from the disk cache in this fresh process (see CSharpRuleColdStart).
if (args is ["--csharp-cold-start", .. var rest])
{
    return CSharpRuleColdStart.Run(rest);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
