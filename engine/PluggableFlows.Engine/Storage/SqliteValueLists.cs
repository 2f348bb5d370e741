using Microsoft.Data.Sqlite;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Storage;

/// <summary>
/// Named value lists in the embedded store (suppression lists, "seen before" checks). Each entry remembers when it was
/// last added, so a lookback window can ignore old entries. Every check-and-change is one SQL statement: SQLite runs
/// each write statement under the database's write lock, which is what makes <see cref="AddIfAbsentAsync"/> atomic
/// across connections and processes.
/// </summary>
public sealed class SqliteValueLists : IValueLists
{
    private readonly SqliteStore _store;
    private readonly TimeProvider _time;

    /// <summary>Creates value lists over <paramref name="store"/>; entry ages are measured with <paramref name="time"/>.</summary>
    public SqliteValueLists(SqliteStore store, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public async Task<bool> ContainsAsync(string list, string value, TimeSpan? lookback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(value);
        await using var connection = await _store.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM list_values WHERE list = $list AND value = $value AND added_ms >= $cutoff);";
        Bind(command, list, value, now: null, Cutoff(lookback));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    /// <inheritdoc />
    public async Task AddAsync(string list, string value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(value);
        await using var connection = await _store.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO list_values (list, value, added_ms) VALUES ($list, $value, $now)
            ON CONFLICT (list, value) DO UPDATE SET added_ms = excluded.added_ms;
            """;
        Bind(command, list, value, Now(), cutoff: null);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string list, string value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(value);
        await using var connection = await _store.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM list_values WHERE list = $list AND value = $value;";
        Bind(command, list, value, now: null, cutoff: null);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <inheritdoc />
    public async Task<bool> AddIfAbsentAsync(string list, string value, TimeSpan? lookback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(value);
        await using var connection = await _store.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // One statement, no query-then-add: a new value is inserted; an entry older than the lookback is refreshed (it no
        // longer counts, so the value is unique again); a current entry is left alone and no row changes.
        command.CommandText = """
            INSERT INTO list_values (list, value, added_ms) VALUES ($list, $value, $now)
            ON CONFLICT (list, value) DO UPDATE SET added_ms = excluded.added_ms WHERE list_values.added_ms < $cutoff;
            """;
        Bind(command, list, value, Now(), Cutoff(lookback));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Adds <paramref name="values"/> to <paramref name="list"/> in one transaction, keeping entries already there
    /// as they are. Returns how many were added (values already on the list, or repeated, are not counted).</summary>
    public async Task<int> ImportAsync(string list, IEnumerable<string> values, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(values);
        await using var connection = await _store.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO list_values (list, value, added_ms) VALUES ($list, $value, $now) ON CONFLICT (list, value) DO NOTHING;";
        Bind(command, list, "", Now(), cutoff: null);
        var value = command.Parameters["$value"];
        var added = 0;
        foreach (var item in values)
        {
            value.Value = item;
            added += await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    /// <summary>Every list with how many values it holds, by name.</summary>
    public async Task<IReadOnlyList<(string List, int Count)>> ListsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT list, COUNT(*) FROM list_values GROUP BY list ORDER BY list;";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var lists = new List<(string, int)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            lists.Add((reader.GetString(0), reader.GetInt32(1)));
        }

        return lists;
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    // No lookback: every entry counts, whatever its age.
    private long Cutoff(TimeSpan? lookback) =>
        lookback is { } window ? _time.GetUtcNow().Subtract(window).ToUnixTimeMilliseconds() : long.MinValue;

    private static void Bind(SqliteCommand command, string list, string value, long? now, long? cutoff)
    {
        command.Parameters.AddWithValue("$list", list);
        command.Parameters.AddWithValue("$value", value);
        if (now is { } n)
        {
            command.Parameters.AddWithValue("$now", n);
        }

        if (cutoff is { } c)
        {
            command.Parameters.AddWithValue("$cutoff", c);
        }
    }
}
