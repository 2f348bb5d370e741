using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PluggableFlows.Host.Tests;

/// <summary>
/// A real lead server on Kestrel, bound to 127.0.0.1 on a port the system picks, serving a test flow from a temporary
/// scripts folder with the first-party plugins from plugins/ next to the tests.
/// </summary>
public sealed class LeadServerFixture : IAsyncLifetime
{
    public const string EnvKey = "env-source-key";
    public const string FileKey = "file-source-key";

    private readonly string _keyVariable = $"PFLOW_HOST_TEST_KEY_{Guid.NewGuid():N}";
    private WebApplication? _app;

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "pflow-host-tests", Guid.NewGuid().ToString("N"));

    public string Deliveries => Path.Combine(Root, "deliveries.jsonl");

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>The running server's services (its store, to check what it recorded).</summary>
    public IServiceProvider Services => _app!.Services;

    public async Task InitializeAsync()
    {
        var flows = Directory.CreateDirectory(Path.Combine(Root, "scripts", "flows")).FullName;
        Directory.CreateDirectory(Path.Combine(flows, "keys"));
        await File.WriteAllTextAsync(Path.Combine(flows, "keys", "web.key"), FileKey + "\n");
        await File.WriteAllTextAsync(Path.Combine(flows, "test.yaml"), $$$"""
            id: test
            name: Test flow
            fields:
              - first_name
              - email
              - phone_1
              - state
              - city
              - { id: vehicle_year, type: number }
            sources:
              - id: vendor
                name: Vendor
                api_key: { env: {{{_keyVariable}}} }
                mappings: { "address.city": city, Phone: phone_1 }
              - id: web
                name: Web form
                api_key: { file: keys/web.key }
              - id: open
                name: No key
            steps:
              - key: stopper
                type: filter
                stop_if:
                  rules:
                    - { lhv: lead.first_name, op: is equal to, rhv: stop }
                reason: "stopped {{ lead.first_name }} from {{ lead.city }}, {{ lead.state }} ({{ lead.vehicle_year }})"
              - key: warehouse
                type: delivery
                integration: file.jsonl
                inputs:
                  path: {{{Deliveries}}}
                  lead_id: "{{ lead.id }}"
                  first_name: "{{ lead.first_name }}"
            """);
        // A flow with a mistake is logged and not served; the good one still is.
        await File.WriteAllTextAsync(Path.Combine(flows, "broken.yaml"), "id: broken\nsteps:\n  - key: x\n    type: nonsense\n");
        Environment.SetEnvironmentVariable(_keyVariable, EnvKey);

        (_app, BaseAddress) = await StartAsync(new Dictionary<string, string?>
        {
            ["PluggableFlows:FlowsPath"] = flows,
            ["PluggableFlows:DataPath"] = Path.Combine(Root, "data"),
        });
        // Redirects are what some tests check, so they are not followed.
        Client = CreateClient(BaseAddress);
    }

    /// <summary>Starts a server on 127.0.0.1 with a port the system picks, plugins not watched, and the given settings;
    /// its log goes to <paramref name="log"/> when given.</summary>
    public static async Task<(WebApplication App, Uri BaseAddress)> StartAsync(IDictionary<string, string?> settings, ILoggerProvider? log = null)
    {
        var app = LeadServer.Build([], builder =>
        {
            // The stub CRMs and providers tests deliver to listen on loopback, which a host refuses by default; a test may
            // say otherwise.
            var configuration = new Dictionary<string, string?> { ["PluggableFlows:Pipeline:AllowLoopbackDeliveries"] = "true" };
            foreach (var (key, value) in settings)
            {
                configuration[key] = value;
            }

            configuration["Urls"] = "http://127.0.0.1:0";
            configuration["PluggableFlows:WatchPlugins"] = "false";
            builder.Configuration.AddInMemoryCollection(configuration);
            builder.Logging.ClearProviders();
            if (log is not null)
            {
                builder.Logging.AddProvider(log);
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return (app, new Uri(address));
    }

    public static HttpClient CreateClient(Uri baseAddress) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = baseAddress };

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Environment.SetEnvironmentVariable(_keyVariable, null);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Root, recursive: true);
    }

    /// <summary>A submit request to the test flow, authenticated with X-Api-Key unless told otherwise.</summary>
    public static HttpRequestMessage Submit(HttpContent? content, string source = "vendor", string? key = EnvKey, string flow = "test", string query = "")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/flows/{flow}/sources/{source}/submit{query}") { Content = content };
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return request;
    }

    public static HttpContent Json(string json) => new StringContent(json, Encoding.UTF8, "application/json");

    public static HttpContent Bytes(byte[] body, string? contentType)
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return content;
    }

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}

[CollectionDefinition(Name)]
public sealed class LeadServerCollection : ICollectionFixture<LeadServerFixture>
{
    public const string Name = "lead server";
}
