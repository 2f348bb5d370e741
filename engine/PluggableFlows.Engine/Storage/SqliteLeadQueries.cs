using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Storage;

/// <summary>Reads leads, their timelines and events back from the embedded store (the read APIs and
/// <c>pflow events show</c>).</summary>
public sealed class SqliteLeadQueries
{
    /// <summary>The largest page <see cref="GetEventsAsync"/> returns.</summary>
    public const int MaxPageSize = 1000;

    private const string EventColumns = """
        id, lead_id, seq, time_ms, flow_id, flow_version, source_id, kind, step_key, type, integration_id, plugin, plugin_version,
        outcome, reason, attempt, final, duration_us, provider_wait_us, data
        """;

    private readonly SqliteStore _store;

    /// <summary>Reads from <paramref name="store"/>.</summary>
    public SqliteLeadQueries(SqliteStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>The lead with its events in order, or null when no lead has that id.</summary>
    public async Task<StoredLead?> GetLeadAsync(string leadId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leadId);
        await using var connection = await _store.OpenAsync(cancellationToken);
        // One snapshot: a retry recorded meanwhile shows in all three reads or in none.
        await using var transaction = connection.BeginTransaction(deferred: true);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, time_ms, flow_id, flow_version, source_id, outcome, reason, price_micros, duration_us, provider_wait_us, vars
            FROM leads WHERE id = $id
            """;
        command.Parameters.AddWithValue("$id", leadId);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            var lead = new StoredLead(reader.GetString(0), FromMs(reader.GetInt64(1)), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), ParseOutcome(reader.GetString(5)), NullableString(reader, 6), SqliteUsageLedger.FromMicros(reader.GetInt64(7)),
                FromMicros(reader.GetInt64(8)), FromMicros(reader.GetInt64(9)), reader.GetString(10), [], []);
            await reader.DisposeAsync();

            var events = new List<StoredEvent>();
            command.CommandText = $"SELECT {EventColumns} FROM events WHERE lead_id = $id ORDER BY seq";
            await using (var rows = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await rows.ReadAsync(cancellationToken))
                {
                    events.Add(ReadEvent(rows));
                }
            }

            var retries = new List<StoredRetry>();
            command.CommandText = """
                SELECT step_key, state, attempts_made, max_attempts, due_ms, last_reason FROM outbox WHERE lead_id = $id ORDER BY id
                """;
            await using (var rows = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await rows.ReadAsync(cancellationToken))
                {
                    retries.Add(new StoredRetry(rows.GetString(0), rows.GetString(1), rows.GetInt32(2), rows.GetInt32(3), FromMs(rows.GetInt64(4)),
                        NullableString(rows, 5)));
                }
            }

            return lead with { Events = events, Retries = retries };
        }
    }

    /// <summary>One page of events matching <paramref name="query"/>, newest first.</summary>
    public async Task<EventPage> GetEventsAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Clamp(query.Limit, 1, MaxPageSize);
        await using var connection = await _store.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var where = new StringBuilder("1 = 1");
        void Filter(string condition, string name, object? value)
        {
            if (value is not null)
            {
                where.Append(" AND ").Append(condition);
                command.Parameters.AddWithValue(name, value);
            }
        }

        Filter("flow_id = $flow", "$flow", query.FlowId);
        Filter("source_id = $source", "$source", query.SourceId);
        Filter("step_key = $step", "$step", query.StepKey);
        Filter("outcome = $outcome", "$outcome", query.Outcome is { } outcome ? OutcomeNames.Of(outcome) : null);
        Filter("time_ms >= $from", "$from", query.From?.ToUnixTimeMilliseconds());
        Filter("time_ms < $to", "$to", query.To?.ToUnixTimeMilliseconds());
        Filter("id < $before", "$before", query.Before);
        command.Parameters.AddWithValue("$limit", limit + 1);
#pragma warning disable CA2100 // The text is built from fixed fragments; every value is a bound parameter.
        command.CommandText = $"SELECT {EventColumns} FROM events WHERE {where} ORDER BY id DESC LIMIT $limit";
#pragma warning restore CA2100
        var events = new List<StoredEvent>(limit + 1);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(ReadEvent(reader));
        }

        long? next = null;
        if (events.Count > limit)
        {
            events.RemoveAt(limit);
            next = events[^1].Id;
        }

        return new EventPage(events, next);
    }

    /// <summary>The answer the lead submitted to <paramref name="flowId"/>/<paramref name="sourceId"/> with
    /// <paramref name="key"/> got, when that was at or after <paramref name="notBefore"/>; otherwise null.</summary>
    public async Task<IdempotentAnswer?> FindAnswerAsync(string flowId, string sourceId, string key, DateTimeOffset notBefore,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT l.id, l.outcome, l.reason, l.price_micros, i.redirect, l.time_ms
            FROM idempotency i JOIN leads l ON l.id = i.lead_id
            WHERE i.flow_id = $flow AND i.source_id = $source AND i.key = $key AND i.time_ms >= $since
            """;
        command.Parameters.AddWithValue("$flow", flowId);
        command.Parameters.AddWithValue("$source", sourceId);
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$since", notBefore.ToUnixTimeMilliseconds());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new IdempotentAnswer(reader.GetString(0), ParseOutcome(reader.GetString(1)), NullableString(reader, 2),
                SqliteUsageLedger.FromMicros(reader.GetInt64(3)), NullableString(reader, 4), FromMs(reader.GetInt64(5)))
            : null;
    }

    private static StoredEvent ReadEvent(SqliteDataReader row) => new(
        row.GetInt64(0), row.GetString(1), row.GetInt32(2), FromMs(row.GetInt64(3)), row.GetString(4), row.GetString(5), row.GetString(6),
        row.GetString(7), NullableString(row, 8), row.GetString(9), NullableString(row, 10), NullableString(row, 11), NullableString(row, 12),
        ParseOutcome(row.GetString(13)), NullableString(row, 14), row.GetInt32(15), row.GetInt64(16) != 0, FromMicros(row.GetInt64(17)),
        FromMicros(row.GetInt64(18)), row.GetString(19));

    private static string? NullableString(SqliteDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetString(ordinal);

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static TimeSpan FromMicros(long us) => TimeSpan.FromTicks(us * TimeSpan.TicksPerMicrosecond);

    private static Outcome ParseOutcome(string text) =>
        OutcomeNames.TryParse(text, out var outcome) ? outcome : throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"Unknown outcome '{text}' in the store."));
}
