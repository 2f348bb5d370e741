using System.CommandLine;
using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using PluggableFlows.Engine.Storage;
using Spectre.Console;

namespace PluggableFlows.Cli.Commands;

/// <summary><c>pflow lists import | show</c>: value lists (suppression lists, seen-before checks) in the embedded store.</summary>
internal static class ListsCommand
{
    private const int InvalidRowsShown = 20;
    private static readonly string[] Types = ["phone", "email", "string"];

    public static Command Create(CliContext context)
    {
        var list = new Argument<string>("list") { Description = "The list's name, as flows refer to it (e.g. do-not-call)." };
        var file = new Argument<string>("file") { Description = "A .csv file (header row first) or a .txt file (one value per line, # comments)." };
        var column = new Option<string?>("--column") { Description = "The CSV column holding the values (default: the only column, or the one named after --type)." };
        var type = new Option<string?>("--type")
        {
            Description = "How values are normalized: phone (national digits), email (trimmed, lower-case) or string (trimmed). " +
                "Default: phone or email when the column is named so, otherwise string.",
        };
        type.AcceptOnlyFromAmong(Types);
        var importStore = StoreOption.Create();
        var import = new Command("import", "Import values into a list, normalized; reports rows added, duplicates and invalid rows.")
        {
            list, file, column, type, importStore,
        };
        import.SetAction((parsed, cancellationToken) => ImportAsync(context, parsed.GetValue(list)!, parsed.GetValue(file)!,
            parsed.GetValue(column), parsed.GetValue(type), parsed.GetValue(importStore)!, cancellationToken));

        var showStore = StoreOption.Create();
        var show = new Command("show", "Each list and how many values it holds.") { showStore };
        show.SetAction((parsed, cancellationToken) => ShowAsync(context, parsed.GetValue(showStore)!, cancellationToken));

        return new Command("lists", "Value lists in the store: suppression lists and seen-before checks.") { import, show };
    }

    private static async Task<int> ImportAsync(CliContext context, string listName, string path, string? columnName, string? typeName,
        string storePath, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            context.Error.WriteLine($"{path}: no such file.");
            return 2;
        }

        SourceValues source;
        try
        {
            source = Path.GetExtension(path).ToLowerInvariant() switch
            {
                ".csv" => ReadCsv(path, columnName, typeName),
                ".txt" => ReadText(path),
                var other => throw new NotSupportedException($"{path}: list files must be .csv or .txt, not '{other}'."),
            };
        }
        catch (NotSupportedException exception)
        {
            context.Error.WriteLine(exception.Message);
            return 2;
        }

        var type = typeName ?? Infer(source.Column) ?? "string";
        var values = new List<string>();
        var invalid = new List<string>();
        foreach (var row in source.Rows)
        {
            if (row.Error is not null)
            {
                invalid.Add($"{source.RowWord} {row.Number}: {row.Error}");
            }
            else if (Normalize(context, type, row.Raw!) is { } value)
            {
                values.Add(value);
            }
            else
            {
                invalid.Add(string.IsNullOrWhiteSpace(row.Raw)
                    ? $"{source.RowWord} {row.Number}: empty"
                    : $"{source.RowWord} {row.Number}: '{row.Raw}' is not a valid {type}");
            }
        }

        using var store = StoreOption.Open(storePath);
        var added = await new SqliteValueLists(store, context.Time).ImportAsync(listName, values, cancellationToken);

        var column = source.Column is null ? "" : $", column '{source.Column}'";
        context.Console.MarkupLineInterpolated($"Imported {path} into list {listName} as {type}{column}:");
        context.Console.WriteLine($"  {Rows(added)} added, {Rows(values.Count - added)} duplicate, {Rows(invalid.Count)} invalid.");
        foreach (var line in invalid.Take(InvalidRowsShown))
        {
            context.Console.MarkupLineInterpolated($"  [yellow]{line}[/]");
        }

        if (invalid.Count > InvalidRowsShown)
        {
            context.Console.WriteLine($"  ... and {invalid.Count - InvalidRowsShown} more invalid rows.");
        }

        return 0;
    }

    private static async Task<int> ShowAsync(CliContext context, string storePath, CancellationToken cancellationToken)
    {
        if (!File.Exists(storePath))
        {
            context.Console.WriteLine($"No lists: {storePath} does not exist (pflow lists import --store {storePath} creates it).");
            return 0;
        }

        using var store = StoreOption.Open(storePath);
        var lists = await new SqliteValueLists(store, context.Time).ListsAsync(cancellationToken);
        if (lists.Count == 0)
        {
            context.Console.WriteLine($"No lists in {storePath}.");
            return 0;
        }

        var table = new Table().Title("Lists").AddColumn("list").AddColumn(new TableColumn("values").RightAligned());
        foreach (var (list, count) in lists)
        {
            table.AddRow(Markup.Escape(list), count.ToString("N0", CultureInfo.InvariantCulture));
        }

        context.Console.Write(table);
        return 0;
    }

    // The same normal forms rules and plugins compare against: a phone's national digits, an email lower-cased.
    private static string? Normalize(CliContext context, string type, string raw)
    {
        var trimmed = raw.Trim();
        if (trimmed.Length == 0)
        {
            return null;
        }

        return type switch
        {
            "phone" => context.Types.Parse("phone", trimmed) is { Valid: true, Normal: { } digits } ? digits : null,
            "email" => context.Types.Parse("email", trimmed).Valid ? trimmed.ToLowerInvariant() : null,
            _ => trimmed,
        };
    }

    private static string? Infer(string? column) =>
        column is null ? null
        : column.Contains("phone", StringComparison.OrdinalIgnoreCase) ? "phone"
        : column.Contains("email", StringComparison.OrdinalIgnoreCase) ? "email"
        : null;

    private static string Rows(int count) => count.ToString("N0", CultureInfo.InvariantCulture);

    private static SourceValues ReadText(string path)
    {
        var rows = new List<SourceRow>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            var trimmed = line.Trim();
            if (trimmed.Length > 0 && !trimmed.StartsWith('#'))
            {
                rows.Add(new SourceRow(number, trimmed, null));
            }
        }

        return new SourceValues(null, "line", rows);
    }

    private static SourceValues ReadCsv(string path, string? columnName, string? typeName)
    {
        using var reader = new StreamReader(path);
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            DetectColumnCountChanges = true,
            BadDataFound = null,
            MissingFieldFound = null,
        };
        using var csv = new CsvReader(reader, configuration);
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } header)
        {
            return new SourceValues(columnName, "row", []);
        }

        var index = ChooseColumn(path, header, columnName, typeName);
        var rows = new List<SourceRow>();
        var number = 0;
        while (true)
        {
            try
            {
                if (!csv.Read())
                {
                    break;
                }

                number++;
                rows.Add(new SourceRow(number, csv.GetField(index) ?? "", null));
            }
            catch (CsvHelperException exception)
            {
                number++;
                rows.Add(new SourceRow(number, null, exception is BadDataException
                    ? "malformed CSV (check quoting)"
                    : $"expected {header.Length} columns as in the header, found {csv.Parser.Count}"));
            }
        }

        return new SourceValues(header[index], "row", rows);
    }

    private static int ChooseColumn(string path, string[] header, string? columnName, string? typeName)
    {
        var columns = string.Join(", ", header);
        if (columnName is not null)
        {
            var named = Array.FindIndex(header, h => string.Equals(h.Trim(), columnName, StringComparison.OrdinalIgnoreCase));
            return named >= 0 ? named : throw new NotSupportedException($"{path}: no column '{columnName}'. Columns: {columns}.");
        }

        if (header.Length == 1)
        {
            return 0;
        }

        var wanted = typeName is "phone" or "email" ? [typeName] : new[] { "phone", "email" };
        foreach (var type in wanted)
        {
            var matches = header.Select((h, i) => (h, i)).Where(c => c.h.Contains(type, StringComparison.OrdinalIgnoreCase)).ToArray();
            if (matches.Length == 1)
            {
                return matches[0].i;
            }
        }

        throw new NotSupportedException($"{path}: which column holds the values? Choose one with --column. Columns: {columns}.");
    }

    private sealed record SourceRow(int Number, string? Raw, string? Error);

    private sealed record SourceValues(string? Column, string RowWord, IReadOnlyList<SourceRow> Rows);
}
