using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Plugins;
using PluggableFlows.Engine.Storage;
using PluggableFlows.Engine.Tests.Pipeline;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Tests.Storage;

/// <summary>The lead log on a real SQLite file: what a lead leaves behind, group commit, and reading it back.</summary>
public sealed class SqliteLeadLogTests : IDisposable
{
    private const string Flow = """
        id: logged
        name: Logged flow
        fields: [first_name, email, phone_1, { id: ssn, type: ssn }]
        sources: [ { id: acme, name: Acme } ]
        acceptance_criteria:
          rule_set: { rules: [ { lhv: lead.email, op: is not blank } ] }
          reason: An email is required
        steps:
          - { key: lookup, type: enhancement, integration: test.lookup }
          - key: picky
            type: filter
            stop_if: { rules: [ { lhv: lookup.score, op: is less than, rhv: 50 } ] }
            reason: "Score {{ lookup.score }} is too low"
          - { key: crm, type: delivery, integration: test.crm }
        """;

    private readonly TempStore _temp = new();
    private readonly FakeIntegration _lookup = new("test.lookup", IntegrationKind.Enhancement,
        _ => IntegrationResult.Success(new Dictionary<string, object?> { ["score"] = 80 }));
    private readonly FakeIntegration _crm = new("test.crm", IntegrationKind.Delivery, _ => IntegrationResult.Success(price: 12.5m));

    public void Dispose() => _temp.Dispose();

    /// <summary>Runs one lead (email a@example.com) through the test flow into the store and reads it back.</summary>
    private async Task<StoredLead> StoreOneLeadAsync()
    {
        var flow = TestFlows.Compile(Flow, _lookup, _crm);
        await using var log = new SqliteLeadLog(_temp.Store);
        var lead = await Processor(log).ProcessAsync(flow, TestFlows.Lead("acme", ("email", "a@example.com")));
        return (await new SqliteLeadQueries(_temp.Store).GetLeadAsync(lead.LeadId)).ShouldNotBeNull();
    }

    /// <summary>The lead's timeline as the read API writes it.</summary>
    private static async Task<JsonDocument> TimelineOfAsync(StoredLead stored)
    {
        using var stream = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(stream))
        {
            TimelineJson.WriteLead(writer, stored);
        }

        return JsonDocument.Parse(stream.ToArray());
    }

    private LeadProcessor Processor(ILeadLog log) =>
        new(FieldTypeRegistry.Default, new IntegrationRegistry([_lookup, _crm]), new IntegrationInvoker(new SocketsHttpHandler(), TimeProvider.System),
            TimeProvider.System, log: log);

    [Fact]
    public async Task A_processed_lead_is_in_the_store_with_every_event_its_vars_timings_and_usage_when_processing_returns()
    {
        var flow = TestFlows.Compile(Flow, _lookup, _crm);
        LeadResult lead;
        await using (var log = new SqliteLeadLog(_temp.Store))
        {
            lead = await Processor(log).ProcessAsync(flow, TestFlows.Lead("acme", ("first_name", "Ada"), ("email", "ada@example.com"),
                ("ssn", "123-45-6789")));
            // Read before the log is closed: AppendAsync returning means committed.
            var stored = (await new SqliteLeadQueries(_temp.Store).GetLeadAsync(lead.LeadId)).ShouldNotBeNull();

            stored.Outcome.ShouldBe(Outcome.Success);
            stored.Price.ShouldBe(12.5m);
            stored.FlowId.ShouldBe("logged");
            stored.FlowVersion.ShouldBe(flow.Definition.Version);
            stored.SourceId.ShouldBe("acme");
            stored.Duration.ShouldBe(lead.Duration, TimeSpan.FromMilliseconds(0.01));
            stored.Events.Select(e => (e.Kind, e.StepKey, e.Outcome)).ShouldBe(
            [
                ("acceptance", "flow", Outcome.Success),
                ("step", "lookup", Outcome.Success),
                ("step", "picky", Outcome.Success),
                ("step", "crm", Outcome.Success),
                ("submission", null, Outcome.Success),
            ]);
            stored.Events.ShouldAllBe(e => e.FlowVersion == flow.Definition.Version && e.Final && e.Attempt == 1);
            using (var data = JsonDocument.Parse(stored.Events[1].DataJson))
            {
                data.RootElement.GetProperty("appended").GetProperty("score").GetInt32().ShouldBe(80);
            }

            using (var trace = JsonDocument.Parse(stored.Events[0].DataJson))
            {
                var rule = trace.RootElement.GetProperty("trace")[0];
                rule.GetProperty("lhv").GetString().ShouldBe("lead.email");
                rule.GetProperty("resolved_lhv").GetString().ShouldBe("ada@example.com");
            }

            // The secret field is kept masked, never as typed.
            stored.VarsJson.ShouldNotContain("123-45-6789");
            stored.VarsJson.ShouldContain("***-**-6789");
        }

        await using var connection = new SqliteConnection($"Data Source={_temp.FilePath}");
        await connection.OpenAsync();
        await using var usage = connection.CreateCommand();
        usage.CommandText = "SELECT COUNT(*) FROM usage WHERE lead_id = $id";
        usage.Parameters.AddWithValue("$id", lead.LeadId);
        ((long)(await usage.ExecuteScalarAsync())!).ShouldBe(3); // the submission and two step invocations
    }

    [Fact]
    public async Task Leads_arriving_together_share_commits_and_all_are_recorded()
    {
        var flow = TestFlows.Compile(Flow, _lookup, _crm);
        await using var log = new SqliteLeadLog(_temp.Store);
        var processor = Processor(log);

        var leads = await Task.WhenAll(Enumerable.Range(0, 400).Select(i =>
            processor.ProcessAsync(flow, TestFlows.Lead("acme", ("first_name", $"Lead {i}"), ("email", $"lead{i}@example.com")))));

        log.Leads.ShouldBe(400);
        log.Commits.ShouldBeLessThan(400, "leads waiting while a commit runs go into the next one together");
        var queries = new SqliteLeadQueries(_temp.Store);
        foreach (var lead in leads)
        {
            (await queries.GetLeadAsync(lead.LeadId)).ShouldNotBeNull().Events.Count.ShouldBe(5);
        }
    }

    [Fact]
    public async Task With_a_meter_factory_the_log_records_how_long_each_lead_waited_to_be_durable_and_each_commits_size_and_time()
    {
        var flow = TestFlows.Compile(Flow, _lookup, _crm);
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var waits = new MetricCollector<double>(meters, LeadMetrics.MeterName, "pflow.store.append.duration");
        using var commitTimes = new MetricCollector<double>(meters, LeadMetrics.MeterName, "pflow.store.commit.duration");
        using var commitSizes = new MetricCollector<int>(meters, LeadMetrics.MeterName, "pflow.store.commit.leads");
        await using var log = new SqliteLeadLog(_temp.Store, meterFactory: meters);
        var processor = Processor(log);

        await Task.WhenAll(Enumerable.Range(0, 300).Select(i =>
            processor.ProcessAsync(flow, TestFlows.Lead("acme", ("first_name", $"Lead {i}"), ("email", $"lead{i}@example.com")))));

        log.Commits.ShouldBeLessThan(300, "the leads must share commits for the sizes to mean anything");
        var sizes = commitSizes.GetMeasurementSnapshot();
        sizes.Count.ShouldBe((int)log.Commits, "one measurement per commit");
        sizes.Sum(size => size.Value).ShouldBe(300, "every lead in exactly one commit");
        sizes.ShouldContain(size => size.Value > 1);

        var times = commitTimes.GetMeasurementSnapshot().Select(m => m.Value).ToArray();
        times.Length.ShouldBe((int)log.Commits);
        times.ShouldAllBe(seconds => seconds > 0);

        // One wait per lead, and no lead is durable before the commit holding it has run: the longest wait is at least
        // the longest commit.
        var leadWaits = waits.GetMeasurementSnapshot().Select(m => m.Value).ToArray();
        leadWaits.Length.ShouldBe(300);
        leadWaits.ShouldAllBe(seconds => seconds > 0);
        leadWaits.Max().ShouldBeGreaterThanOrEqualTo(times.Max());
    }

    [Fact]
    public async Task Leads_of_different_flows_and_sources_committed_together_keep_their_own_ids_on_every_row()
    {
        var flows = new[]
        {
            TestFlows.Compile(Flow, _lookup, _crm),
            TestFlows.Compile(Flow.Replace("id: logged", "id: other").Replace("{ id: acme, name: Acme }", "{ id: beta, name: Beta }"), _lookup, _crm),
        };
        await using var log = new SqliteLeadLog(_temp.Store);
        var processor = Processor(log);

        // Runs of four leads of one flow and source, then the other's; leads stopped early (no email: two events, one
        // usage record) among full ones. Each lead's rows must carry its own id even next to a lead of the same flow.
        var leads = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => processor.ProcessAsync(flows[i / 4 % 2],
            TestFlows.Lead(i / 4 % 2 == 0 ? "acme" : "beta", ("first_name", $"L{i}"), ("email", i % 3 == 0 ? "" : $"l{i}@example.com")))));

        log.Commits.ShouldBeLessThan(200, "the leads must share commits for this test to mean anything");
        await using var connection = new SqliteConnection($"Data Source={_temp.FilePath}");
        await connection.OpenAsync();
        foreach (var (table, rows) in new[] { ("events", "SELECT b.lead_id, b.flow_id, b.source_id, b.first_seq + e.key FROM event_batches b, json_each(b.events) e"),
                     ("usage", "SELECT lead_id, flow_id, source_id, 0 FROM usage") })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = rows;
            var stored = new List<(string Lead, string Flow, string Source, long Seq)>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    stored.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
                }
            }

            var byLead = stored.ToLookup(row => row.Lead);
            foreach (var lead in leads)
            {
                var own = byLead[lead.LeadId].ToList();
                own.Count.ShouldBe(table == "events" ? lead.Events.Count : lead.Usage.Count, $"{table} of {lead.LeadId}");
                own.ShouldAllBe(row => row.Flow == lead.FlowId && row.Source == lead.SourceId, $"{table} of {lead.LeadId}");
                if (table == "events")
                {
                    own.Select(row => row.Seq).Order().ShouldBe(Enumerable.Range(0, lead.Events.Count).Select(seq => (long)seq));
                }
            }

            stored.Count.ShouldBe(leads.Sum(lead => table == "events" ? lead.Events.Count : lead.Usage.Count));
        }
    }

    [Fact]
    public async Task A_lead_that_cannot_be_written_fails_alone_and_the_others_in_its_batch_are_committed()
    {
        var flow = TestFlows.Compile(Flow, _lookup, _crm);
        var first = await Processor(NullLog.Instance).ProcessAsync(flow, TestFlows.Lead("acme", ("email", "a@example.com")));
        var second = await Processor(NullLog.Instance).ProcessAsync(flow, TestFlows.Lead("acme", ("email", "b@example.com")));
        await using var log = new SqliteLeadLog(_temp.Store);

        // The same lead twice in one batch: its id is taken the second time.
        var appends = new[] { log.AppendAsync(first).AsTask(), log.AppendAsync(second).AsTask(), log.AppendAsync(first).AsTask() };
        var failed = await Should.ThrowAsync<LeadNotRecordedException>(() => Task.WhenAll(appends));

        failed.LeadId.ShouldBe(first.LeadId);
        appends[0].IsCompletedSuccessfully.ShouldBeTrue();
        appends[1].IsCompletedSuccessfully.ShouldBeTrue();
        appends[2].IsFaulted.ShouldBeTrue();
        (await new SqliteLeadQueries(_temp.Store).GetLeadAsync(second.LeadId)).ShouldNotBeNull();
    }

    [Fact]
    public async Task A_closed_log_refuses_leads_instead_of_dropping_them()
    {
        var flow = TestFlows.Compile(Flow, _lookup, _crm);
        var log = new SqliteLeadLog(_temp.Store);
        await log.DisposeAsync();

        await Should.ThrowAsync<ObjectDisposedException>(() =>
            Processor(log).ProcessAsync(flow, TestFlows.Lead("acme", ("email", "a@example.com"))));
    }

    [Fact]
    public async Task Events_are_filtered_by_flow_source_step_outcome_and_time_and_paged_newest_first()
    {
        var flow = TestFlows.Compile(Flow, _lookup, _crm);
        await using var log = new SqliteLeadLog(_temp.Store);
        var processor = Processor(log);
        var started = DateTimeOffset.UtcNow.AddSeconds(-1);
        for (var i = 0; i < 6; i++)
        {
            // Every other lead has no email and stops at the acceptance criteria.
            await processor.ProcessAsync(flow, TestFlows.Lead("acme", ("first_name", $"L{i}"), ("email", i % 2 == 0 ? $"l{i}@example.com" : "")));
        }

        var queries = new SqliteLeadQueries(_temp.Store);
        (await queries.GetEventsAsync(new EventQuery { FlowId = "logged", StepKey = "crm" })).Events.Count.ShouldBe(3);
        (await queries.GetEventsAsync(new EventQuery { StepKey = "flow", Outcome = Outcome.Failure })).Events
            .ShouldAllBe(e => e.Reason == "An email is required");
        (await queries.GetEventsAsync(new EventQuery { Outcome = Outcome.Failure })).Events.Count.ShouldBe(6); // acceptance + submission
        (await queries.GetEventsAsync(new EventQuery { FlowId = "other" })).Events.ShouldBeEmpty();
        (await queries.GetEventsAsync(new EventQuery { SourceId = "acme", From = started })).Events.Count.ShouldBe(3 * 5 + 3 * 2);
        (await queries.GetEventsAsync(new EventQuery { To = started })).Events.ShouldBeEmpty();

        var seen = new List<long>();
        long? before = null;
        do
        {
            var page = await queries.GetEventsAsync(new EventQuery { Limit = 4, Before = before });
            page.Events.Count.ShouldBeLessThanOrEqualTo(4);
            seen.AddRange(page.Events.Select(e => e.Id));
            before = page.Next;
        }
        while (before is not null);

        seen.Count.ShouldBe(21);
        seen.ShouldBe(seen.OrderByDescending(id => id).ToList(), "newest first, no event twice, none skipped");
        seen.Distinct().Count().ShouldBe(21);
    }

    [Fact]
    public async Task A_submission_with_an_idempotency_key_is_found_within_its_window_only()
    {
        var flow = TestFlows.Compile(Flow, _lookup, _crm);
        await using var log = new SqliteLeadLog(_temp.Store);
        var lead = await Processor(log).ProcessAsync(flow, TestFlows.Lead("acme", ("email", "a@example.com")) with
        {
            Idempotency = new IdempotencyClaim("order-17", "https://example.com/thanks"),
        });
        var queries = new SqliteLeadQueries(_temp.Store);

        var answer = (await queries.FindAnswerAsync("logged", "acme", "order-17", lead.Timestamp.AddMinutes(-1))).ShouldNotBeNull();
        answer.LeadId.ShouldBe(lead.LeadId);
        answer.Outcome.ShouldBe(lead.Outcome);
        answer.Price.ShouldBe(lead.Price);
        answer.Redirect.ShouldBe("https://example.com/thanks");
        (await queries.FindAnswerAsync("logged", "acme", "order-17", lead.Timestamp.AddSeconds(1))).ShouldBeNull();
        (await queries.FindAnswerAsync("logged", "other-source", "order-17", lead.Timestamp.AddMinutes(-1))).ShouldBeNull();
        (await queries.FindAnswerAsync("logged", "acme", "order-18", lead.Timestamp.AddMinutes(-1))).ShouldBeNull();
    }

    [Fact]
    public async Task The_timeline_gives_each_event_the_vars_it_saw()
    {
        var stored = await StoreOneLeadAsync();
        using var json = await TimelineOfAsync(stored);
        var events = json.RootElement.GetProperty("events");
        events[0].GetProperty("vars").TryGetProperty("lookup", out _).ShouldBeFalse("the acceptance criteria ran before the lookup");
        events[1].GetProperty("vars").GetProperty("lookup").GetProperty("score").GetInt32().ShouldBe(80);
        events[1].GetProperty("vars").TryGetProperty("crm", out _).ShouldBeFalse();
        events[3].GetProperty("vars").GetProperty("crm").GetProperty("price").GetDecimal().ShouldBe(12.5m);
        json.RootElement.GetProperty("vars").GetProperty("lead").GetProperty("email").GetProperty("normal").GetString().ShouldBe("a@example.com");
        var timings = json.RootElement.GetProperty("timings");
        (timings.GetProperty("total_ms").GetDouble() - timings.GetProperty("provider_wait_ms").GetDouble())
            .ShouldBe(timings.GetProperty("engine_overhead_ms").GetDouble(), 0.002);
    }

    [Fact]
    public async Task An_event_is_stored_without_an_empty_appended_or_a_trace_entry_s_default_members()
    {
        var stored = await StoreOneLeadAsync();

        // The acceptance criteria appended nothing, and their one rule has no rhv and is at the top level.
        stored.Events[0].DataJson.ShouldBe(
            """{"trace":[{"lhv":"lead.email","op":"is not blank","resolved_lhv":"a@example.com","result":true}]}""");
        stored.Events[4].DataJson.ShouldBe("""{"price":12.5}""");
    }

    [Fact]
    public async Task The_timeline_shows_every_event_with_appended_and_every_trace_member()
    {
        var stored = await StoreOneLeadAsync();
        using var json = await TimelineOfAsync(stored);
        var events = json.RootElement.GetProperty("events");
        events.EnumerateArray().ShouldAllBe(e => e.GetProperty("appended").ValueKind == JsonValueKind.Object);
        events[0].GetProperty("appended").EnumerateObject().ShouldBeEmpty();
        var rule = events[0].GetProperty("trace")[0];
        rule.EnumerateObject().Select(p => p.Name).ShouldBe(["depth", "lhv", "op", "rhv", "resolved_lhv", "resolved_rhv", "result"]);
        rule.GetProperty("depth").GetInt32().ShouldBe(0);
        rule.GetProperty("rhv").ValueKind.ShouldBe(JsonValueKind.Null);
        rule.GetProperty("resolved_lhv").GetString().ShouldBe("a@example.com");
        rule.GetProperty("resolved_rhv").ValueKind.ShouldBe(JsonValueKind.Null);
        rule.GetProperty("result").GetBoolean().ShouldBeTrue();
        var filter = events[2].GetProperty("trace")[0];
        filter.GetProperty("rhv").GetString().ShouldBe("50");
        filter.GetProperty("resolved_lhv").GetString().ShouldBe("80");
    }

    private sealed class NullLog : ILeadLog
    {
        public static NullLog Instance { get; } = new();

        public ValueTask AppendAsync(LeadResult lead, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
