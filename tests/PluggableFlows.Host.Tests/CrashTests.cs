using System.Net;
using System.Text;
using System.Text.Json;
using PluggableFlows.Engine.Storage;
using PluggableFlows.Testing;

namespace PluggableFlows.Host.Tests;

/// <summary>The server as a process of its own, killed as a crash would kill it.</summary>
public sealed class CrashTests : IDisposable
{
    private const string Key = "crash-test-key";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pflow-crash-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    [Fact]
    public async Task Leads_answered_just_before_a_crash_are_all_in_the_store_with_every_event()
    {
        var flows = Directory.CreateDirectory(Path.Combine(_root, "flows")).FullName;
        await File.WriteAllTextAsync(Path.Combine(flows, "crash.yaml"), $$$"""
            id: crash
            fields: [first_name, email]
            sources:
              - { id: vendor, api_key: { env: PFLOW_CRASH_TEST_KEY } }
            steps:
              - key: named
                type: filter
                stop_if: { rules: [ { lhv: lead.first_name, op: is blank } ] }
                reason: A name is required
              - key: warehouse
                type: delivery
                integration: file.jsonl
                inputs:
                  path: {{{Path.Combine(_root, "deliveries.jsonl")}}}
                  lead_id: "{{ lead.id }}"
            """);
        var data = Path.Combine(_root, "data");
        var server = await HostProcess.StartAsync(new Dictionary<string, string>
        {
            ["PluggableFlows:FlowsPath"] = flows,
            ["PluggableFlows:DataPath"] = data,
            ["PFLOW_CRASH_TEST_KEY"] = Key,
        });
        string[] ids;
        await using (server)
        {
            using var client = new HttpClient { BaseAddress = server.BaseAddress };
            ids = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/flows/crash/sources/vendor/submit")
                {
                    Content = new StringContent($$"""{"first_name":"{{(i % 5 == 0 ? "" : $"Lead {i}")}}"}""", Encoding.UTF8, "application/json"),
                };
                request.Headers.Add("X-Api-Key", Key);
                using var response = await client.SendAsync(request);
                response.StatusCode.ShouldBe(HttpStatusCode.Created, server.Output);
                using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                return answer.RootElement.GetProperty("lead").GetProperty("id").GetString()!;
            }));

            // The moment the last answer is in, the process dies: no shutdown, no flush.
            await server.KillAsync();
        }

        using var store = new SqliteStore(new StoreOptions { Path = Path.Combine(data, "pflow.db") });
        var queries = new SqliteLeadQueries(store);
        foreach (var id in ids)
        {
            var lead = (await queries.GetLeadAsync(id)).ShouldNotBeNull($"lead {id} was answered but is not in the store");
            var expected = lead.Outcome == Sdk.Outcome.Success ? new[] { "named", "warehouse", null } : ["named", null];
            lead.Events.Select(e => e.StepKey).ShouldBe(expected);
        }
    }

    [Fact]
    public async Task A_delivery_retry_interrupted_by_a_crash_completes_after_a_restart_with_one_idempotency_key()
    {
        // The CRM is down until the first host has died (at least the first call and one retry refused), then takes the
        // lead. Whether the dying host got one more refused retry in before the kill depends on the jitter and the
        // machine's load, so the attempts are counted, not fixed.
        var calls = 0;
        var up = 0;
        using var crm = new LoopbackHttpServer(_ =>
        {
            Interlocked.Increment(ref calls);
            return Volatile.Read(ref up) == 0
                ? new CannedResponse(503, """{"error":"maintenance"}""")
                : new CannedResponse(200, """{"result":"accepted","id":"crm-42"}""");
        });
        var flows = Directory.CreateDirectory(Path.Combine(_root, "flows")).FullName;
        await File.WriteAllTextAsync(Path.Combine(flows, "retried.yaml"), $$$"""
            id: retried
            fields: [first_name]
            sources:
              - { id: vendor, api_key: { env: PFLOW_CRASH_TEST_KEY } }
            steps:
              - key: crm
                type: delivery
                integration: http.json
                timeout: 2s
                retry: { attempts: 6, backoff: 1s, max_backoff: 2s }
                inputs:
                  url: {{{crm.BaseUrl}}}leads
                  json_property.name: "{{ lead.first_name }}"
                  reference_path: id
            """);
        var settings = new Dictionary<string, string>
        {
            ["PluggableFlows:FlowsPath"] = flows,
            ["PluggableFlows:DataPath"] = Path.Combine(_root, "data"),
            ["PFLOW_CRASH_TEST_KEY"] = Key,
        };

        string id;
        await using (var first = await HostProcess.StartAsync(settings))
        {
            using var client = new HttpClient { BaseAddress = first.BaseAddress };
            using var request = new HttpRequestMessage(HttpMethod.Post, "/flows/retried/sources/vendor/submit")
            {
                Content = new StringContent("""{"first_name":"Ada"}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Api-Key", Key);
            using var response = await client.SendAsync(request);
            response.StatusCode.ShouldBe(HttpStatusCode.Created, first.Output);
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            id = answer.RootElement.GetProperty("lead").GetProperty("id").GetString()!;

            // The first retry has been refused and the next one is waiting in the outbox (rescheduled: due in the future,
            // so its lease is the step's, not the claim's). The process dies now.
            await WaitUntilAsync(async () =>
            {
                using var lead = JsonDocument.Parse(await client.GetStringAsync($"/leads/{id}"));
                var retry = lead.RootElement.GetProperty("retries")[0];
                return retry.GetProperty("attempts_made").GetInt32() >= 2
                    && retry.TryGetProperty("due_at", out var due) && due.GetDateTimeOffset() > DateTimeOffset.UtcNow;
            }, first);
            await first.KillAsync();
        }

        var refused = Volatile.Read(ref calls);
        refused.ShouldBeGreaterThanOrEqualTo(2, "the crash came while a retry was pending");
        Volatile.Write(ref up, 1);
        await using (var second = await HostProcess.StartAsync(settings))
        {
            using var client = new HttpClient { BaseAddress = second.BaseAddress };
            await WaitUntilAsync(async () =>
            {
                using var lead = JsonDocument.Parse(await client.GetStringAsync($"/leads/{id}"));
                return lead.RootElement.GetProperty("retries")[0].GetProperty("state").GetString() == "done";
            }, second);

            using var timeline = JsonDocument.Parse(await client.GetStringAsync($"/leads/{id}"));
            var attempts = timeline.RootElement.GetProperty("events").EnumerateArray().Where(e => e.GetProperty("step").GetString() == "crm")
                .Select(e => (e.GetProperty("attempt").GetInt32(), e.GetProperty("outcome").GetString(), e.GetProperty("final").GetBoolean()))
                .ToArray();
            // A refused call the dying host had no time to record is not in the timeline; every other one is.
            attempts.Length.ShouldBeInRange(3, refused + 1);
            attempts.ShouldBe(Enumerable.Range(1, attempts.Length)
                .Select(n => (n, (string?)(n < attempts.Length ? "error" : "success"), n == attempts.Length))
                .ToArray(), "attempts in order; only the last, the success, is final");
            timeline.RootElement.GetProperty("vars").GetProperty("crm").GetProperty("reference").GetString().ShouldBe("crm-42");
        }

        var received = crm.Received.ToArray();
        received.Length.ShouldBe(refused + 1);
        received.ShouldAllBe(r => r.Headers["Idempotency-Key"] == $"{id}:crm", "every attempt carries the same key, so the CRM can de-duplicate");
        received.ShouldAllBe(r => r.Body == """{"name":"Ada"}""");
    }

    private static Task WaitUntilAsync(Func<bool> condition, HostProcess server) => WaitUntilAsync(() => Task.FromResult(condition()), server);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, HostProcess server)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up waiting. Server output:{Environment.NewLine}{server.Output}");
            }

            await Task.Delay(100);
        }
    }
}
