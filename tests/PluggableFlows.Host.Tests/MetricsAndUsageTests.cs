using System.Net;
using System.Text.Json;
using static PluggableFlows.Host.Tests.LeadServerFixture;

namespace PluggableFlows.Host.Tests;

/// <summary>GET /metrics and GET /usage on a server of their own, so the counts are exactly the test's leads.</summary>
[Collection(LeadServerCollection.Name)]
public sealed class MetricsAndUsageTests(LeadServerFixture server)
{
    [Fact]
    public async Task Metrics_and_usage_count_the_leads_submitted_by_outcome()
    {
        var (app, address) = await StartAsync(new Dictionary<string, string?>
        {
            ["PluggableFlows:FlowsPath"] = Path.Combine(server.Root, "scripts", "flows"),
            ["PluggableFlows:DataPath"] = Path.Combine(server.Root, $"data-metrics-{Guid.NewGuid():N}"),
        });
        await using (app)
        {
            using var client = CreateClient(address);
            for (var i = 0; i < 3; i++)
            {
                using var accepted = await client.SendAsync(Submit(Json($$"""{"first_name":"Metered {{i}}"}""")));
                accepted.StatusCode.ShouldBe(HttpStatusCode.Created);
            }

            using (var stopped = await client.SendAsync(Submit(Json("""{"first_name":"stop"}"""))))
            {
                stopped.StatusCode.ShouldBe(HttpStatusCode.Created);
            }

            var scrape = await client.GetStringAsync("/metrics");
            scrape.ShouldContain("pflow_leads_total{");
            // Only this flow's series: the metrics listener hears every in-process server's meter of the same name, and
            // other test classes run servers (of other flows) alongside this one.
            Sample(scrape, "pflow_leads_total", "outcome=\"success\"", ThisFlow).ShouldBe(3);
            Sample(scrape, "pflow_leads_total", "outcome=\"failure\"", ThisFlow).ShouldBe(1);
            Sample(scrape, "pflow_step_duration_seconds_count", "step=\"warehouse\"", ThisFlow).ShouldBe(3);
            Sample(scrape, "pflow_step_duration_seconds_count", "step=\"stopper\"", ThisFlow).ShouldBe(4);
            scrape.ShouldContain("pflow_lead_engine_overhead_seconds_bucket{");
            // The lead log's series carry no flow (one store serves every flow), so other servers' leads may add to them.
            Sample(scrape, "pflow_store_append_duration_seconds_count").ShouldBeGreaterThanOrEqualTo(4);
            Sample(scrape, "pflow_store_commit_leads_sum").ShouldBeGreaterThanOrEqualTo(4);
            Sample(scrape, "pflow_store_commit_duration_seconds_count").ShouldBeGreaterThanOrEqualTo(1);

            using var usage = JsonDocument.Parse(await client.GetStringAsync("/usage"));
            var totals = usage.RootElement.GetProperty("totals");
            totals.GetProperty("submissions").GetInt64().ShouldBe(4);
            totals.GetProperty("step_invocations").GetInt64().ShouldBe(3, "the delivery ran for the three leads the filter let through");
        }
    }

    private const string ThisFlow = "flow=\"test\"";

    // The sum of the samples of `name` whose labels include every one of `labels` (one series per combination of the others).
    private static double Sample(string scrape, string name, params string[] labels)
    {
        var lines = scrape.Split('\n').Where(l => l.StartsWith(name + "{", StringComparison.Ordinal)
            && labels.All(label => l.Contains(label, StringComparison.Ordinal))).ToArray();
        lines.ShouldNotBeEmpty($"no {name} sample with {string.Join(", ", labels)} in:{Environment.NewLine}{scrape}");
        return lines.Sum(line => double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));
    }
}
