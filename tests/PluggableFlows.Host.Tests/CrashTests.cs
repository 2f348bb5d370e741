using System.Net;
using System.Text;
using System.Text.Json;
using PluggableFlows.Engine.Storage;

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
}
