using System.Globalization;

namespace PluggableFlows.PerfPlots;

/// <summary>
/// One level of scripts/perf/curve.sh: <see cref="Label"/> is the connection count ("64"), or for the paced level the
/// share of the peak rate and its connection count ("80%@64").
/// </summary>
internal sealed record CurveRow(string Label, int Connections, bool Paced, double Rps, double P50Ms, double P90Ms, double P99Ms)
{
    private static readonly string[] s_required = ["connections", "rps", "p50_ms", "p90_ms", "p99_ms"];

    /// <summary>Reads curve.csv (header <c>connections,rps,p50_ms,p90_ms,p99_ms,…</c>); extra columns are ignored.</summary>
    public static IReadOnlyList<CurveRow> ParseCsv(string text, string source)
    {
        var lines = CsvText.Lines(text).ToList();
        if (lines.Count == 0)
        {
            throw new FormatException($"{source}: empty; expected the header connections,rps,p50_ms,p90_ms,p99_ms,… and one row per level");
        }

        var header = CsvText.SplitLine(lines[0], ',');
        var index = s_required.ToDictionary(name => name, name => IndexOf(header, name, source));
        var rows = new List<CurveRow>();
        for (var n = 1; n < lines.Count; n++)
        {
            var fields = CsvText.SplitLine(lines[n], ',');
            string Field(string name) =>
                index[name] < fields.Count ? fields[index[name]] : throw new FormatException(
                    $"{source}, line {n + 1}: {fields.Count} fields, no '{name}' (column {index[name] + 1})");
            double Number(string name) =>
                double.TryParse(Field(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                    ? value
                    : throw new FormatException($"{source}, line {n + 1}: '{name}' is '{Field(name)}', expected a number");

            var label = Field("connections");
            var paced = label.Contains('@', StringComparison.Ordinal);
            var connectionText = paced ? label[(label.IndexOf('@', StringComparison.Ordinal) + 1)..] : label;
            if (!int.TryParse(connectionText, NumberStyles.None, CultureInfo.InvariantCulture, out var connections) || connections <= 0)
            {
                throw new FormatException($"{source}, line {n + 1}: connections is '{label}', expected a count (64) or a paced level (80%@64)");
            }

            rows.Add(new CurveRow(label, connections, paced, Number("rps"), Number("p50_ms"), Number("p90_ms"), Number("p99_ms")));
        }

        return rows;
    }

    private static int IndexOf(IReadOnlyList<string> header, string name, string source)
    {
        for (var i = 0; i < header.Count; i++)
        {
            if (string.Equals(header[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new FormatException($"{source}: no column '{name}' in the header ({string.Join(',', header)})");
    }
}
