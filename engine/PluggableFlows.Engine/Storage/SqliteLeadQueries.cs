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
            command.CommandText = $"SELECT {EventBatches.Columns} FROM event_batches WHERE lead_id = $id ORDER BY first_seq";
            await using (var rows = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await rows.ReadAsync(cancellationToken))
                {
                    events.AddRange(EventBatches.Read(rows));
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
    /// <remarks>Events are stored a lead's run at a time (<see cref="EventBatches"/>): the flow, source, time and cursor
    /// narrow the batches read, newest first, and each batch's events are then matched one by one until the page is
    /// full.</remarks>
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

        var from = query.From?.ToUnixTimeMilliseconds();
        var to = query.To?.ToUnixTimeMilliseconds();
        Filter("flow_id = $flow", "$flow", query.FlowId);
        Filter("source_id = $source", "$source", query.SourceId);
        Filter("last_ms >= $from", "$from", from);
        Filter("first_ms < $to", "$to", to);
        Filter("id <= $before", "$before", query.Before is { } before ? EventBatches.BatchOf(before) : null);
#pragma warning disable CA2100 // The text is built from fixed fragments; every value is a bound parameter.
        command.CommandText = $"SELECT {EventBatches.Columns} FROM event_batches WHERE {where} ORDER BY id DESC";
#pragma warning restore CA2100
        var events = new List<StoredEvent>(limit + 1);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (events.Count <= limit && await reader.ReadAsync(cancellationToken))
        {
            var batch = EventBatches.Read(reader);
            for (var i = batch.Count - 1; i >= 0 && events.Count <= limit; i--)
            {
                var e = batch[i];
                var time = e.Timestamp.ToUnixTimeMilliseconds();
                if ((query.Before is null || e.Id < query.Before) && (query.StepKey is null || e.StepKey == query.StepKey)
                    && (query.Outcome is null || e.Outcome == query.Outcome) && (from is null || time >= from) && (to is null || time < to))
                {
                    events.Add(e);
                }
            }
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

    private static string? NullableString(SqliteDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetString(ordinal);

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    internal static TimeSpan FromMicros(long us) => TimeSpan.FromTicks(us * TimeSpan.TicksPerMicrosecond);

    internal static Outcome ParseOutcome(string text) =>
        OutcomeNames.TryParse(text, out var outcome) ? outcome : throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"Unknown outcome '{text}' in the store."));
}
