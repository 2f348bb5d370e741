using System.Globalization;
using ScottPlot;

namespace PluggableFlows.PerfPlots;

/// <summary>
/// The server curve as one PNG with two panels: requests/s against connections, and latency p50/p90/p99 against
/// connections. Connections double from level to level, so the x axis is log2 with a tick at each measured count.
/// The paced level (80% of the peak rate) is drawn as its own marker at its connection count.
/// </summary>
internal static class CurvePlot
{
    public static string Save(IReadOnlyList<CurveRow> rows, string outPrefix)
    {
        var levels = rows.Where(row => !row.Paced).OrderBy(row => row.Connections).ToList();
        var paced = rows.Where(row => row.Paced).ToList();
        if (levels.Count == 0)
        {
            throw new ArgumentException("the curve has no levels (rows with a plain connection count)", nameof(rows));
        }

        var x = levels.Select(row => Math.Log2(row.Connections)).ToArray();
        var ticks = rows.Select(row => row.Connections).Distinct().Order()
            .Select(c => new Tick(Math.Log2(c), c.ToString(CultureInfo.InvariantCulture), isMajor: true)).ToArray();

        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        var throughput = multiplot.GetPlot(0);
        var latency = multiplot.GetPlot(1);

        var rps = throughput.Add.Scatter(x, levels.Select(row => row.Rps).ToArray());
        rps.LegendText = "closed loop (wrk)";
        rps.MarkerSize = 8;
        throughput.Title("Lead server throughput (scripts/perf/curve.sh)");
        throughput.YLabel("requests/s");
        throughput.Axes.SetLimitsY(0, Math.Max(levels.Max(row => row.Rps), paced.Select(row => row.Rps).DefaultIfEmpty(0).Max()) * 1.15);

        AddLine(latency, x, levels.Select(row => row.P50Ms), "p50", Colors.C0);
        AddLine(latency, x, levels.Select(row => row.P90Ms), "p90", Colors.C1);
        AddLine(latency, x, levels.Select(row => row.P99Ms), "p99", Colors.C2);
        latency.Title("Latency by connections");
        latency.YLabel("latency (ms)");
        latency.Axes.SetLimitsY(0, Math.Max(levels.Max(row => row.P99Ms), paced.Select(row => row.P99Ms).DefaultIfEmpty(0).Max()) * 1.15);

        foreach (var row in paced)
        {
            // A little right of its connection count, so it does not hide that level's points.
            var px = Math.Log2(row.Connections) + 0.12;
            var point = throughput.Add.Marker(px, row.Rps, MarkerShape.FilledDiamond, 12, Colors.C3);
            point.LegendText = $"paced, {row.Label}";
            latency.Add.Marker(px, row.P50Ms, MarkerShape.FilledDiamond, 11, Colors.C0);
            latency.Add.Marker(px, row.P90Ms, MarkerShape.FilledDiamond, 11, Colors.C1);
            var p99 = latency.Add.Marker(px, row.P99Ms, MarkerShape.FilledDiamond, 11, Colors.C2);
            p99.LegendText = $"paced, {row.Label} (◆: p50, p90, p99)";
        }

        foreach (var plot in new[] { throughput, latency })
        {
            plot.XLabel("connections (log2 scale)");
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
            plot.Axes.SetLimitsX(x.Min() - 0.4, Math.Max(x.Max(), ticks.Max(tick => tick.Position)) + 0.4);
            plot.ShowLegend(Alignment.UpperLeft);
        }

        var path = outPrefix + ".png";
        multiplot.SavePng(path, 900, 1000);
        return path;
    }

    private static void AddLine(Plot plot, double[] x, IEnumerable<double> y, string name, Color color)
    {
        var line = plot.Add.Scatter(x, y.ToArray(), color);
        line.LegendText = name;
        line.MarkerSize = 7;
    }
}
