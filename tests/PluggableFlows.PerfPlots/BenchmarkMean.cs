using System.Globalization;

namespace PluggableFlows.PerfPlots;

/// <summary>One benchmark of a BenchmarkDotNet CSV report: its name and its mean time per operation, in ns.</summary>
internal sealed record BenchmarkMean(string Name, double MeanNs)
{
    // Statistics and diagnoser columns: they differ between rows of one method, so they never tell rows apart.
    private static readonly HashSet<string> s_statisticColumns = new(StringComparer.OrdinalIgnoreCase)
    {
        "Mean", "Error", "StdDev", "StdErr", "Median", "Min", "Max", "Q1", "Q3", "Op/s", "Ratio", "RatioSD",
        "Rank", "Gen0", "Gen1", "Gen2", "Allocated", "Alloc Ratio", "Code Size", "Completed Work Items",
        "Lock Contentions", "Exceptions", "Iterations", "Skewness", "Kurtosis", "MValue",
    };

    /// <summary>
    /// Reads a report written by BenchmarkDotNet's CSV exporter (<c>*-report.csv</c>). The separator is the exporting
    /// culture's list separator (<c>,</c> or <c>;</c>); a <c>Mean</c> such as <c>"1,234.5 ns"</c> is quoted because
    /// BenchmarkDotNet formats numbers with <c>.</c> for decimals and <c>,</c> for thousands whatever the separator.
    /// The name is the <c>Method</c> column, where BenchmarkDotNet writes a benchmark's <c>Description</c> (in single
    /// quotes when it has a space, a quote or a bracket; they are removed); when several rows share a name (parameters,
    /// jobs), the columns that differ between them are added to it.
    /// </summary>
    public static IReadOnlyList<BenchmarkMean> ParseReport(string text, string source)
    {
        var lines = CsvText.Lines(text).ToList();
        if (lines.Count == 0)
        {
            throw new FormatException($"{source}: empty; expected a BenchmarkDotNet CSV report with 'Method' and 'Mean' columns");
        }

        var separator = DetectSeparator(lines[0]);
        var header = CsvText.SplitLine(lines[0], separator);
        var meanIndex = FindColumn(header, "Mean")
            ?? throw new FormatException($"{source}: no 'Mean' column in the header ({lines[0]})");
        // "Mean [ns]": the unit is in the header and the cells are bare numbers.
        var headerUnit = UnitInHeader(header[meanIndex]);
        var nameIndex = FindColumn(header, "Description") ?? FindColumn(header, "Method")
            ?? throw new FormatException($"{source}: no 'Method' (or 'Description') column in the header ({lines[0]})");

        var rows = lines.Skip(1).Select(line => CsvText.SplitLine(line, separator)).ToList();
        var distinguishing = Enumerable.Range(0, header.Count)
            .Where(i => i != nameIndex && !s_statisticColumns.Contains(BareName(header[i])))
            .Where(i => rows.Select(row => Cell(row, i)).Distinct(StringComparer.Ordinal).Skip(1).Any())
            .ToList();

        var names = rows.Select(row => Unquote(Cell(row, nameIndex))).ToList();
        var means = new List<BenchmarkMean>();
        for (var n = 0; n < rows.Count; n++)
        {
            var meanText = Cell(rows[n], meanIndex);
            if (meanText.Length == 0 || meanText is "NA" or "?")
            {
                continue; // a benchmark that failed or did not run has no mean to draw
            }

            var name = names[n];
            if (names.Count(other => other == name) > 1 && distinguishing.Count > 0)
            {
                name += " (" + string.Join(", ", distinguishing.Select(i => $"{header[i]}={Cell(rows[n], i)}")) + ")";
            }

            var meanNs = ParseDurationNs(meanText, headerUnit)
                ?? throw new FormatException($"{source}, line {n + 2}: Mean is '{meanText}', expected a time such as '68.16 ns', '2.062 μs' or '1.2 ms'");
            means.Add(new BenchmarkMean(name, meanNs));
        }

        return means;
    }

    /// <summary>
    /// "68.16 ns", "2.062 μs" (or µs, us), "1,234.5 ms", "1.2 s" → ns; a bare number is in <paramref name="unit"/>
    /// (ns when none is given); null when not a time.
    /// </summary>
    public static double? ParseDurationNs(string text, string unit = "ns")
    {
        var trimmed = text.Trim();
        var split = trimmed.Length;
        while (split > 0 && char.IsLetter(trimmed[split - 1]))
        {
            split--;
        }

        var textUnit = trimmed[split..];
        double? scale = (textUnit.Length > 0 ? textUnit : unit) switch
        {
            "ps" => 1e-3,
            "ns" => 1,
            "μs" or "µs" or "us" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "min" or "m" => 60e9,
            _ => null,
        };
        var number = trimmed[..split].Trim().Replace(",", "", StringComparison.Ordinal);
        return scale is { } factor && double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value * factor
            : null;
    }

    private static char DetectSeparator(string headerLine)
    {
        // The header row has no numbers with thousands separators, so whichever separator splits out "Mean" is it.
        foreach (var candidate in new[] { ',', ';', '\t' })
        {
            if (FindColumn(CsvText.SplitLine(headerLine, candidate), "Mean") is not null)
            {
                return candidate;
            }
        }

        return ',';
    }

    private static string UnitInHeader(string column)
    {
        var open = column.IndexOf('[', StringComparison.Ordinal);
        return open >= 0 && column.EndsWith(']') ? column[(open + 1)..^1].Trim() : "ns";
    }

    // "Mean [ns]" → "Mean"
    private static string BareName(string column)
    {
        var open = column.IndexOf('[', StringComparison.Ordinal);
        return open > 0 ? column[..open].TrimEnd() : column;
    }

    private static int? FindColumn(IReadOnlyList<string> header, string name)
    {
        for (var i = 0; i < header.Count; i++)
        {
            if (string.Equals(BareName(header[i]), name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return null;
    }

    private static string Cell(IReadOnlyList<string> row, int index) => index < row.Count ? row[index] : "";

    private static string Unquote(string name) =>
        name.Length >= 2 && name[0] == '\'' && name[^1] == '\'' ? name[1..^1] : name;
}
