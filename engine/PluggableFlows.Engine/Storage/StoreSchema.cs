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

        // 2: leads and their events, idempotent submissions, the retry outbox.
        """
        CREATE TABLE leads (
            id                TEXT    NOT NULL PRIMARY KEY,
            time_ms           INTEGER NOT NULL,          -- unix milliseconds, UTC
            flow_id           TEXT    NOT NULL,
            flow_version      TEXT    NOT NULL,          -- the flow file's content hash when the lead ran
            source_id         TEXT    NOT NULL,
            outcome           TEXT    NOT NULL CHECK (outcome IN ('success', 'failure', 'error', 'skip')),
            reason            TEXT,
            price_micros      INTEGER NOT NULL,
            duration_us       INTEGER NOT NULL,          -- total time in the engine
            provider_wait_us  INTEGER NOT NULL,          -- of which waiting on providers
            vars              TEXT    NOT NULL           -- JSON: fields (secrets masked), source, flow, submission, random
        ) WITHOUT ROWID;

        CREATE TABLE events (
            id                INTEGER PRIMARY KEY,
            lead_id           TEXT    NOT NULL,
            seq               INTEGER NOT NULL,          -- order within the lead
            time_ms           INTEGER NOT NULL,
            flow_id           TEXT    NOT NULL,
            flow_version      TEXT    NOT NULL,
            source_id         TEXT    NOT NULL,
            kind              TEXT    NOT NULL CHECK (kind IN ('acceptance', 'step', 'submission')),
            step_key          TEXT,
            type              TEXT    NOT NULL,
            integration_id    TEXT,
            plugin            TEXT,
            plugin_version    TEXT,
            outcome           TEXT    NOT NULL CHECK (outcome IN ('success', 'failure', 'error', 'skip')),
            reason            TEXT,
            attempt           INTEGER NOT NULL DEFAULT 1, -- 1, then one more per retry from the outbox
            final             INTEGER NOT NULL DEFAULT 1, -- 0 while a retry is pending for the step
            duration_us       INTEGER NOT NULL,
            provider_wait_us  INTEGER NOT NULL,
            data              TEXT    NOT NULL           -- JSON: appended, price, cost, trace, transcript
        );
        -- Few indexes: every one is written with every lead. Pages are read newest first by id (time order), so a time
        -- filter needs no index of its own.
        CREATE UNIQUE INDEX events_by_lead ON events (lead_id, seq);
        CREATE INDEX events_by_flow ON events (flow_id, id);

        CREATE TABLE idempotency (
            flow_id           TEXT    NOT NULL,
            source_id         TEXT    NOT NULL,
            key               TEXT    NOT NULL,
            lead_id           TEXT    NOT NULL,
            redirect          TEXT,                      -- the 303 target the first submission was answered with
            time_ms           INTEGER NOT NULL,
            PRIMARY KEY (flow_id, source_id, key)
        ) WITHOUT ROWID;

        CREATE TABLE outbox (
            id                INTEGER PRIMARY KEY,
            lead_id           TEXT    NOT NULL,
            step_key          TEXT    NOT NULL,
            flow_id           TEXT    NOT NULL,
            flow_version      TEXT    NOT NULL,
            source_id         TEXT    NOT NULL,
            integration_id    TEXT    NOT NULL,
            idempotency_key   TEXT    NOT NULL,          -- sent with every attempt so the recipient can de-duplicate
            attempts_made     INTEGER NOT NULL,
            max_attempts      INTEGER NOT NULL,
            backoff_ms        INTEGER NOT NULL,
            max_backoff_ms    INTEGER NOT NULL,
            due_ms            INTEGER NOT NULL,
            lease_until_ms    INTEGER NOT NULL DEFAULT 0, -- a worker holds the row until then (claimed, or waiting to retry)
            state             TEXT    NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
            inputs            TEXT,                      -- JSON of the step's rendered inputs; cleared once settled
            last_reason       TEXT,
            updated_ms        INTEGER NOT NULL,
            UNIQUE (lead_id, step_key)
        );
        CREATE INDEX outbox_due ON outbox (due_ms) WHERE state = 'pending';
        """,

        // 3: the usage report reads a time window through usage_by_time, and SQLite's planner never chose these two for
        // it; each usage row still inserted into both, at a different place per integration and flow, so a commit
        // rewrote several more pages of them (23% of the WAL's page writes under load) for nothing.
        """
        DROP INDEX IF EXISTS usage_by_integration;
        DROP INDEX IF EXISTS usage_by_flow;
        """,

        // 4: a lead's events in one row (EventBatches): a run's events, or one retry's attempt, as a JSON array. Nine rows
        // in three b-trees per lead were most of the lead log writer's work. Each stored event becomes a batch of its own
        // whose id is the event's, so event ids (now batch id × 4096 + place) keep their order.
        """
        CREATE TABLE event_batches (
            id                INTEGER PRIMARY KEY,
            lead_id           TEXT    NOT NULL,
            first_seq         INTEGER NOT NULL,          -- the first event's place in the lead's timeline
            count             INTEGER NOT NULL,
            flow_id           TEXT    NOT NULL,
            flow_version      TEXT    NOT NULL,
            source_id         TEXT    NOT NULL,
            first_ms          INTEGER NOT NULL,          -- the earliest and latest event's time, unix milliseconds
            last_ms           INTEGER NOT NULL,
            events            TEXT    NOT NULL           -- JSON array: each event's columns and its data
        );
        CREATE INDEX event_batches_by_lead ON event_batches (lead_id);
        CREATE INDEX event_batches_by_flow ON event_batches (flow_id, id);

        INSERT INTO event_batches (id, lead_id, first_seq, count, flow_id, flow_version, source_id, first_ms, last_ms, events)
        SELECT id, lead_id, seq, 1, flow_id, flow_version, source_id, time_ms, time_ms,
               json_array(json_object('time_ms', time_ms, 'kind', kind, 'step_key', step_key, 'type', type,
                   'integration_id', integration_id, 'plugin', plugin, 'plugin_version', plugin_version, 'outcome', outcome,
                   'reason', reason, 'attempt', attempt, 'final', json(CASE final WHEN 0 THEN 'false' ELSE 'true' END),
                   'duration_us', duration_us, 'provider_wait_us', provider_wait_us, 'data', json(data)))
        FROM events ORDER BY id;
        DROP TABLE events;
        """,
    ];
}
