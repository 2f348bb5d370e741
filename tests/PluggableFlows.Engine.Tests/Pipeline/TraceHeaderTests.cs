using System.Diagnostics;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Sdk;
using PluggableFlows.Testing;

namespace PluggableFlows.Engine.Tests.Pipeline;

/// <summary>
/// A recipient gets what the step's request says and nothing from the host's tracing: the server runs every lead inside
/// ASP.NET Core's request activity, and .NET's HTTP client would otherwise add <c>traceparent</c> to each delivery.
/// </summary>
public sealed class TraceHeaderTests
{
    [Theory]
    [InlineData(IntegrationClass.Byoc)]
    [InlineData(IntegrationClass.AddOn)]
    public async Task A_request_sent_inside_an_activity_carries_no_trace_headers(IntegrationClass integrationClass)
    {
        using var server = new LoopbackHttpServer(_ => new CannedResponse(200, "{}"));
        using var source = new ActivitySource("PluggableFlows.Tests.TraceHeaders");
        using var listener = new ActivityListener
        {
            ShouldListenTo = candidate => candidate == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var handler = integrationClass == IntegrationClass.AddOn
            ? IntegrationHttpHandler.CreateUnguarded()
            : IntegrationHttpHandler.CreateGuarded(new PipelineOptions { AllowLoopbackDeliveries = true });
        var invoker = new IntegrationInvoker(handler, TimeProvider.System);

        using (var activity = source.StartActivity("lead"))
        {
            activity.ShouldNotBeNull();
            var invocation = await invoker.InvokeAsync(new DeliveryAddressGuardTests.Delivery(new Uri($"{server.BaseUrl}leads")) { Class = integrationClass },
                new IntegrationInput(new Dictionary<string, object?>()), TimeSpan.FromSeconds(10), CancellationToken.None);
            invocation.Result.Outcome.ShouldBe(Outcome.Success, invocation.Result.Reason);
        }

        var headers = server.Received.ShouldHaveSingleItem().Headers;
        headers.Keys.ShouldNotContain(name => name.Equals("traceparent", StringComparison.OrdinalIgnoreCase)
            || name.Equals("tracestate", StringComparison.OrdinalIgnoreCase) || name.Equals("Request-Id", StringComparison.OrdinalIgnoreCase));
    }
}
