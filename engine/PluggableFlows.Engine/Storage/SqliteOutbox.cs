using Microsoft.Data.Sqlite;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Storage;

/// <summary>A step waiting in the retry outbox, as a worker claimed it.</summary>
/// <param name="Id">The outbox row.</param>
/// <param name="LeadId">The lead.</param>
/// <param name="StepKey">The step.</param>
/// <param name="FlowId">The flow.</param>
/// <param name="FlowVersion">The flow's version when the lead ran.</param>
/// <param name="SourceId">The source.</param>
/// <param name="IntegrationId">The integration.</param>
/// <param name="IdempotencyKey">Sent with every attempt.</param>
/// <param name="AttemptsMade">Attempts so far, the first included.</param>
/// <param name="MaxAttempts">Attempts allowed.</param>
/// <param name="Backoff">The step's base delay.</param>
/// <param name="MaxBackoff">The longest delay.</param>
/// <param name="InputsJson">The first attempt's inputs (<see cref="InputsJson"/>).</param>
public sealed record OutboxItem(
    long Id,
    string LeadId,
    string StepKey,
    string FlowId,
    string FlowVersion,
    string SourceId,
    string IntegrationId,
    string IdempotencyKey,
    int AttemptsMade,
    int MaxAttempts,
    TimeSpan Backoff,
    TimeSpan MaxBackoff,
    string InputsJson);

/// <summary>One retry attempt of a step, recorded as an event of its lead.</summary>
public sealed record RetryAttempt
{
    /// <summary>1 for the first call; retries are 2 and up.</summary>
    public required int Attempt { get; init; }

    /// <summary>The flow version it ran on.</summary>
    public required string FlowVersion { get; init; }

    /// <summary><c>enhancement</c> or <c>delivery</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The plugin that provided the integration, when loaded.</summary>
    public string? Plugin { get; init; }

    /// <summary>That plugin's version.</summary>
    public string? PluginVersion { get; init; }

    /// <summary>The outcome.</summary>
    public required Outcome Outcome { get; init; }

    /// <summary>Why.</summary>
    public string? Reason { get; init; }

    /// <summary>When it started.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>How long it took.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Of which waiting on the provider.</summary>
    public TimeSpan ProviderWait { get; init; }

    /// <summary>What it appended.</summary>
    public IReadOnlyDictionary<string, object?> Appended { get; init; } = new Dictionary<string, object?>();

    /// <summary>Price reported.</summary>
    public decimal? Price { get; init; }

    /// <summary>What it was charged (add-ons).</summary>
    public decimal? Cost { get; init; }

    /// <summary>Its HTTP exchanges, secrets masked.</summary>
    public IReadOnlyList<HttpExchange> Transcript { get; init; } = [];

    /// <summary>Its usage ledger record, when the integration was called.</summary>
    public UsageRecord? Usage { get; init; }
}

/// <summary>
/// The retry outbox in the embedded store. Rows are written with their lead (<see cref="SqliteLeadLog"/>); a worker
/// claims due rows under a lease, so a row is worked by one worker at a time and a crashed worker's rows come back when
/// their lease runs out; each attempt is recorded, with its event and usage, in one durable transaction.
/// </summary>
public sealed class SqliteOutbox(SqliteStore store)
{
    /// <summary>Claims up to <paramref name="max"/> pending rows due at <paramref name="now"/> and not held by another
    /// worker, holding them until <paramref name="now"/> + <paramref name="lease"/>.</summary>
    public async Task<IReadOnlyList<OutboxItem>> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenDurableAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE outbox SET lease_until_ms = $lease
            WHERE id IN (SELECT id FROM outbox
                         WHERE state = 'pending' AND due_ms <= $now AND lease_until_ms <= $now
                         ORDER BY due_ms LIMIT $max)
            RETURNING id, lead_id, step_key, flow_id, flow_version, source_id, integration_id, idempotency_key, attempts_made,
                      max_attempts, backoff_ms, max_backoff_ms, inputs;
            """;
        var nowMs = now.ToUnixTimeMilliseconds();
        command.Parameters.AddWithValue("$now", nowMs);
        command.Parameters.AddWithValue("$lease", nowMs + (long)lease.TotalMilliseconds);
        command.Parameters.AddWithValue("$max", max);
        var items = new List<OutboxItem>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(new OutboxItem(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.GetInt32(8), reader.GetInt32(9),
                    TimeSpan.FromMilliseconds(reader.GetInt64(10)), TimeSpan.FromMilliseconds(reader.GetInt64(11)),
                    reader.IsDBNull(12) ? "{}" : reader.GetString(12)));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return items;
    }

    /// <summary>Sets when the row's next attempt is due and holds it until <paramref name="leaseUntil"/> (the worker waits
    /// for it in memory; after a crash, another worker takes it once the lease has run out).</summary>
    public async Task RescheduleAsync(long id, DateTimeOffset due, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenDurableAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE outbox SET due_ms = $due, lease_until_ms = $lease WHERE id = $id AND state = 'pending';";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$due", due.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$lease", leaseUntil.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Records one attempt: its event (final unless another attempt follows), its usage, and the row's new state
    /// (<c>done</c> unless the outcome is <c>error</c>; <c>failed</c> once no attempt is left). Returns whether the step
    /// is settled.</summary>
    public async Task<bool> RecordAttemptAsync(OutboxItem item, RetryAttempt attempt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(attempt);
        var settled = attempt.Outcome != Outcome.Error || attempt.Attempt >= item.MaxAttempts;
        await using var connection = await OpenDurableAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using (var command = connection.CreateCommand())
        {
            // A batch of its own (EventBatches), placed after the lead's events so far.
            command.CommandText = """
                INSERT INTO event_batches (lead_id, first_seq, count, flow_id, flow_version, source_id, first_ms, last_ms, events)
                SELECT $lead, COALESCE(MAX(first_seq + count), 0), 1, $flow, $version, $source, $time, $time, $events
                FROM event_batches WHERE lead_id = $lead;
                """;
            command.Parameters.AddWithValue("$lead", item.LeadId);
            command.Parameters.AddWithValue("$time", attempt.Timestamp.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$flow", item.FlowId);
            command.Parameters.AddWithValue("$version", attempt.FlowVersion);
            command.Parameters.AddWithValue("$source", item.SourceId);
            command.Parameters.AddWithValue("$events", LeadJson.RetryEventBatch(attempt, item.StepKey, item.IntegrationId, final: settled));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        if (attempt.Usage is { } usage)
        {
            await SqliteUsageLedger.InsertAsync(connection, transaction, [usage], cancellationToken);
        }

        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                UPDATE outbox
                SET attempts_made = $attempt, state = $state, last_reason = $reason, updated_ms = $time,
                    inputs = CASE WHEN $state = 'pending' THEN inputs END
                WHERE id = $id;
                """;
            command.Parameters.AddWithValue("$id", item.Id);
            command.Parameters.AddWithValue("$attempt", attempt.Attempt);
            command.Parameters.AddWithValue("$state", !settled ? "pending" : attempt.Outcome == Outcome.Error ? "failed" : "done");
            command.Parameters.AddWithValue("$reason", (object?)attempt.Reason ?? DBNull.Value);
            command.Parameters.AddWithValue("$time", attempt.Timestamp.ToUnixTimeMilliseconds());
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return settled;
    }

    /// <summary>How many rows are waiting for another attempt.</summary>
    public async Task<long> PendingCountAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM outbox WHERE state = 'pending';";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<SqliteConnection> OpenDurableAsync(CancellationToken cancellationToken)
    {
        var connection = await store.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        // Every claim and attempt is synced, as leads are: a retry recorded is never lost.
        pragma.CommandText = "PRAGMA synchronous = FULL;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }
}
