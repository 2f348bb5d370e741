using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SQLitePCL;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Vars;

namespace PluggableFlows.Engine.Storage;

/// <summary>
/// The lead log in the embedded store, with group commit: leads queue up while one writer thread commits the ones
/// waiting, together, in a single transaction with <c>synchronous = FULL</c>. Each <see cref="AppendAsync"/> completes
/// only once the transaction holding its lead has committed, so an answered lead survives a crash of the process or
/// of the machine; under load one fsync covers many leads. A lead, its events, usage, pending retries and idempotency
/// key are written in the same transaction: they are all there, or none is. With a meter factory it records, in the
/// engine's meter, how long each lead waited to be durable and each commit's size and time (docs/server.md, "Metrics").
/// </summary>
public sealed partial class SqliteLeadLog : ILeadLog, IAsyncDisposable, IDisposable
{
    private readonly SqliteStore _store;
    private readonly ILogger _logger;
    private readonly int _maxBatch;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private readonly LeadLogMetrics? _metrics;
    private long _commits;
    private long _leads;

    /// <summary>Creates the log over <paramref name="store"/> and starts its writer.</summary>
    /// <param name="store">The store.</param>
    /// <param name="logger">Where write failures are logged.</param>
    /// <param name="maxBatch">The most leads committed in one transaction.</param>
    /// <param name="meterFactory">Where the log's metrics go; none are recorded without one.</param>
    public SqliteLeadLog(SqliteStore store, ILogger<SqliteLeadLog>? logger = null, int maxBatch = 1024, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _store = store;
        _logger = logger ?? (ILogger)NullLogger<SqliteLeadLog>.Instance;
        _maxBatch = maxBatch;
        _metrics = meterFactory is null ? null : new LeadLogMetrics(meterFactory);
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
        // Timed from here: the lead's rows are already encoded, so what follows is the wait for the store alone.
        var pending = new Pending(lead) { Queued = Stopwatch.GetTimestamp() };
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
            var started = Stopwatch.GetTimestamp();
            writer.Write(batch);
            _metrics?.Committed(batch, started, Stopwatch.GetTimestamp());
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

    /// <summary>One row of event_batches, prepared on the caller's thread.</summary>
    private readonly record struct EventBatchRow(int FirstSeq, int Count, long FirstMs, long LastMs, byte[] Json);

    private sealed class Pending(LeadResult lead)
    {
        public LeadResult Lead { get; } = lead;

        /// <summary>When the lead was handed to the log (<see cref="Stopwatch.GetTimestamp"/>).</summary>
        public long Queued { get; init; }

        // Serialized to UTF-8 on the caller's thread: the one writer thread only binds and commits.
        public byte[] VarsJson { get; } = LeadJson.VarsUtf8(lead.Vars);

        // The lead's events as rows of event_batches: one, unless the lead has more events than a batch holds.
        public EventBatchRow[] EventBatches { get; } = Batches(lead);

        private static EventBatchRow[] Batches(LeadResult lead)
        {
            var pending = lead.Retries.Count == 0 ? null : lead.Retries.Select(r => r.StepKey).ToHashSet(StringComparer.Ordinal);
            var rows = new EventBatchRow[(lead.Events.Count + Storage.EventBatches.EventsPerBatch - 1) / Storage.EventBatches.EventsPerBatch];
            for (var i = 0; i < rows.Length; i++)
            {
                var start = i * Storage.EventBatches.EventsPerBatch;
                var count = Math.Min(Storage.EventBatches.EventsPerBatch, lead.Events.Count - start);
                long first = long.MaxValue, last = long.MinValue;
                for (var e = start; e < start + count; e++)
                {
                    var ms = lead.Events[e].Timestamp.ToUnixTimeMilliseconds();
                    first = Math.Min(first, ms);
                    last = Math.Max(last, ms);
                }

                rows[i] = new EventBatchRow(start, count, first, last, LeadJson.EventBatchUtf8(lead.Events, start, count, pending));
            }

            return rows;
        }

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The log's instruments, in the engine's meter (<see cref="LeadMetrics.MeterName"/>).</summary>
    private sealed class LeadLogMetrics
    {
        // A commit, and a lead's wait for one, take a fraction of a millisecond to tens of milliseconds; the engine's lead
        // buckets start at 1 ms.
        private static readonly InstrumentAdvice<double> StoreSeconds = new()
        {
            HistogramBucketBoundaries = [0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        };

        private static readonly InstrumentAdvice<int> LeadsPerCommit = new()
        {
            HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
        };

        private readonly Histogram<double> _appendDuration;
        private readonly Histogram<double> _commitDuration;
        private readonly Histogram<int> _commitLeads;

        public LeadLogMetrics(IMeterFactory meterFactory)
        {
            var meter = meterFactory.Create(LeadMetrics.MeterName);
            _appendDuration = meter.CreateHistogram("pflow.store.append.duration", "s",
                "How long a finished lead waited to be durable: queued for the writer, then committed and synced with others.",
                tags: null, advice: StoreSeconds);
            _commitDuration = meter.CreateHistogram("pflow.store.commit.duration", "s",
                "How long one transaction of the lead log took to write and sync.", tags: null, advice: StoreSeconds);
            _commitLeads = meter.CreateHistogram("pflow.store.commit.leads", "{lead}", "Leads written by one transaction of the lead log.",
                tags: null, advice: LeadsPerCommit);
        }

        public void Committed(List<Pending> batch, long started, long committed)
        {
            _commitDuration.Record(Stopwatch.GetElapsedTime(started, committed).TotalSeconds);
            _commitLeads.Record(batch.Count);
            if (_appendDuration.Enabled)
            {
                foreach (var pending in batch)
                {
                    _appendDuration.Record(Stopwatch.GetElapsedTime(pending.Queued, committed).TotalSeconds);
                }
            }
        }
    }

    /// <summary>The writer's own connection and prepared statements, kept from one batch to the next. Statements are
    /// bound by position through SQLite's own API: a lead is a handful of single-row inserts whose JSON arrives already
    /// encoded as UTF-8, so the one writer thread spends its time in SQLite, not in binding.</summary>
    private sealed class Writer : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly List<Statement> _statements = [];
        private readonly Statement _begin;
        private readonly Statement _commit;
        private readonly Statement _rollback;
        private readonly Statement _lead;
        private readonly Statement _events;
        private readonly Statement _usage;
        private readonly Statement _idempotency;
        private readonly Statement _outbox;

        public Writer(SqliteStore store)
        {
            _connection = store.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
            try
            {
                // FULL: the WAL is synced at every commit, so a committed lead survives power loss too.
                Prepare("PRAGMA synchronous = FULL;").Run();
                _begin = Prepare("BEGIN IMMEDIATE;");
                _commit = Prepare("COMMIT;");
                _rollback = Prepare("ROLLBACK;");
                _lead = Prepare("""
                    INSERT INTO leads (id, time_ms, flow_id, flow_version, source_id, outcome, reason, price_micros, duration_us,
                                       provider_wait_us, vars)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
                    """);
                _events = Prepare("""
                    INSERT INTO event_batches (lead_id, flow_id, flow_version, source_id, first_seq, count, first_ms, last_ms, events)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);
                    """);
                // The lead's own columns come first: bound for a lead's first row, kept for the rest (Keep).
                _usage = Prepare("""
                    INSERT INTO usage (lead_id, flow_id, source_id, time_ms, kind, step_key, integration_id, integration_class,
                                       outcome, billable_units, cost_micros)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
                    """);
                // A key is only reused once its window has passed (the server checks before running the lead), so
                // the newer lead takes it over.
                _idempotency = Prepare("""
                    INSERT INTO idempotency (flow_id, source_id, key, lead_id, redirect, time_ms)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (flow_id, source_id, key)
                    DO UPDATE SET lead_id = excluded.lead_id, redirect = excluded.redirect, time_ms = excluded.time_ms;
                    """);
                _outbox = Prepare("""
                    INSERT INTO outbox (lead_id, step_key, flow_id, flow_version, source_id, integration_id, idempotency_key,
                                        attempts_made, max_attempts, backoff_ms, max_backoff_ms, due_ms, state, inputs,
                                        last_reason, updated_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, 'pending', ?, ?, ?);
                    """);
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public void Write(List<Pending> batch)
        {
            _begin.Run();
            try
            {
                foreach (var pending in batch)
                {
                    Write(pending);
                }

                _commit.Run();
            }
            catch
            {
                if (raw.sqlite3_get_autocommit(_connection.Handle) == 0)
                {
                    _rollback.Run();
                }

                throw;
            }
        }

        public void Dispose()
        {
            foreach (var statement in _statements)
            {
                statement.Dispose();
            }

            _connection.Dispose();
        }

        private void Write(Pending pending)
        {
            var lead = pending.Lead;
            var time = lead.Timestamp.ToUnixTimeMilliseconds();
            _lead.Add(lead.LeadId).Add(time).Add(lead.FlowId).Add(lead.FlowVersion).Add(lead.SourceId).Add(OutcomeNames.Of(lead.Outcome))
                .Add(lead.Reason).Add(SqliteUsageLedger.ToMicros(lead.Price)).Add(Micros(lead.Duration)).Add(Micros(lead.ProviderWait))
                .Add(pending.VarsJson).Run();

            foreach (var batch in pending.EventBatches)
            {
                _events.Add(lead.LeadId).Add(lead.FlowId).Add(lead.FlowVersion).Add(lead.SourceId).Add(batch.FirstSeq).Add(batch.Count)
                    .Add(batch.FirstMs).Add(batch.LastMs).Add(batch.Json).Run();
            }

            UsageRecord? previous = null;
            foreach (var record in lead.Usage)
            {
                var statement = previous is not null && previous.LeadId == record.LeadId && previous.FlowId == record.FlowId
                    && previous.SourceId == record.SourceId
                        ? _usage.Keep(3)
                        : _usage.Add(record.LeadId).Add(record.FlowId).Add(record.SourceId);
                previous = record;
                statement.Add(record.Time.ToUnixTimeMilliseconds()).Add(SqliteUsageLedger.KindName(record.Kind))
                    .Add(record.StepKey).Add(record.IntegrationId)
                    .Add(record.IntegrationClass is { } integrationClass ? SqliteUsageLedger.ClassName(integrationClass) : null)
                    .Add(OutcomeNames.Of(record.Outcome)).Add(record.BillableUnits).Add(SqliteUsageLedger.ToMicros(record.Cost)).Run();
            }

            if (lead.Idempotency is { } claim)
            {
                _idempotency.Add(lead.FlowId).Add(lead.SourceId).Add(claim.Key).Add(lead.LeadId).Add(claim.Redirect).Add(time).Run();
            }

            foreach (var retry in lead.Retries)
            {
                _outbox.Add(lead.LeadId).Add(retry.StepKey).Add(lead.FlowId).Add(lead.FlowVersion).Add(lead.SourceId)
                    .Add(retry.IntegrationId).Add(PendingRetry.IdempotencyKeyFor(lead.LeadId, retry.StepKey)).Add(retry.Attempts)
                    .Add((long)retry.Backoff.TotalMilliseconds).Add((long)retry.MaxBackoff.TotalMilliseconds)
                    .Add(time + RetryDelays.First(retry.Backoff)).Add(InputsJson.Write(retry.Inputs)).Add(retry.Reason).Add(time).Run();
            }
        }

        private Statement Prepare(string sql)
        {
            var statement = new Statement(_connection.Handle!, sql);
            _statements.Add(statement);
            return statement;
        }

        private static long Micros(TimeSpan duration) => duration.Ticks / TimeSpan.TicksPerMicrosecond;
    }

    /// <summary>A prepared statement bound by position (<c>?</c> in order): each <c>Add</c> binds the next parameter and
    /// <see cref="Run"/> steps it once and resets it for the next row.</summary>
    private sealed class Statement : IDisposable
    {
        private readonly sqlite3 _db;
        private readonly sqlite3_stmt _statement;
        private int _next;

        public Statement(sqlite3 db, string sql)
        {
            _db = db;
            Check(raw.sqlite3_prepare_v2(db, sql, out _statement));
        }

        public Statement Add(string? value) =>
            Bound(value is null ? raw.sqlite3_bind_null(_statement, ++_next) : raw.sqlite3_bind_text(_statement, ++_next, value));

        public Statement Add(byte[] utf8) => Bound(raw.sqlite3_bind_text(_statement, ++_next, utf8));

        public Statement Add(long value) => Bound(raw.sqlite3_bind_int64(_statement, ++_next, value));

        /// <summary>The next <paramref name="count"/> parameters keep the values bound for the previous row (SQLite keeps
        /// bindings across a reset): a lead's id, flow and source, bound once for all its rows. Binding text costs a
        /// conversion and a copy, and a lead has a dozen rows.</summary>
        public Statement Keep(int count)
        {
            _next += count;
            return this;
        }

        public void Run()
        {
            _next = 0;
            var result = raw.sqlite3_step(_statement);
            try
            {
                if (result is not (raw.SQLITE_DONE or raw.SQLITE_ROW))
                {
                    SqliteException.ThrowExceptionForRC(result, _db);
                }
            }
            finally
            {
                raw.sqlite3_reset(_statement);
            }
        }

        public void Dispose() => _statement?.Dispose();

        private Statement Bound(int result)
        {
            Check(result);
            return this;
        }

        private void Check(int result)
        {
            if (result != raw.SQLITE_OK)
            {
                _next = 0;
                SqliteException.ThrowExceptionForRC(result, _db);
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
