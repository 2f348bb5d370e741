using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using PluggableFlows.Engine.Storage;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Tests.Storage;

public class SqliteStoreTests
{
    [Fact]
    public async Task First_use_creates_the_file_and_its_folder_with_the_schema_in_wal_mode()
    {
        using var temp = new TempStore();
        File.Exists(temp.FilePath).ShouldBeFalse();

        await using var connection = await temp.Store.OpenAsync(CancellationToken.None);

        File.Exists(temp.FilePath).ShouldBeTrue();
        (await ScalarAsync(connection, "PRAGMA journal_mode;")).ShouldBe("wal");
        (await ScalarAsync(connection, "PRAGMA synchronous;")).ShouldBe(1L); // NORMAL
        (await ScalarAsync(connection, "PRAGMA foreign_keys;")).ShouldBe(1L);
        (await ScalarAsync(connection, "SELECT group_concat(version) FROM schema_version;")).ShouldBe(
            string.Join(",", Enumerable.Range(1, SqliteStore.SchemaVersion)));
        (await ScalarAsync(connection, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('usage', 'list_values', 'leads', 'event_batches', 'idempotency', 'outbox');"))
            .ShouldBe(6L);
    }

    [Fact]
    public async Task The_usage_table_has_one_index_by_time_which_every_usage_report_query_uses()
    {
        using var temp = new TempStore();
        await using var connection = await temp.Store.OpenAsync(CancellationToken.None);

        // Each index is one more place a lead's usage rows are written at every commit.
        (await ScalarAsync(connection, "SELECT group_concat(name) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'usage';"))
            .ShouldBe("usage_by_time");
        await using var plan = connection.CreateCommand();
        plan.CommandText = """
            EXPLAIN QUERY PLAN
            SELECT flow_id, SUM(billable_units) FROM usage WHERE time_ms >= 0 AND time_ms < 10 GROUP BY flow_id ORDER BY flow_id;
            """;
        await using var reader = await plan.ExecuteReaderAsync();
        var details = new List<string>();
        while (await reader.ReadAsync())
        {
            details.Add(reader.GetString(3));
        }

        details.ShouldContain(detail => detail.Contains("USING INDEX usage_by_time", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reopening_the_file_keeps_the_data_and_applies_no_migration_twice()
    {
        using var temp = new TempStore();
        await new SqliteValueLists(temp.Store).AddAsync("dnc", "5127891111", CancellationToken.None);

        var reopened = temp.Reopen();
        await using var connection = await reopened.OpenAsync(CancellationToken.None);

        (await ScalarAsync(connection, "SELECT COUNT(*) FROM schema_version;")).ShouldBe((long)SqliteStore.SchemaVersion);
        (await new SqliteValueLists(reopened).ContainsAsync("dnc", "5127891111", null, CancellationToken.None)).ShouldBeTrue();
    }

    [Fact]
    public async Task Events_stored_one_row_each_before_schema_4_read_back_the_same_after_it_and_new_ones_follow_them()
    {
        using var temp = new TempStore();
        Directory.CreateDirectory(Path.GetDirectoryName(temp.FilePath)!);
        await using (var old = new SqliteConnection($"Data Source={temp.FilePath};Pooling=False"))
        {
            // A store as schema 3 left it: a lead with three events (the second one's retry pending, then its attempt 2).
            await old.OpenAsync();
            await ScalarAsync(old, "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL;");
            await ScalarAsync(old, "CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY);");
            for (var version = 1; version <= 3; version++)
            {
                await ScalarAsync(old, StoreSchema.Migrations[version - 1]);
                await ScalarAsync(old, $"INSERT INTO schema_version (version) VALUES ({version});");
            }

            await ScalarAsync(old, """
                INSERT INTO leads VALUES ('lead-1', 1700000000000, 'f', 'v1', 's', 'success', NULL, 0, 900, 400, '{}');
                INSERT INTO events (id, lead_id, seq, time_ms, flow_id, flow_version, source_id, kind, step_key, type, integration_id,
                                    plugin, plugin_version, outcome, reason, attempt, final, duration_us, provider_wait_us, data)
                VALUES (7, 'lead-1', 0, 1700000000001, 'f', 'v1', 's', 'acceptance', 'flow', 'acceptance', NULL, NULL, NULL, 'success', NULL, 1, 1, 10, 0, '{}'),
                       (8, 'lead-1', 1, 1700000000002, 'f', 'v1', 's', 'step', 'crm', 'delivery', 'http.json', 'PluggableFlows.Plugins.Http', '1.0.0', 'error', 'Provider answered 503', 1, 0, 500, 400, '{"transcript":[{"method":"POST"}]}'),
                       (9, 'lead-1', 2, 1700000000003, 'f', 'v1', 's', 'step', 'crm', 'delivery', 'http.json', 'PluggableFlows.Plugins.Http', '1.0.0', 'success', NULL, 2, 1, 300, 200, '{"price":1.5}');
                """);
        }

        var store = temp.Reopen();
        var queries = new SqliteLeadQueries(store);
        var lead = (await queries.GetLeadAsync("lead-1")).ShouldNotBeNull();

        lead.Events.Select(e => (e.Seq, e.Kind, e.StepKey, e.Outcome, e.Reason, e.Attempt, e.Final, e.Plugin, e.DataJson)).ShouldBe(
        [
            (0, "acceptance", (string?)"flow", Outcome.Success, (string?)null, 1, true, (string?)null, "{}"),
            (1, "step", "crm", Outcome.Error, "Provider answered 503", 1, false, "PluggableFlows.Plugins.Http", """{"transcript":[{"method":"POST"}]}"""),
            (2, "step", "crm", Outcome.Success, null, 2, true, "PluggableFlows.Plugins.Http", """{"price":1.5}"""),
        ]);
        lead.Events[1].Duration.ShouldBe(TimeSpan.FromMicroseconds(500));
        lead.Events[1].Timestamp.ShouldBe(DateTimeOffset.FromUnixTimeMilliseconds(1700000000002));
        lead.Events.Select(e => e.Id).ShouldBe(lead.Events.Select(e => e.Id).Order(), "ids keep their order");

        // A retry recorded after the upgrade follows the lead's old events, with a later id.
        var outbox = new SqliteOutbox(store);
        await outbox.RecordAttemptAsync(
            new OutboxItem(1, "lead-1", "crm", "f", "v1", "s", "http.json", "lead-1:crm", 2, 3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), "{}"),
            new RetryAttempt { Attempt = 3, FlowVersion = "v1", Type = "delivery", Outcome = Outcome.Success, Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(1700000000009) });
        var after = (await queries.GetLeadAsync("lead-1")).ShouldNotBeNull();
        after.Events.Count.ShouldBe(4);
        after.Events[3].Seq.ShouldBe(3);
        after.Events[3].Attempt.ShouldBe(3);
        after.Events[3].Id.ShouldBeGreaterThan(after.Events[2].Id);
        var page = await queries.GetEventsAsync(new EventQuery { Limit = 2 });
        page.Events.Select(e => e.Seq).ShouldBe([3, 2], "newest first across old and new rows");
        (await queries.GetEventsAsync(new EventQuery { Limit = 10, Before = page.Next })).Events.Select(e => e.Seq).ShouldBe([1, 0]);
    }

    [Fact]
    public async Task Stores_opening_the_same_new_file_at_once_migrate_it_exactly_once()
    {
        using var temp = new TempStore();
        var stores = Enumerable.Range(0, 8).Select(_ => temp.Open()).ToArray();
        try
        {
            using var gate = new ManualResetEventSlim();
            var opening = stores.Select(store => Task.Run(async () =>
            {
                gate.Wait();
                await using var connection = await store.OpenAsync(CancellationToken.None);
            })).ToArray();
            gate.Set();
            await Task.WhenAll(opening);

            await using var check = await temp.Store.OpenAsync(CancellationToken.None);
            (await ScalarAsync(check, "SELECT COUNT(*) FROM schema_version;")).ShouldBe((long)SqliteStore.SchemaVersion);
            (await ScalarAsync(check, "PRAGMA integrity_check;")).ShouldBe("ok");
        }
        finally
        {
            foreach (var store in stores)
            {
                store.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_file_from_a_newer_pflow_is_refused_with_a_clear_message()
    {
        using var temp = new TempStore();
        await using (var connection = await temp.Store.OpenAsync(CancellationToken.None))
        {
            await ScalarAsync(connection, $"INSERT INTO schema_version (version) VALUES ({SqliteStore.SchemaVersion + 1});");
        }

        var exception = await Should.ThrowAsync<InvalidOperationException>(() => temp.Reopen().OpenAsync(CancellationToken.None));

        exception.Message.ShouldContain(temp.FilePath);
        exception.Message.ShouldContain("newer than this pflow understands");
    }

    [Fact]
    public void AddSqliteStore_registers_the_store_the_ledger_and_the_value_lists_as_singletons()
    {
        using var temp = new TempStore();
        using var provider = new ServiceCollection()
            .AddSqliteStore(options => options.Path = temp.FilePath)
            .BuildServiceProvider();

        var store = provider.GetRequiredService<SqliteStore>();

        store.FilePath.ShouldBe(temp.FilePath);
        provider.GetRequiredService<IUsageLedger>().ShouldBeSameAs(provider.GetRequiredService<SqliteUsageLedger>());
        provider.GetRequiredService<IValueLists>().ShouldBeSameAs(provider.GetRequiredService<SqliteValueLists>());
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
