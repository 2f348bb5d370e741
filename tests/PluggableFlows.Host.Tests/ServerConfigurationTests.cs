using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using PluggableFlows.Testing;
using static PluggableFlows.Host.Tests.LeadServerFixture;

namespace PluggableFlows.Host.Tests;

/// <summary>Servers started with settings of their own: anonymous sources, the sample flows and docs/server.md's example.</summary>
[Collection(LeadServerCollection.Name)]
public sealed partial class ServerConfigurationTests(LeadServerFixture server)
{
    [Fact]
    public async Task Source_without_an_api_key_is_served_when_anonymous_sources_are_allowed()
    {
        var (app, address) = await StartAsync(new Dictionary<string, string?>
        {
            ["PluggableFlows:FlowsPath"] = Path.Combine(server.Root, "scripts", "flows"),
            ["PluggableFlows:DataPath"] = Path.Combine(server.Root, "data-anonymous"),
            ["PluggableFlows:AllowAnonymousSources"] = "true",
        });
        await using (app)
        {
            using var client = CreateClient(address);
            using var response = await client.SendAsync(Submit(Json("""{"first_name":"Ada"}"""), source: "open", key: null));

            response.StatusCode.ShouldBe(HttpStatusCode.Created);
        }
    }

    [Fact]
    public async Task Missing_flows_folder_stops_the_server_at_start_naming_the_setting()
    {
        var exception = await Should.ThrowAsync<InvalidOperationException>(() => StartAsync(new Dictionary<string, string?>
        {
            ["PluggableFlows:FlowsPath"] = Path.Combine(server.Root, "no-such-folder"),
            ["PluggableFlows:DataPath"] = Path.Combine(server.Root, "data-missing"),
        }));

        exception.Message.ShouldContain("PluggableFlows:FlowsPath");
    }

    [Fact]
    public async Task Docs_example_lead_succeeds_on_the_sample_flow()
    {
        var doc = await File.ReadAllTextAsync(RepoPaths.Combine("docs", "server.md"));
        var example = CurlExample().Match(doc);
        example.Success.ShouldBeTrue("docs/server.md has a curl example with -u API:<key> and -d '<json>'");
        Environment.SetEnvironmentVariable("ACME_API_KEY", example.Groups["key"].Value);
        try
        {
            var (app, address) = await StartAsync(new Dictionary<string, string?>
            {
                ["PluggableFlows:FlowsPath"] = RepoPaths.Combine("scripts", "flows"),
                ["PluggableFlows:DataPath"] = Path.Combine(server.Root, "data-sample"),
            });
            await using (app)
            {
                using var client = CreateClient(address);
                using var request = Submit(Json(example.Groups["json"].Value), source: "acme", key: example.Groups["key"].Value, flow: "auto-insurance");
                using var response = await client.SendAsync(request);

                (await SubmitTests.Answer(response)).Outcome.ShouldBe("success");
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable("ACME_API_KEY", null);
        }
    }

    [GeneratedRegex(@"curl -s -u API:(?<key>\S+) .*?-d '(?<json>\{.*?\})'", RegexOptions.Singleline)]
    private static partial Regex CurlExample();
}
