using System.Globalization;
using ScottPlot;

namespace PluggableFlows.PerfPlots;

/// <summary>
/// A benchmark report's means as horizontal bars on a log10 axis (ScottPlot has no log scale: bars are drawn at
/// log10(ns) and the ticks are labelled with the times they stand for), each bar labelled with its mean.
/// </summary>
internal static class RulesPlot
{
    public static void Save(IReadOnlyList<BenchmarkMean> means, string path, string title)
    {
        if (means.Count == 0)
        {
            throw new ArgumentException("the report has no benchmark with a mean", nameof(means));
        }

        var logs = means.Select(mean => Math.Log10(Math.Max(mean.MeanNs, 1e-3))).ToList();
        var floor = Math.Floor(logs.Min());
        var ceiling = Math.Ceiling(logs.Max() + 0.35); // room for the value labels

        var plot = new Plot();
        // The first benchmark on top, as in the report's table.
        var bars = means.Select((mean, i) => new Bar
        {
            Position = means.Count - 1 - i,
            ValueBase = floor,
            Value = logs[i],
            FillColor = Colors.C0,
        }).ToList();
        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;

        for (var i = 0; i < means.Count; i++)
        {
            var label = plot.Add.Text(FormatNs(means[i].MeanNs), logs[i], means.Count - 1 - i);
            label.LabelAlignment = Alignment.MiddleLeft;
            label.LabelFontSize = 12;
            label.OffsetX = 4;
        }

        var majors = new List<Tick>();
        for (var power = floor; power <= ceiling; power++)
        {
            majors.Add(new Tick(power, FormatNs(Math.Pow(10, power)), isMajor: true));
            for (var m = 2; m < 10 && power < ceiling; m++)
            {
                majors.Add(new Tick(power + Math.Log10(m), "", isMajor: false));
            }
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(majors.ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            means.Select((mean, i) => new Tick(means.Count - 1 - i, mean.Name, isMajor: true)).ToArray());
        plot.Axes.SetLimits(floor - 0.03, ceiling + 0.1, -0.6, means.Count - 0.4); // the end ticks' labels fit
        plot.Grid.YAxisStyle.MajorLineStyle.Width = 0;
        plot.Title(title);
        plot.XLabel("mean time per evaluation (log scale)");
        plot.SavePng(path, 1000, 140 + (45 * means.Count));
    }

    public static string FormatNs(double ns) => ns switch
    {
        >= 1e9 => (ns / 1e9).ToString("0.###", CultureInfo.InvariantCulture) + " s",
        >= 1e6 => (ns / 1e6).ToString("0.###", CultureInfo.InvariantCulture) + " ms",
        >= 1e3 => (ns / 1e3).ToString("0.###", CultureInfo.InvariantCulture) + " µs",
        _ => ns.ToString("0.###", CultureInfo.InvariantCulture) + " ns",
    };
}
