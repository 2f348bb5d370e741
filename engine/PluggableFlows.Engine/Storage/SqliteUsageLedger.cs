using Microsoft.Data.Sqlite;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Storage;

/// <summary>The usage ledger in the embedded store: one row per transaction, one transaction per lead.</summary>
public sealed class SqliteUsageLedger : IUsageLedger
{
    // Money is kept in integer millionths so sums are exact; a finer cost is rounded (half to even) to the millionth.
    private const decimal MicrosPerUnit = 1_000_000m;

    private readonly SqliteStore _store;

    /// <summary>Creates a ledger over <paramref name="store"/>.</summary>
    public SqliteUsageLedger(SqliteStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <inheritdoc />
    public async ValueTask RecordAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        await using var connection = await _store.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await InsertAsync(connection, transaction, records, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Inserts usage rows in <paramref name="transaction"/> (the ledger's own, or the one a lead's retry is
    /// recorded in).</summary>
    internal static async Task InsertAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<UsageRecord> records,
        CancellationToken cancellationToken)
    {
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO usage (time_ms, kind, flow_id, source_id, lead_id, step_key, integration_id, integration_class,
                               outcome, billable_units, cost_micros)
            VALUES ($time, $kind, $flow, $source, $lead, $step, $integration, $class, $outcome, $units, $cost);
            """;
        var time = insert.Parameters.Add("$time", SqliteType.Integer);
        var kind = insert.Parameters.Add("$kind", SqliteType.Text);
        var flow = insert.Parameters.Add("$flow", SqliteType.Text);
        var source = insert.Parameters.Add("$source", SqliteType.Text);
        var lead = insert.Parameters.Add("$lead", SqliteType.Text);
        var step = insert.Parameters.Add("$step", SqliteType.Text);
        var integration = insert.Parameters.Add("$integration", SqliteType.Text);
        var integrationClass = insert.Parameters.Add("$class", SqliteType.Text);
        var outcome = insert.Parameters.Add("$outcome", SqliteType.Text);
        var units = insert.Parameters.Add("$units", SqliteType.Integer);
        var cost = insert.Parameters.Add("$cost", SqliteType.Integer);
        foreach (var record in records)
        {
            time.Value = record.Time.ToUnixTimeMilliseconds();
            kind.Value = KindName(record.Kind);
            flow.Value = record.FlowId;
            source.Value = record.SourceId;
            lead.Value = record.LeadId;
            step.Value = (object?)record.StepKey ?? DBNull.Value;
            integration.Value = (object?)record.IntegrationId ?? DBNull.Value;
            integrationClass.Value = record.IntegrationClass is { } c ? ClassName(c) : DBNull.Value;
            outcome.Value = OutcomeNames.Of(record.Outcome);
            units.Value = record.BillableUnits;
            cost.Value = ToMicros(record.Cost);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>The ledger for <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive).</summary>
    public async Task<UsageReport> GetReportAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        // One read transaction so the four queries see the same snapshot while leads keep being recorded.
        await using var transaction = connection.BeginTransaction(deferred: true);
        var window = (From: from.ToUnixTimeMilliseconds(), To: to.ToUnixTimeMilliseconds());

        var integrations = new List<IntegrationUsage>();
        await foreach (var row in QueryAsync(connection, window, """
            SELECT integration_id, MAX(integration_class), COUNT(*), SUM(billable_units), SUM(cost_micros)
            FROM usage
            WHERE kind = 'step' AND integration_id IS NOT NULL AND time_ms >= $from AND time_ms < $to
            GROUP BY integration_id
            """, cancellationToken))
        {
            integrations.Add(new IntegrationUsage(row.GetString(0), row.IsDBNull(1) ? null : ParseClass(row.GetString(1)),
                row.GetInt64(2), row.GetInt64(3), FromMicros(row.GetInt64(4))));
        }

        var flows = new List<FlowUsage>();
        await foreach (var row in QueryAsync(connection, window, """
            SELECT flow_id,
                   SUM(kind = 'submission'), SUM(kind = 'step'), SUM(billable_units), SUM(cost_micros)
            FROM usage
            WHERE time_ms >= $from AND time_ms < $to
            GROUP BY flow_id
            ORDER BY flow_id
            """, cancellationToken))
        {
            flows.Add(new FlowUsage(row.GetString(0), row.GetInt64(1), row.GetInt64(2), row.GetInt64(3), FromMicros(row.GetInt64(4))));
        }

        var outcomes = new List<OutcomeCount>();
        await foreach (var row in QueryAsync(connection, window, """
            SELECT kind, outcome, COUNT(*)
            FROM usage
            WHERE time_ms >= $from AND time_ms < $to
            GROUP BY kind, outcome
            """, cancellationToken))
        {
            OutcomeNames.TryParse(row.GetString(1), out var outcome);
            outcomes.Add(new OutcomeCount(ParseKind(row.GetString(0)), outcome, row.GetInt64(2)));
        }

        var totals = new UsageTotals(flows.Sum(f => f.Submissions), flows.Sum(f => f.StepInvocations), flows.Sum(f => f.BillableUnits),
            flows.Sum(f => f.AddOnCost));
        return new UsageReport(from, to,
            [.. integrations.OrderByDescending(i => i.Cost).ThenBy(i => i.IntegrationId, StringComparer.Ordinal)],
            flows,
            totals,
            [.. outcomes.OrderBy(o => o.Kind).ThenBy(o => o.Outcome)]);
    }

    private static async IAsyncEnumerable<SqliteDataReader> QueryAsync(SqliteConnection connection, (long From, long To) window, string sql,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // Fixed query text; the window is bound as parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        command.Parameters.AddWithValue("$from", window.From);
        command.Parameters.AddWithValue("$to", window.To);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return reader;
        }
    }

    internal static long ToMicros(decimal amount) =>
        decimal.ToInt64(decimal.Round(amount * MicrosPerUnit, 0, MidpointRounding.ToEven));

    internal static decimal FromMicros(long micros) => micros / MicrosPerUnit;

    internal static string KindName(UsageKind kind) => kind switch
    {
        UsageKind.Submission => "submission",
        UsageKind.StepInvocation => "step",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static UsageKind ParseKind(string text) => text == "submission" ? UsageKind.Submission : UsageKind.StepInvocation;

    internal static string ClassName(IntegrationClass value) => value switch
    {
        IntegrationClass.AddOn => "add-on",
        IntegrationClass.Byoc => "byoc",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
    };

    private static IntegrationClass ParseClass(string text) => text == "add-on" ? IntegrationClass.AddOn : IntegrationClass.Byoc;
}
