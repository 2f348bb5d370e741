using Microsoft.Extensions.DependencyInjection;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Plugins;
using PluggableFlows.Sdk;
using PluggableFlows.Testing;

namespace PluggableFlows.Engine.Tests.Pipeline;

/// <summary>
/// Deliveries may not reach the host's own networks unless the host's configuration allows it: checked on the address
/// actually connected to, so names that resolve to such an address are refused too.
/// </summary>
public sealed class DeliveryAddressGuardTests
{
    [Theory]
    [InlineData("http://127.0.0.1:9/leads", "127.0.0.1", "a loopback address", "PluggableFlows:Pipeline:AllowLoopbackDeliveries")]
    [InlineData("http://[::1]:9/leads", "::1", "a loopback address", "PluggableFlows:Pipeline:AllowLoopbackDeliveries")]
    [InlineData("http://localhost:9/leads", "('localhost' resolves to it)", "a loopback address", "AllowLoopbackDeliveries")]
    [InlineData("http://10.1.2.3/leads", "10.1.2.3", "a private address", "PluggableFlows:Pipeline:AllowPrivateDeliveries")]
    [InlineData("http://192.168.0.10/leads", "192.168.0.10", "a private address", "AllowPrivateDeliveries")]
    [InlineData("http://172.20.0.1/leads", "172.20.0.1", "a private address", "AllowPrivateDeliveries")]
    [InlineData("http://[fd12::1]/leads", "fd12::1", "a private (unique local) address", "AllowPrivateDeliveries")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "169.254.169.254", "a link-local address", "PluggableFlows:Pipeline:AllowedDeliveryNetworks")]
    [InlineData("http://[fe80::1]/leads", "fe80::1", "a link-local address", "AllowedDeliveryNetworks")]
    [InlineData("http://0.0.0.0:9/leads", "0.0.0.0", "an unspecified address", "AllowedDeliveryNetworks")]
    [InlineData("http://[::ffff:127.0.0.1]:9/leads", "127.0.0.1", "a loopback address", "AllowLoopbackDeliveries")]
    public async Task A_delivery_to_an_internal_address_is_an_error_naming_the_address_and_the_option(string url, string address, string kind, string option)
    {
        var invocation = await DeliverAsync(new PipelineOptions(), url);

        invocation.Result.Outcome.ShouldBe(Outcome.Error);
        invocation.Result.Reason.ShouldNotBeNull().ShouldStartWith("Refused to connect to ");
        invocation.Result.Reason.ShouldContain(address);
        invocation.Result.Reason.ShouldContain($"it is {kind}, which deliveries may not reach");
        invocation.Result.Reason.ShouldContain(option);
    }

    [Fact]
    public async Task Nothing_reaches_a_loopback_server_unless_loopback_is_allowed()
    {
        using var server = new LoopbackHttpServer(_ => new CannedResponse(200, "{}"));

        var refused = await DeliverAsync(new PipelineOptions(), $"{server.BaseUrl}leads");
        var allowed = await DeliverAsync(new PipelineOptions { AllowLoopbackDeliveries = true }, $"{server.BaseUrl}leads");

        refused.Result.Outcome.ShouldBe(Outcome.Error);
        allowed.Result.Outcome.ShouldBe(Outcome.Success, allowed.Result.Reason);
        server.Received.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_name_resolving_to_loopback_is_allowed_with_loopback()
    {
        using var server = new LoopbackHttpServer(_ => new CannedResponse(200, "{}"));

        var invocation = await DeliverAsync(new PipelineOptions { AllowLoopbackDeliveries = true }, $"http://localhost:{server.Port}/leads");

        invocation.Result.Outcome.ShouldBe(Outcome.Success, invocation.Result.Reason);
        server.Received.ShouldHaveSingleItem().Headers["Host"].ShouldBe($"localhost:{server.Port}");
    }

    [Fact]
    public async Task An_allowed_network_lets_its_addresses_through()
    {
        using var server = new LoopbackHttpServer(_ => new CannedResponse(200, "{}"));
        var options = new PipelineOptions { AllowedDeliveryNetworks = { "127.0.0.0/30" } };

        (await DeliverAsync(options, $"{server.BaseUrl}leads")).Result.Outcome.ShouldBe(Outcome.Success);
        server.Received.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Allowing_private_networks_does_not_allow_loopback_or_link_local()
    {
        var options = new PipelineOptions { AllowPrivateDeliveries = true };

        (await DeliverAsync(options, "http://127.0.0.1:9/")).Result.Reason.ShouldNotBeNull().ShouldContain("loopback");
        (await DeliverAsync(options, "http://169.254.169.254/")).Result.Reason.ShouldNotBeNull().ShouldContain("link-local");
    }

    [Fact]
    public async Task A_redirect_to_an_internal_address_is_refused_too()
    {
        using var server = new LoopbackHttpServer(_ => new CannedResponse(302, "") { Location = "http://169.254.169.254/latest/meta-data/" });
        var integration = new Delivery(new Uri($"{server.BaseUrl}leads"), "GET");

        var invocation = await InvokeAsync(new PipelineOptions { AllowLoopbackDeliveries = true }, integration);

        invocation.Result.Outcome.ShouldBe(Outcome.Error);
        invocation.Result.Reason.ShouldNotBeNull().ShouldContain("169.254.169.254");
        // The refused hop is on the transcript with no answer: nothing was sent to it.
        invocation.Transcript.Select(exchange => exchange.Status).ShouldBe([302, null]);
    }

    [Fact]
    public void A_network_that_is_not_cidr_is_a_configuration_error_naming_the_option()
    {
        var options = new PipelineOptions { AllowedDeliveryNetworks = { "10.0.0.0/33" } };

        Should.Throw<InvalidOperationException>(() => IntegrationHttpHandler.CreateGuarded(options))
            .Message.ShouldContain("PluggableFlows:Pipeline:AllowedDeliveryNetworks holds '10.0.0.0/33'");
    }

    [Fact]
    public async Task A_container_built_pipeline_guards_deliveries_but_not_add_ons()
    {
        using var server = new LoopbackHttpServer(_ => new CannedResponse(200, "{}"));
        var url = new Uri($"{server.BaseUrl}leads");
        await using var provider = new ServiceCollection()
            .AddLeadPipeline()
            .AddSingleton<IIntegrationRegistry>(new IntegrationRegistry([]))
            .BuildServiceProvider();
        var invoker = provider.GetRequiredService<IntegrationInvoker>();

        var delivery = await invoker.InvokeAsync(new Delivery(url), new IntegrationInput(new Dictionary<string, object?>()), TimeSpan.FromSeconds(10), CancellationToken.None);
        var addOn = await invoker.InvokeAsync(new Delivery(url) { Class = IntegrationClass.AddOn }, new IntegrationInput(new Dictionary<string, object?>()),
            TimeSpan.FromSeconds(10), CancellationToken.None);

        delivery.Result.Reason.ShouldNotBeNull().ShouldContain("AllowLoopbackDeliveries");
        addOn.Result.Outcome.ShouldBe(Outcome.Success, addOn.Result.Reason);
        server.Received.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_container_built_pipeline_takes_its_allowances_from_the_options()
    {
        using var server = new LoopbackHttpServer(_ => new CannedResponse(200, "{}"));
        await using var provider = new ServiceCollection()
            .AddLeadPipeline(options => options.AllowLoopbackDeliveries = true)
            .AddSingleton<IIntegrationRegistry>(new IntegrationRegistry([]))
            .BuildServiceProvider();

        var invocation = await provider.GetRequiredService<IntegrationInvoker>().InvokeAsync(new Delivery(new Uri($"{server.BaseUrl}leads")),
            new IntegrationInput(new Dictionary<string, object?>()), TimeSpan.FromSeconds(10), CancellationToken.None);

        invocation.Result.Outcome.ShouldBe(Outcome.Success, invocation.Result.Reason);
    }

    private static Task<Invocation> DeliverAsync(PipelineOptions options, string url) => InvokeAsync(options, new Delivery(new Uri(url)));

    private static async Task<Invocation> InvokeAsync(PipelineOptions options, Delivery delivery)
    {
        using var handler = IntegrationHttpHandler.CreateGuarded(options);
        var invoker = new IntegrationInvoker(handler, TimeProvider.System);
        return await invoker.InvokeAsync(delivery, new IntegrationInput(new Dictionary<string, object?>()), TimeSpan.FromSeconds(10), CancellationToken.None);
    }

    internal sealed class Delivery(Uri url, string method = "POST") : IRequestResponseIntegration
    {
        public IntegrationClass Class { get; init; } = IntegrationClass.Byoc;

        public IntegrationDescriptor Descriptor => new()
        {
            Id = "test.deliver", Name = "Deliver", Kind = IntegrationKind.Delivery, Class = Class,
        };

        public string? Validate(IntegrationInput input) => null;

        public IntegrationRequest BuildRequest(IntegrationInput input) =>
            new() { Method = method, Url = url, Body = method == "GET" ? null : "{}", ContentType = "application/json" };

        public IntegrationResult ParseResponse(IntegrationInput input, IntegrationRequest request, IntegrationResponse response) =>
            response.StatusCode == 200 ? IntegrationResult.Success() : IntegrationResult.Error($"HTTP {response.StatusCode}");
    }
}
