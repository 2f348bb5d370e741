using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Vars;

namespace PluggableFlows.Engine.Storage;

/// <summary>
/// The lead log in the embedded store, with group commit: leads queue up while one writer thread commits the ones
/// waiting, together, in a single transaction with <c>synchronous = FULL</c>. Each <see cref="AppendAsync"/> completes
/// only once the transaction holding its lead has committed, so an answered lead survives a crash of the process or
/// of the machine; under load one fsync covers many leads. A lead, its events, usage, pending retries and idempotency
/// key are written in the same transaction: they are all there, or none is.
/// </summary>
public sealed partial class SqliteLeadLog : ILeadLog, IAsyncDisposable, IDisposable
{
    private readonly SqliteStore _store;
    private readonly ILogger _logger;
    private readonly int _maxBatch;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private long _commits;
    private long _leads;

    /// <summary>Creates the log over <paramref name="store"/> and starts its writer.</summary>
    /// <param name="store">The store.</param>
    /// <param name="logger">Where write failures are logged.</param>
    /// <param name="maxBatch">The most leads committed in one transaction.</param>
    public SqliteLeadLog(SqliteStore store, ILogger<SqliteLeadLog>? logger = null, int maxBatch = 1024)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _store = store;
        _logger = logger ?? (ILogger)NullLogger<SqliteLeadLog>.Instance;
        _maxBatch = maxBatch;
        // A thread of its own: the writer blocks on fsync, which must not hold up the thread pool serving requests.
        _writer = Task.Factory.StartNew(WriteLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Transactions committed so far (each holds one or more leads).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Leads committed so far.</summary>
    public long Leads => Interlocked.Read(ref _leads);

    /// <inheritdoc />
    public ValueTask AppendAsync(LeadResult lead, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var pending = new Pending(lead);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(SqliteLeadLog), "The lead log is closed; the lead was not recorded.");
        }

        // The caller may stop waiting; the lead is still recorded.
        return new ValueTask(pending.Completion.Task.WaitAsync(cancellationToken));
    }

    /// <summary>Stops taking leads, commits the ones queued and closes the writer's connection.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    /// <inheritdoc cref="DisposeAsync"/>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _writer.GetAwaiter().GetResult();
    }

    private void WriteLoop()
    {
        var batch = new List<Pending>(_maxBatch);
        Writer? writer = null;
        var reader = _queue.Reader;
        try
        {
            while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (batch.Count < _maxBatch && reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                }

                writer = Commit(writer, batch);
                batch.Clear();
            }
        }
        finally
        {
            writer?.Dispose();
        }
    }

    private Writer? Commit(Writer? writer, List<Pending> batch)
    {
        try
        {
            writer ??= new Writer(_store);
            writer.Write(batch);
            Interlocked.Increment(ref _commits);
            Interlocked.Add(ref _leads, batch.Count);
            foreach (var pending in batch)
            {
                pending.Completion.TrySetResult();
            }

            return writer;
        }
        catch (Exception exception) when (exception is SqliteException or InvalidOperationException or IOException)
        {
            writer?.Dispose();
            if (batch.Count == 1)
            {
                LogWriteFailed(_logger, exception, batch[0].Lead.LeadId);
                batch[0].Completion.TrySetException(new LeadNotRecordedException(batch[0].Lead.LeadId, exception));
                return null;
            }

            // One bad lead must not fail the others committed with it: write each alone to find it.
            writer = null;
            foreach (var pending in batch)
            {
                writer = Commit(writer, [pending]);
            }

            return writer;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Lead {LeadId} could not be recorded; its source is told so (503).")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string leadId);

    private sealed class Pending(LeadResult lead)
    {
        public LeadResult Lead { get; } = lead;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The writer's own connection and prepared statements, kept from one batch to the next.</summary>
    private sealed class Writer : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _lead;
        private readonly SqliteCommand _event;
        private readonly SqliteCommand _usage;
        private readonly SqliteCommand _idempotency;
        private readonly SqliteCommand _outbox;

        public Writer(SqliteStore store)
        {
            _connection = store.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
            try
            {
                using (var pragma = _connection.CreateCommand())
                {
                    // FULL: the WAL is synced at every commit, so a committed lead survives power loss too.
                    pragma.CommandText = "PRAGMA synchronous = FULL;";
                    pragma.ExecuteNonQuery();
                }

                _lead = Prepare("""
                    INSERT INTO leads (id, time_ms, flow_id, flow_version, source_id, outcome, reason, price_micros, duration_us,
                                       provider_wait_us, vars)
                    VALUES ($id, $time, $flow, $version, $source, $outcome, $reason, $price, $duration, $wait, $vars);
                    """, "$id", "$time", "$flow", "$version", "$source", "$outcome", "$reason", "$price", "$duration", "$wait", "$vars");
                _event = Prepare("""
                    INSERT INTO events (lead_id, seq, time_ms, flow_id, flow_version, source_id, kind, step_key, type, integration_id,
                                        plugin, plugin_version, outcome, reason, attempt, final, duration_us, provider_wait_us, data)
                    VALUES ($lead, $seq, $time, $flow, $version, $source, $kind, $step, $type, $integration,
                            $plugin, $pluginVersion, $outcome, $reason, 1, $final, $duration, $wait, $data);
                    """, "$lead", "$seq", "$time", "$flow", "$version", "$source", "$kind", "$step", "$type", "$integration",
                    "$plugin", "$pluginVersion", "$outcome", "$reason", "$final", "$duration", "$wait", "$data");
                _usage = Prepare("""
                    INSERT INTO usage (time_ms, kind, flow_id, source_id, lead_id, step_key, integration_id, integration_class,
                                       outcome, billable_units, cost_micros)
                    VALUES ($time, $kind, $flow, $source, $lead, $step, $integration, $class, $outcome, $units, $cost);
                    """, "$time", "$kind", "$flow", "$source", "$lead", "$step", "$integration", "$class", "$outcome", "$units", "$cost");
                // A key is only reused once its window has passed (the server checks before running the lead), so
                // the newer lead takes it over.
                _idempotency = Prepare("""
                    INSERT INTO idempotency (flow_id, source_id, key, lead_id, redirect, time_ms)
                    VALUES ($flow, $source, $key, $lead, $redirect, $time)
                    ON CONFLICT (flow_id, source_id, key)
                    DO UPDATE SET lead_id = excluded.lead_id, redirect = excluded.redirect, time_ms = excluded.time_ms;
                    """, "$flow", "$source", "$key", "$lead", "$redirect", "$time");
                _outbox = Prepare("""
                    INSERT INTO outbox (lead_id, step_key, flow_id, flow_version, source_id, integration_id, idempotency_key,
                                        attempts_made, max_attempts, backoff_ms, max_backoff_ms, due_ms, state, inputs,
                                        last_reason, updated_ms)
                    VALUES ($lead, $step, $flow, $version, $source, $integration, $key,
                            1, $max, $backoff, $maxBackoff, $due, 'pending', $inputs, $reason, $time);
                    """, "$lead", "$step", "$flow", "$version", "$source", "$integration", "$key", "$max", "$backoff", "$maxBackoff",
                    "$due", "$inputs", "$reason", "$time");
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public void Write(List<Pending> batch)
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            foreach (var pending in batch)
            {
                Write(pending.Lead, transaction);
            }

            transaction.Commit();
        }

        public void Dispose()
        {
            _lead?.Dispose();
            _event?.Dispose();
            _usage?.Dispose();
            _idempotency?.Dispose();
            _outbox?.Dispose();
            _connection.Dispose();
        }

        private void Write(LeadResult lead, SqliteTransaction transaction)
        {
            var time = lead.Timestamp.ToUnixTimeMilliseconds();
            Run(_lead, transaction, lead.LeadId, time, lead.FlowId, lead.FlowVersion, lead.SourceId, OutcomeNames.Of(lead.Outcome),
                lead.Reason, SqliteUsageLedger.ToMicros(lead.Price), Micros(lead.Duration), Micros(lead.ProviderWait), LeadJson.Vars(lead.Vars));

            var retried = lead.Retries.Count == 0 ? null : lead.Retries.Select(r => r.StepKey).ToHashSet(StringComparer.Ordinal);
            for (var seq = 0; seq < lead.Events.Count; seq++)
            {
                var e = lead.Events[seq];
                Run(_event, transaction, lead.LeadId, seq, e.Timestamp.ToUnixTimeMilliseconds(), lead.FlowId, lead.FlowVersion, lead.SourceId,
                    KindName(e.Kind), e.StepKey, e.Type, e.Integration, e.Plugin, e.PluginVersion, OutcomeNames.Of(e.Outcome), e.Reason,
                    retried is not null && e.Kind == EventKind.Step && retried.Contains(e.StepKey!) ? 0 : 1,
                    Micros(e.Duration), Micros(e.ProviderWait), LeadJson.EventData(e));
            }

            foreach (var record in lead.Usage)
            {
                Run(_usage, transaction, record.Time.ToUnixTimeMilliseconds(), record.Kind == UsageKind.Submission ? "submission" : "step",
                    record.FlowId, record.SourceId, record.LeadId, record.StepKey, record.IntegrationId,
                    record.IntegrationClass switch { Sdk.IntegrationClass.AddOn => "add-on", Sdk.IntegrationClass.Byoc => "byoc", _ => null },
                    OutcomeNames.Of(record.Outcome), record.BillableUnits, SqliteUsageLedger.ToMicros(record.Cost));
            }

            if (lead.Idempotency is { } claim)
            {
                Run(_idempotency, transaction, lead.FlowId, lead.SourceId, claim.Key, lead.LeadId, claim.Redirect, time);
            }

            foreach (var retry in lead.Retries)
            {
                Run(_outbox, transaction, lead.LeadId, retry.StepKey, lead.FlowId, lead.FlowVersion, lead.SourceId, retry.IntegrationId,
                    PendingRetry.IdempotencyKeyFor(lead.LeadId, retry.StepKey), retry.Attempts, (long)retry.Backoff.TotalMilliseconds,
                    (long)retry.MaxBackoff.TotalMilliseconds, time + RetryDelays.First(retry.Backoff), InputsJson.Write(retry.Inputs), retry.Reason,
                    time);
            }
        }

        private SqliteCommand Prepare(string sql, params string[] names)
        {
            var command = _connection.CreateCommand();
#pragma warning disable CA2100 // Fixed statement text; values are bound as parameters.
            command.CommandText = sql;
#pragma warning restore CA2100
            foreach (var name in names)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            command.Prepare();
            return command;
        }

        private static void Run(SqliteCommand command, SqliteTransaction transaction, params object?[] values)
        {
            command.Transaction = transaction;
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters[i].Value = values[i] ?? DBNull.Value;
            }

            command.ExecuteNonQuery();
        }

        private static long Micros(TimeSpan duration) => duration.Ticks / TimeSpan.TicksPerMicrosecond;

        private static string KindName(EventKind kind) => kind switch
        {
            EventKind.Acceptance => "acceptance",
            EventKind.Step => "step",
            _ => "submission",
        };
    }
}

/// <summary>A lead ran but could not be recorded, so it must not be answered as if it had been.</summary>
public sealed class LeadNotRecordedException(string leadId, Exception inner)
    : Exception($"Lead {leadId} could not be recorded: {inner.Message}", inner)
{
    /// <summary>The lead.</summary>
    public string LeadId { get; } = leadId;
}
