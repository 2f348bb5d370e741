using System.Globalization;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using PluggableFlows.Engine.Pipeline;

namespace PluggableFlows.Cli.LeadFiles;

/// <summary>One row of a lead file: its fields, or why it could not be read.</summary>
/// <param name="Row">1-based row number (data rows for CSV, lines for JSON lines).</param>
/// <param name="Fields">Field name to raw value; null when the row is bad.</param>
/// <param name="Error">What is wrong with the row.</param>
internal sealed record LeadRow(int Row, IReadOnlyDictionary<string, string?>? Fields, string? Error);

/// <summary>Reads <c>.csv</c> (header row first) and <c>.jsonl</c> (one JSON object per line) lead files.
/// A bad row is reported with its number and reading carries on.</summary>
internal static class LeadFileReader
{
    public static IEnumerable<LeadRow> Read(string path) =>
        Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => ReadCsv(path),
            ".jsonl" or ".ndjson" => ReadJsonLines(path),
            var other => throw new NotSupportedException($"{path}: lead files must be .csv or .jsonl, not '{other}'."),
        };

    private static IEnumerable<LeadRow> ReadCsv(string path)
    {
        using var reader = new StreamReader(path);
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            DetectColumnCountChanges = true,
            TrimOptions = TrimOptions.None,
            BadDataFound = null,
            MissingFieldFound = null,
        };
        using var csv = new CsvReader(reader, configuration);
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } header)
        {
            yield break;
        }

        var row = 0;
        while (true)
        {
            LeadRow? result;
            try
            {
                if (!csv.Read())
                {
                    yield break;
                }

                row++;
                var fields = new Dictionary<string, string?>(header.Length, StringComparer.Ordinal);
                for (var i = 0; i < header.Length; i++)
                {
                    fields[header[i]] = csv.GetField(i);
                }

                result = new LeadRow(row, fields, null);
            }
            catch (CsvHelperException exception)
            {
                row++;
                result = new LeadRow(row, null, exception is BadDataException
                    ? "malformed CSV (check quoting)"
                    : $"expected {header.Length} columns as in the header, found {csv.Parser.Count}");
            }

            yield return result;
        }
    }

    private static IEnumerable<LeadRow> ReadJsonLines(string path)
    {
        var row = 0;
        foreach (var line in File.ReadLines(path))
        {
            row++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            LeadRow result;
            try
            {
                result = ReadObject(line) is var (fields, error) && fields is not null
                    ? new LeadRow(row, fields, null)
                    : new LeadRow(row, null, error);
            }
            catch (JsonException exception)
            {
                result = new LeadRow(row, null, $"malformed JSON at position {exception.BytePositionInLine}: {FirstSentence(exception)}");
            }

            yield return result;
        }
    }

    /// <summary>One lead written as a JSON object, its fields flattened as in a <c>.jsonl</c> file; or, when the JSON
    /// is not an object, why not.</summary>
    /// <exception cref="JsonException">The text is not JSON.</exception>
    public static (IReadOnlyDictionary<string, string?>? Fields, string? Error) ReadObject(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return (null, $"expected a JSON object, found {document.RootElement.ValueKind.ToString().ToLowerInvariant()}");
        }

        return (LeadFields.FromJson(document.RootElement), null);
    }

    /// <summary>What a <see cref="JsonException"/> says, without the position System.Text.Json appends.</summary>
    public static string FirstSentence(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.Message.Split('.')[0];
    }
}
