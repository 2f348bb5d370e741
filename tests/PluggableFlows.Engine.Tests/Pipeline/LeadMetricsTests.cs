using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Plugins;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Tests.Pipeline;

/// <summary>What <see cref="LeadMetrics"/> records from a finished lead, read back through the meter it registers.</summary>
public sealed class LeadMetricsTests : IDisposable
{
    private const string Flow = """
        id: metered
        fields: [email]
        sources: [ { id: acme } ]
        steps:
          - { key: verify, type: enhancement, integration: email.check }
          - { key: junk, type: filter, stop_if: { rules: [ { lhv: lead.email, op: is equal to, rhv: junk@example.com } ] }, reason: junk }
          - { key: crm, type: delivery, integration: crm.post }
        """;

    private readonly FakeIntegration _check = new("email.check", IntegrationKind.Enhancement, _ => IntegrationResult.Error("Provider timed out"));
    private readonly FakeIntegration _crm = new("crm.post", IntegrationKind.Delivery, _ => IntegrationResult.Success());
    private readonly ServiceProvider _services;
    private readonly LeadMetrics _metrics;
    private readonly CompiledFlow _flow;

    public LeadMetricsTests()
    {
        _services = new ServiceCollection()
            .AddSingleton<IIntegrationRegistry>(new IntegrationRegistry([_check, _crm]))
            .AddLeadPipeline()
            .BuildServiceProvider();
        _metrics = _services.GetRequiredService<LeadMetrics>();
        _flow = TestFlows.Compile(Flow, _check, _crm);
    }

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task Leads_are_counted_by_flow_source_and_outcome()
    {
        using var leads = Collector<long>("pflow.leads");

        _metrics.Record(_flow, await Run("ada@example.com"));
        _metrics.Record(_flow, await Run("junk@example.com"));
        _metrics.Record(_flow, await Run("grace@example.com"));

        var measurements = leads.GetMeasurementSnapshot();
        measurements.Count.ShouldBe(3);
        measurements.ShouldAllBe(m => m.Value == 1 && m.ContainsTags(new KeyValuePair<string, object?>("flow", "metered"), new KeyValuePair<string, object?>("source", "acme")));
        measurements.Count(m => m.ContainsTags(new KeyValuePair<string, object?>("outcome", "success"))).ShouldBe(2);
        measurements.Count(m => m.ContainsTags(new KeyValuePair<string, object?>("outcome", "failure"))).ShouldBe(1);
    }

    [Fact]
    public async Task Lead_duration_is_the_submissions_and_engine_overhead_is_that_minus_provider_wait()
    {
        using var duration = Collector<double>("pflow.lead.duration");
        using var overhead = Collector<double>("pflow.lead.engine_overhead");
        var lead = WithSubmission(await Run("ada@example.com"), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(500));

        _metrics.Record(_flow, lead);

        duration.LastMeasurement.ShouldNotBeNull().Value.ShouldBe(2.0);
        overhead.LastMeasurement.ShouldNotBeNull().Value.ShouldBe(1.5);
    }

    [Fact]
    public async Task Every_step_that_ran_is_timed_with_its_flow_step_type_integration_and_outcome()
    {
        using var steps = Collector<double>("pflow.step.duration");

        _metrics.Record(_flow, await Run("ada@example.com"));

        steps.GetMeasurementSnapshot()
            .Select(m => (Tag(m, "flow"), Tag(m, "step"), Tag(m, "type"), Tag(m, "integration"), Tag(m, "outcome")))
            .OrderBy(t => t.Item2, StringComparer.Ordinal)
            .ShouldBe(
            [
                ("metered", "crm", "delivery", "crm.post", "success"),
                ("metered", "junk", "filter", "", "success"),
                ("metered", "verify", "enhancement", "email.check", "error"),
            ]);
    }

    [Fact]
    public async Task Step_errors_are_counted_by_flow_step_and_integration()
    {
        using var errors = Collector<long>("pflow.step.errors");

        _metrics.Record(_flow, await Run("ada@example.com"));

        var error = errors.GetMeasurementSnapshot().ShouldHaveSingleItem();
        error.Value.ShouldBe(1);
        error.Tags.ShouldBe(new Dictionary<string, object?> { ["flow"] = "metered", ["step"] = "verify", ["integration"] = "email.check" }, ignoreOrder: true);
    }

    [Fact]
    public async Task Provider_wait_is_recorded_by_integration_only_for_steps_that_called_a_provider()
    {
        using var provider = Collector<double>("pflow.provider.duration");
        var lead = await Run("ada@example.com");
        // The fake integrations make no HTTP call, so no step waited on a provider; give the delivery a wait as an
        // HTTP exchange would.
        lead = lead with
        {
            Events = lead.Events.Select(e => e.StepKey == "crm" ? e with { ProviderWait = TimeSpan.FromMilliseconds(250) } : e).ToArray(),
        };

        _metrics.Record(_flow, lead);

        var measurement = provider.GetMeasurementSnapshot().ShouldHaveSingleItem();
        measurement.Value.ShouldBe(0.25);
        measurement.Tags.ShouldBe(new Dictionary<string, object?> { ["integration"] = "crm.post" }, ignoreOrder: true);
    }

    private MetricCollector<T> Collector<T>(string instrument)
        where T : struct =>
        new(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), LeadMetrics.MeterName, instrument);

    private Task<LeadResult> Run(string email) =>
        _services.GetRequiredService<LeadProcessor>().ProcessAsync(_flow, TestFlows.Lead("acme", ("email", email)));

    private static LeadResult WithSubmission(LeadResult lead, TimeSpan duration, TimeSpan providerWait) => lead with
    {
        Events = lead.Events.Select(e => e.Kind == EventKind.Submission ? e with { Duration = duration, ProviderWait = providerWait } : e).ToArray(),
    };

    private static string? Tag<T>(CollectedMeasurement<T> measurement, string name)
        where T : struct =>
        measurement.Tags.TryGetValue(name, out var value) ? value as string : null;
}
