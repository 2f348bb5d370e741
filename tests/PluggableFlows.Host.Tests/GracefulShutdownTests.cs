using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace PluggableFlows.Host.Tests;

/// <summary>Stopping the server: leads already running finish and are answered; new ones are told to come back.</summary>
public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task Lead_in_flight_when_the_server_stops_finishes_and_gets_its_answer_while_new_ones_get_503()
    {
        using var provider = new HeldProvider();
        await using var server = new ScratchServer();
        await server.WriteFlowAsync("slow.yaml", server.Flow("slow", "stopped", provider.Step));
        await server.StartAsync();
        var drain = server.App.Services.GetRequiredService<SubmissionDrain>();

        var lead = server.SubmitAsync("slow", "Ada");
        await provider.Arrived;
        var stopping = server.App.StopAsync();
        await WaitUntilAsync(() => drain.IsDraining);

        using (var late = LeadServerFixture.CreateClient(server.Client.BaseAddress!))
        using (var refused = await late.SendAsync(LeadServerFixture.Submit(LeadServerFixture.Json("""{"first_name":"Grace"}"""),
            source: "vendor", key: ScratchServer.Key, flow: "slow")))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            refused.Headers.RetryAfter.ShouldNotBeNull().Delta.ShouldBe(TimeSpan.FromSeconds(SubmissionDrain.RetryAfterSeconds));
            (await SubmitTests.Error(refused)).ShouldContain("shutting down");
        }

        using (var late = LeadServerFixture.CreateClient(server.Client.BaseAddress!))
        using (var health = await late.GetAsync(new Uri("/health", UriKind.Relative)))
        {
            health.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            (await health.Content.ReadAsStringAsync()).ShouldContain("\"status\":\"stopping\"");
        }

        stopping.IsCompleted.ShouldBeFalse("stopping waits for the lead in flight");
        provider.Release();
        using var response = await lead;
        var answer = await SubmitTests.Answer(response);
        await stopping;

        answer.Outcome.ShouldBe("success");
        File.ReadLines(server.Deliveries).ShouldContain(line => line.Contains(answer.Id, StringComparison.Ordinal));
        drain.InFlight.ShouldBe(0);
    }

    [Fact]
    public async Task Lead_in_flight_during_a_reload_finishes_on_the_version_it_started_with()
    {
        using var provider = new HeldProvider();
        await using var server = new ScratchServer();
        await server.WriteFlowAsync("slow.yaml", server.Flow("slow", "stopped by v1", provider.Step));
        await server.StartAsync();
        var started = FlowReloadTests.VersionOf(server, "slow");

        var lead = server.SubmitAsync("slow", "Ada");
        await provider.Arrived;
        var generation = server.HostedFlows.Generation;
        await server.WriteFlowAsync("slow.yaml", server.Flow("slow", "stopped by v2"));
        await server.WaitForReloadAsync(generation);
        provider.Release();
        using var response = await lead;
        var answer = await SubmitTests.Answer(response);

        FlowReloadTests.VersionOf(server, "slow").ShouldNotBe(started);
        FlowReloadTests.DeliveredVersion(server, answer.Id).ShouldBe(started);
    }

    [Fact]
    public async Task Shutdown_timeout_setting_is_the_hosts_shutdown_timeout()
    {
        await using var server = new ScratchServer();
        await server.StartAsync(new Dictionary<string, string?> { ["PluggableFlows:ShutdownTimeout"] = "00:00:07" });

        server.App.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout.ShouldBe(TimeSpan.FromSeconds(7));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
