using Microsoft.Extensions.DependencyInjection;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Plugins;
using PluggableFlows.Engine.Storage;
using PluggableFlows.Sdk;
using PluggableFlows.Testing;

namespace PluggableFlows.Engine.Tests.Pipeline;

/// <summary>The pipeline as a host wires it: HTTP through IHttpClientFactory, usage into the SQLite store.</summary>
public sealed class PipelineServicesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pflow-services-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_container_built_lead_pipeline_calls_providers_through_the_http_client_factory_and_records_usage()
    {
        using var server = new LoopbackHttpServer(request => new CannedResponse(200, "{}"));
        var lookup = new Ping(new Uri(server.BaseUrl, "ping"));
        var services = new ServiceCollection()
            .AddLeadPipeline(options =>
            {
                options.TraceRules = false;
                // Tests deliver to stubs on loopback, which the host refuses by default.
                options.AllowLoopbackDeliveries = true;
            })
            .AddSqliteStore(options => options.Path = Path.Combine(_folder, "pflow.db"))
            .AddSingleton<IIntegrationRegistry>(new IntegrationRegistry([lookup]));
        await using var provider = services.BuildServiceProvider();
        var flow = TestFlows.Compile("""
            id: wired
            sources: [ { id: acme } ]
            steps:
              - { key: ping, type: enhancement, integration: test.ping }
            """, lookup);

        var result = await provider.GetRequiredService<LeadProcessor>().ProcessAsync(flow, TestFlows.Lead("acme"));

        server.Received.ShouldHaveSingleItem().Method.ShouldBe("POST");
        result.Events.Single(e => e.StepKey == "ping").Transcript.ShouldHaveSingleItem().Status.ShouldBe(200);
        var report = await provider.GetRequiredService<SqliteUsageLedger>().GetReportAsync(DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue.AddYears(-1));
        report.Totals.Submissions.ShouldBe(1);
        report.Totals.StepInvocations.ShouldBe(1);
    }

    private sealed class Ping(Uri url) : IRequestResponseIntegration
    {
        public IntegrationDescriptor Descriptor { get; } = new() { Id = "test.ping", Name = "Ping", Kind = IntegrationKind.Enhancement };

        public string? Validate(IntegrationInput input) => null;

        public IntegrationRequest BuildRequest(IntegrationInput input) => new() { Method = "POST", Url = url, Body = "ping", ContentType = "text/plain" };

        public IntegrationResult ParseResponse(IntegrationInput input, IntegrationRequest request, IntegrationResponse response) =>
            response.StatusCode == 200 ? IntegrationResult.Success() : IntegrationResult.Error($"HTTP {response.StatusCode}");
    }
}
