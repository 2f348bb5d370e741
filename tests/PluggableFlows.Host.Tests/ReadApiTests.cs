using System.Net;
using System.Text.Json;

namespace PluggableFlows.Host.Tests;

/// <summary>GET /flows, /flows/{id}, /plugins and /usage's errors on a real server.</summary>
[Collection(LeadServerCollection.Name)]
public sealed class ReadApiTests(LeadServerFixture server)
{
    [Fact]
    public async Task Flows_lists_the_served_flow_with_its_version_sources_and_steps_but_not_the_broken_one()
    {
        using var flows = await GetJson("/flows", HttpStatusCode.OK);

        var flow = flows.RootElement.GetProperty("flows").EnumerateArray().ShouldHaveSingleItem();
        flow.GetProperty("id").GetString().ShouldBe("test");
        flow.GetProperty("name").GetString().ShouldBe("Test flow");
        flow.GetProperty("version").GetString().ShouldBe(FlowVersion());
        flow.GetProperty("file").GetString().ShouldBe(Path.Combine(server.Root, "scripts", "flows", "test.yaml"));
        flow.GetProperty("sources").EnumerateArray().Select(s => (s.GetProperty("id").GetString(), s.GetProperty("has_key").GetBoolean()))
            .ShouldBe([("vendor", true), ("web", true), ("open", false)]);
        flow.GetProperty("steps").EnumerateArray()
            .Select(s => (s.GetProperty("key").GetString(), s.GetProperty("type").GetString(), s.GetProperty("integration").GetString()))
            .ShouldBe([("stopper", "filter", null), ("warehouse", "delivery", "file.jsonl")]);
    }

    [Fact]
    public async Task One_flow_is_answered_by_id()
    {
        using var flow = await GetJson("/flows/test", HttpStatusCode.OK);

        flow.RootElement.GetProperty("id").GetString().ShouldBe("test");
        flow.RootElement.GetProperty("version").GetString().ShouldBe(FlowVersion());
    }

    [Theory]
    [InlineData("/flows/unknown")]
    [InlineData("/flows/broken")]
    public async Task A_flow_not_served_is_404_with_a_reason(string path)
    {
        using var error = await GetJson(path, HttpStatusCode.NotFound);

        error.RootElement.GetProperty("error").GetString()!.ShouldContain("is served here");
    }

    [Fact]
    public async Task Plugins_lists_the_first_party_plugins_with_add_on_costs()
    {
        using var plugins = await GetJson("/plugins", HttpStatusCode.OK);

        var all = plugins.RootElement.GetProperty("plugins").EnumerateArray().ToArray();
        all.Select(p => p.GetProperty("name").GetString()).ShouldContain("phone");
        all.ShouldAllBe(p => !string.IsNullOrEmpty(p.GetProperty("version").GetString()) && !string.IsNullOrEmpty(p.GetProperty("folder").GetString()));
        var integrations = all.SelectMany(p => p.GetProperty("integrations").EnumerateArray()).ToDictionary(i => i.GetProperty("id").GetString()!);
        var phone = integrations["phone.verify"];
        phone.GetProperty("kind").GetString().ShouldBe("enhancement");
        phone.GetProperty("class").GetString().ShouldBe("add-on");
        phone.GetProperty("cost_per_transaction").GetDecimal().ShouldBeGreaterThan(0m);
        phone.GetProperty("request_variables").EnumerateArray().Select(v => v.GetProperty("name").GetString()).ShouldContain("phone");
        phone.GetProperty("response_variables").GetArrayLength().ShouldBeGreaterThan(0);
        var jsonl = integrations["file.jsonl"];
        jsonl.GetProperty("class").GetString().ShouldBe("byoc");
        jsonl.GetProperty("cost_per_transaction").ValueKind.ShouldBe(JsonValueKind.Null);
        plugins.RootElement.GetProperty("errors").GetArrayLength().ShouldBe(0);
    }

    [Theory]
    [InlineData("/usage?from=yesterday")]
    [InlineData("/usage?to=2026-13-45")]
    [InlineData("/usage?from=2026-05-02&to=2026-05-01")]
    public async Task Usage_with_a_bad_period_is_400_with_a_reason(string path)
    {
        using var error = await GetJson(path, HttpStatusCode.BadRequest);

        error.RootElement.GetProperty("error").GetString().ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task Health_is_still_served()
    {
        using var health = await GetJson("/health", HttpStatusCode.OK);

        health.RootElement.GetProperty("flows").GetInt32().ShouldBe(1);
        health.RootElement.GetProperty("flow_errors").GetInt32().ShouldBe(1);
    }

    private async Task<JsonDocument> GetJson(string path, HttpStatusCode expected)
    {
        using var response = await server.Client.GetAsync(path);
        response.StatusCode.ShouldBe(expected);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    // flow.version is the content hash of the file: the first 12 hex digits of its SHA-256.
    private string FlowVersion() =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(server.Root, "scripts", "flows", "test.yaml"))))[..12];
}
