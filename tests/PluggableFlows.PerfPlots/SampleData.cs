namespace PluggableFlows.PerfPlots;

/// <summary>Small made-up inputs for the <c>smoke</c> command: the files' formats, not measurements.</summary>
internal static class SampleData
{
    public const string Curve = """
        connections,rps,p50_ms,p90_ms,p99_ms,cpu_pct,rss_mb,non2xx,stub_cpu_pct,wrk_cpu_pct
        4,610.2,6.21,8.90,14.20,61.0,180.2,0,12.1,9.8
        8,1180.7,6.55,9.30,16.80,92.4,185.6,0,19.0,15.2
        16,1920.4,7.90,12.40,22.10,118.3,190.1,0,27.4,21.0
        32,2710.9,11.20,17.80,31.60,131.9,196.4,0,33.8,25.5
        64,3350.0,17.10,27.90,41.30,139.6,204.8,0,36.2,27.9
        128,3580.3,33.60,46.20,61.00,141.2,215.0,0,37.0,28.1
        256,3460.8,72.90,95.10,118.40,139.8,230.7,0,36.6,27.6
        80%@128,2864.2,9.80,15.10,24.70,124.5,216.3,0,31.0,22.4
        """;

    // As BenchmarkDotNet 0.15.8's CSV exporter writes it: a description with a space in single quotes, a field with the
    // separator in double quotes (a description with a comma, a mean with a thousands separator).
    public const string RulesReport = """
        Method,Job,Rules,Mean,Error,StdDev,Ratio,Allocated
        "'declarative, 3 rules'",DefaultJob,3,68.16 ns,0.41 ns,0.38 ns,1.00,0 B
        JavaScript,DefaultJob,3,2.062 μs,0.011 μs,0.010 μs,30.25,1.2 KB
        "'C# rule, tracing off'",DefaultJob,3,95.2 ns,0.6 ns,0.5 ns,1.40,24 B
        "'C# rules, compiled (empty cache)'",DefaultJob,3,"1,204.5 ms",9.1 ms,8.5 ms,"17,672,000.00",12 MB
        """;
}
