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

        // Serialized on the caller's thread: the one writer thread only binds and commits.
        public string VarsJson { get; } = LeadJson.Vars(lead.Vars);

        public string[] EventJson { get; } = lead.Events.Select(LeadJson.EventData).ToArray();

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The writer's own connection and prepared statements, kept from one batch to the next. A lead's events
    /// and usage rows go in one multi-row statement each (prepared once per row count), so a lead is five statements.</summary>
    private sealed class Writer : IDisposable
    {
        private const string EventColumns = """
            INSERT INTO events (lead_id, seq, time_ms, flow_id, flow_version, source_id, kind, step_key, type, integration_id,
                                plugin, plugin_version, outcome, reason, attempt, final, duration_us, provider_wait_us, data)
            VALUES
            """;

        private const string UsageColumns = """
            INSERT INTO usage (time_ms, kind, flow_id, source_id, lead_id, step_key, integration_id, integration_class,
                               outcome, billable_units, cost_micros)
            VALUES
            """;

        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _lead;
        private readonly SqliteCommand _idempotency;
        private readonly SqliteCommand _outbox;
        private readonly Dictionary<int, SqliteCommand> _events = [];
        private readonly Dictionary<int, SqliteCommand> _usage = [];

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
                    VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p9, $p10);
                    """, 11);
                // A key is only reused once its window has passed (the server checks before running the lead), so
                // the newer lead takes it over.
                _idempotency = Prepare("""
                    INSERT INTO idempotency (flow_id, source_id, key, lead_id, redirect, time_ms)
                    VALUES ($p0, $p1, $p2, $p3, $p4, $p5)
                    ON CONFLICT (flow_id, source_id, key)
                    DO UPDATE SET lead_id = excluded.lead_id, redirect = excluded.redirect, time_ms = excluded.time_ms;
                    """, 6);
                _outbox = Prepare("""
                    INSERT INTO outbox (lead_id, step_key, flow_id, flow_version, source_id, integration_id, idempotency_key,
                                        attempts_made, max_attempts, backoff_ms, max_backoff_ms, due_ms, state, inputs,
                                        last_reason, updated_ms)
                    VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, 1, $p7, $p8, $p9, $p10, 'pending', $p11, $p12, $p13);
                    """, 14);
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
                Write(pending, transaction);
            }

            transaction.Commit();
        }

        public void Dispose()
        {
            _lead?.Dispose();
            _idempotency?.Dispose();
            _outbox?.Dispose();
            foreach (var command in _events.Values.Concat(_usage.Values))
            {
                command.Dispose();
            }

            _connection.Dispose();
        }

        private void Write(Pending pending, SqliteTransaction transaction)
        {
            var lead = pending.Lead;
            var time = lead.Timestamp.ToUnixTimeMilliseconds();
            var values = new Binder(_lead, transaction);
            values.Add(lead.LeadId).Add(time).Add(lead.FlowId).Add(lead.FlowVersion).Add(lead.SourceId).Add(OutcomeNames.Of(lead.Outcome))
                .Add(lead.Reason).Add(SqliteUsageLedger.ToMicros(lead.Price)).Add(Micros(lead.Duration)).Add(Micros(lead.ProviderWait))
                .Add(pending.VarsJson).Run();

            if (lead.Events.Count > 0)
            {
                var retried = lead.Retries.Count == 0 ? null : lead.Retries.Select(r => r.StepKey).ToHashSet(StringComparer.Ordinal);
                values = new Binder(Rows(_events, EventColumns, 18, lead.Events.Count, "1"), transaction);
                for (var seq = 0; seq < lead.Events.Count; seq++)
                {
                    var e = lead.Events[seq];
                    values.Add(lead.LeadId).Add(seq).Add(e.Timestamp.ToUnixTimeMilliseconds()).Add(lead.FlowId).Add(lead.FlowVersion)
                        .Add(lead.SourceId).Add(KindName(e.Kind)).Add(e.StepKey).Add(e.Type).Add(e.Integration).Add(e.Plugin)
                        .Add(e.PluginVersion).Add(OutcomeNames.Of(e.Outcome)).Add(e.Reason)
                        .Add(retried is not null && e.Kind == EventKind.Step && retried.Contains(e.StepKey!) ? 0 : 1)
                        .Add(Micros(e.Duration)).Add(Micros(e.ProviderWait)).Add(pending.EventJson[seq]);
                }

                values.Run();
            }

            if (lead.Usage.Count > 0)
            {
                values = new Binder(Rows(_usage, UsageColumns, 11, lead.Usage.Count, null), transaction);
                foreach (var record in lead.Usage)
                {
                    values.Add(record.Time.ToUnixTimeMilliseconds()).Add(SqliteUsageLedger.KindName(record.Kind))
                        .Add(record.FlowId).Add(record.SourceId).Add(record.LeadId).Add(record.StepKey).Add(record.IntegrationId)
                        .Add(record.IntegrationClass is { } integrationClass ? SqliteUsageLedger.ClassName(integrationClass) : null)
                        .Add(OutcomeNames.Of(record.Outcome)).Add(record.BillableUnits).Add(SqliteUsageLedger.ToMicros(record.Cost));
                }

                values.Run();
            }

            if (lead.Idempotency is { } claim)
            {
                new Binder(_idempotency, transaction).Add(lead.FlowId).Add(lead.SourceId).Add(claim.Key).Add(lead.LeadId).Add(claim.Redirect)
                    .Add(time).Run();
            }

            foreach (var retry in lead.Retries)
            {
                new Binder(_outbox, transaction).Add(lead.LeadId).Add(retry.StepKey).Add(lead.FlowId).Add(lead.FlowVersion).Add(lead.SourceId)
                    .Add(retry.IntegrationId).Add(PendingRetry.IdempotencyKeyFor(lead.LeadId, retry.StepKey)).Add(retry.Attempts)
                    .Add((long)retry.Backoff.TotalMilliseconds).Add((long)retry.MaxBackoff.TotalMilliseconds)
                    .Add(time + RetryDelays.First(retry.Backoff)).Add(InputsJson.Write(retry.Inputs)).Add(retry.Reason).Add(time).Run();
            }
        }

        // `INSERT … VALUES (…), (…)` for `rows` rows of `columns` parameters each (plus a constant column before the last
        // when `constant` is given: the events' attempt), prepared once per row count.
        private SqliteCommand Rows(Dictionary<int, SqliteCommand> cache, string insert, int columns, int rows, string? constant)
        {
            if (cache.TryGetValue(rows, out var command))
            {
                return command;
            }

            var sql = new System.Text.StringBuilder(insert);
            var n = 0;
            for (var row = 0; row < rows; row++)
            {
                sql.Append(row == 0 ? "\n(" : ",\n(");
                for (var column = 0; column < columns; column++)
                {
                    if (column > 0)
                    {
                        sql.Append(", ");
                    }

                    // The events' attempt (always 1 here) sits before `final`, the 15th of the 18 bound columns.
                    if (constant is not null && column == 14)
                    {
                        sql.Append(constant).Append(", ");
                    }

                    sql.Append("$p").Append(n++);
                }

                sql.Append(')');
            }

            return cache[rows] = Prepare(sql.Append(';').ToString(), n);
        }

        private SqliteCommand Prepare(string sql, int parameters)
        {
            var command = _connection.CreateCommand();
#pragma warning disable CA2100 // Fixed statement text; values are bound as parameters.
            command.CommandText = sql;
#pragma warning restore CA2100
            for (var i = 0; i < parameters; i++)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = "$p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            }

            command.Prepare();
            return command;
        }

        private static long Micros(TimeSpan duration) => duration.Ticks / TimeSpan.TicksPerMicrosecond;

        private static string KindName(EventKind kind) => kind switch
        {
            EventKind.Acceptance => "acceptance",
            EventKind.Step => "step",
            _ => "submission",
        };

        /// <summary>Binds values to a prepared command's parameters in order, then runs it.</summary>
        private sealed class Binder(SqliteCommand command, SqliteTransaction transaction)
        {
            private int _next;

            public Binder Add(string? value)
            {
                command.Parameters[_next++].Value = value is null ? DBNull.Value : value;
                return this;
            }

            public Binder Add(long value)
            {
                command.Parameters[_next++].Value = value;
                return this;
            }

            public void Run()
            {
                command.Transaction = transaction;
                command.ExecuteNonQuery();
            }
        }
    }
}

/// <summary>A lead ran but could not be recorded, so it must not be answered as if it had been.</summary>
public sealed class LeadNotRecordedException(string leadId, Exception inner)
    : Exception($"Lead {leadId} could not be recorded: {inner.Message}", inner)
{
    /// <summary>The lead.</summary>
    public string LeadId { get; } = leadId;
}
