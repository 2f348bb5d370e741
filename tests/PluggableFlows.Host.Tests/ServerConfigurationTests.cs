using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Templates;
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
    public async Task Delivery_allowances_are_read_from_the_pipeline_section()
    {
        var (app, _) = await StartAsync(new Dictionary<string, string?>
        {
            ["PluggableFlows:FlowsPath"] = Path.Combine(server.Root, "scripts", "flows"),
            ["PluggableFlows:DataPath"] = Path.Combine(server.Root, "data-allowances"),
            ["PluggableFlows:Pipeline:AllowLoopbackDeliveries"] = "false",
            ["PluggableFlows:Pipeline:AllowPrivateDeliveries"] = "true",
            ["PluggableFlows:Pipeline:AllowedDeliveryNetworks:0"] = "169.254.10.0/24",
        });
        await using (app)
        {
            var options = app.Services.GetRequiredService<IOptions<PipelineOptions>>().Value;

            options.AllowLoopbackDeliveries.ShouldBeFalse();
            options.AllowPrivateDeliveries.ShouldBeTrue();
            options.AllowedDeliveryNetworks.ShouldBe(["169.254.10.0/24"]);
        }
    }

    [Fact]
    public async Task Template_budgets_are_read_from_the_templates_section()
    {
        var (app, _) = await StartAsync(new Dictionary<string, string?>
        {
            ["PluggableFlows:FlowsPath"] = Path.Combine(server.Root, "scripts", "flows"),
            ["PluggableFlows:DataPath"] = Path.Combine(server.Root, "data-templates"),
            ["PluggableFlows:Templates:LoopLimit"] = "5",
            ["PluggableFlows:Templates:Timeout"] = "00:00:00.250",
        });
        await using (app)
        {
            var templates = app.Services.GetRequiredService<TemplateEngine>().Options;

            templates.LoopLimit.ShouldBe(5);
            templates.Timeout.ShouldBe(TimeSpan.FromMilliseconds(250));
            templates.RecursionLimit.ShouldBe(new TemplateOptions().RecursionLimit, "unset budgets keep their defaults");
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

    [Fact]
    public async Task Readme_quick_start_curl_gets_201_from_the_server_serving_the_sample_flows_as_shipped()
    {
        var readme = await File.ReadAllTextAsync(RepoPaths.Combine("README.md"));
        var quickStart = readme[readme.IndexOf("## Quick start", StringComparison.Ordinal)..];
        var curl = ReadmeCurl().Match(quickStart);
        curl.Success.ShouldBeTrue("README.md's quick start has a curl command");
        var command = curl.Value.Replace("\\\n", " ", StringComparison.Ordinal);
        var url = new Uri(CurlUrl().Match(command).Value);
        url.GetLeftPart(UriPartial.Authority).ShouldBe(LeadServerOptions.DefaultUrls, "the quick start posts to the server's default address");
        var (app, address) = await StartAsync(new Dictionary<string, string?>
        {
            ["PluggableFlows:FlowsPath"] = RepoPaths.Combine("scripts", "flows"),
            ["PluggableFlows:DataPath"] = Path.Combine(server.Root, "data-readme"),
        });
        await using (app)
        {
            using var client = CreateClient(address);
            using var request = new HttpRequestMessage(HttpMethod.Post, url.PathAndQuery)
            {
                Content = new StringContent(CurlOption(command, "-d"), System.Text.Encoding.UTF8),
            };
            request.Content.Headers.ContentType = null;
            foreach (Match header in CurlHeader().Matches(command))
            {
                var (name, value) = (header.Groups["name"].Value, header.Groups["value"].Value);
                if (!request.Headers.TryAddWithoutValidation(name, value))
                {
                    request.Content.Headers.TryAddWithoutValidation(name, value).ShouldBeTrue();
                }
            }

            var user = CurlOption(command, "-u").Split(':', 2);
            request.Headers.Authorization = Basic(user[0], user[1]);
            using var response = await client.SendAsync(request);

            response.StatusCode.ShouldBe(HttpStatusCode.Created);
            var shown = Regex.Match(quickStart[curl.Index..], @"\n(\{""outcome"":""(?<outcome>\w+)"")").Groups["outcome"].Value;
            var answer = await SubmitTests.Answer(response);
            answer.Outcome.ShouldBe(shown);

            // The quick start then reads the lead's timeline: every step of the sample flow is in it, in order.
            quickStart.ShouldContain("curl -s http://127.0.0.1:5080/leads/");
            using var timeline = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync($"/leads/{answer.Id}"));
            timeline.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("step").GetString()).ShouldBe(
                ["flow", "phone_check", "email_check", "suppressed", "reachable", "served_states", "eligibility", "warehouse", null]);
        }
    }

    // The value of a curl option written as -x 'value' or -x value.
    private static string CurlOption(string command, string option) =>
        Regex.Match(command, $@"\s{option} (?:'(?<value>[^']*)'|(?<value>\S+))").Groups["value"].Value;

    [GeneratedRegex(@"curl .*?\n(?!\s)", RegexOptions.Singleline)]
    private static partial Regex ReadmeCurl();

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex CurlUrl();

    [GeneratedRegex(@"-H '(?<name>[^:']+):\s*(?<value>[^']*)'")]
    private static partial Regex CurlHeader();

    [GeneratedRegex(@"curl -s -u API:(?<key>\S+) .*?-d '(?<json>\{.*?\})'", RegexOptions.Singleline)]
    private static partial Regex CurlExample();
}
