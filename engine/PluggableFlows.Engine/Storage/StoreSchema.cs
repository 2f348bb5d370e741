namespace PluggableFlows.Engine.Storage;

/// <summary>The store's schema as an append-only list of migrations; version n is the n-th script.
/// Never edit a released script: add the next one.</summary>
internal static class StoreSchema
{
    public static IReadOnlyList<string> Migrations { get; } =
    [
        // 1: usage ledger and value lists.
        """
        CREATE TABLE usage (
            id                INTEGER PRIMARY KEY,
            time_ms           INTEGER NOT NULL,          -- unix milliseconds, UTC
            kind              TEXT    NOT NULL CHECK (kind IN ('submission', 'step')),
            flow_id           TEXT    NOT NULL,
            source_id         TEXT    NOT NULL,
            lead_id           TEXT    NOT NULL,
            step_key          TEXT,
            integration_id    TEXT,
            integration_class TEXT    CHECK (integration_class IN ('add-on', 'byoc')),
            outcome           TEXT    NOT NULL CHECK (outcome IN ('success', 'failure', 'error', 'skip')),
            billable_units    INTEGER NOT NULL,
            cost_micros       INTEGER NOT NULL           -- millionths of the currency unit: exact sums, no floating point
        );
        CREATE INDEX usage_by_time ON usage (time_ms);
        CREATE INDEX usage_by_integration ON usage (integration_id, time_ms) WHERE integration_id IS NOT NULL;
        CREATE INDEX usage_by_flow ON usage (flow_id, time_ms);

        CREATE TABLE list_values (
            list     TEXT    NOT NULL,
            value    TEXT    NOT NULL,
            added_ms INTEGER NOT NULL,                   -- unix milliseconds, UTC; refreshed when added again
            PRIMARY KEY (list, value)
        ) WITHOUT ROWID;
        """,
    ];
}
