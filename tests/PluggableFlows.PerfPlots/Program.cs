using PluggableFlows.PerfPlots;

// Plots for docs/performance.md. Commands:
//   curve <curve.csv> <out-prefix>         → <out-prefix>.png (scripts/perf/curve.sh's CSV)
//   rules <report.csv> <out.png> [title]   → a BenchmarkDotNet CSV report's means as bars
//   smoke [folder]                         → both plots from built-in sample data (a temp folder by default)
try
{
    switch (args)
    {
        case ["curve", var csv, var outPrefix]:
            Console.WriteLine(CurvePlot.Save(CurveRow.ParseCsv(File.ReadAllText(csv), csv), outPrefix));
            return 0;
        case ["rules", var report, var png, .. var rest]:
            RulesPlot.Save(BenchmarkMean.ParseReport(File.ReadAllText(report), report), png,
                rest.Length > 0 ? rest[0] : Path.GetFileNameWithoutExtension(report));
            Console.WriteLine(png);
            return 0;
        case ["smoke", .. var folderArg]:
            var folder = folderArg.Length > 0 ? folderArg[0] : Directory.CreateTempSubdirectory("perfplots-").FullName;
            Directory.CreateDirectory(folder);
            Console.WriteLine(CurvePlot.Save(CurveRow.ParseCsv(SampleData.Curve, "sample curve"), Path.Combine(folder, "server-curve")));
            var rulesPng = Path.Combine(folder, "rules-by-engine.png");
            RulesPlot.Save(BenchmarkMean.ParseReport(SampleData.RulesReport, "sample report"), rulesPng, "Sample rules report");
            Console.WriteLine(rulesPng);
            return 0;
        default:
            Console.Error.WriteLine("""
                usage: PerfPlots curve <curve.csv> <out-prefix>
                       PerfPlots rules <BenchmarkDotNet report.csv> <out.png> [title]
                       PerfPlots smoke [folder]
                """);
            return 2;
    }
}
catch (Exception e) when (e is FormatException or IOException or ArgumentException)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
