using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Plugins;
using PluggableFlows.Engine.Storage;
using PluggableFlows.Engine.Templates;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Pipeline;

/// <summary>Registers the lead pipeline: the processor, the integration invoker on <see cref="IHttpClientFactory"/>,
/// secrets, add-on accounts, the metrics (<see cref="LeadMetrics"/>) and (unless a store registered one) a ledger that
/// keeps nothing.</summary>
public static class PipelineServiceCollectionExtensions
{
    /// <summary>The named HTTP client deliveries and BYOC integrations are called through (address-guarded, see
    /// <see cref="IntegrationHttpHandler.CreateGuarded"/>).</summary>
    public const string HttpClientName = "pflow.integrations";

    /// <summary>The named HTTP client add-ons are called through: their endpoints are the operator's, so unguarded.</summary>
    public const string AddOnHttpClientName = "pflow.addons";

    /// <summary>Adds the pipeline. Register an <see cref="IIntegrationRegistry"/> (a <see cref="PluginCatalog"/>, or an
    /// <see cref="IntegrationRegistry"/>) too; register a store (<c>AddSqliteStore</c>) to keep usage and value lists.</summary>
    public static IServiceCollection AddLeadPipeline(this IServiceCollection services, Action<PipelineOptions>? configure = null,
        Action<IntegrationInvokerOptions>? configureInvoker = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddFieldTypes();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<PipelineOptions>().Configure(options => configure?.Invoke(options));
        services.AddOptions<IntegrationInvokerOptions>().Configure(options => configureInvoker?.Invoke(options));
        // The recording handler keeps every exchange on the step's event; the factory's own per-request logging would
        // only repeat it, on the hot path.
        services.AddHttpClient(HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(provider =>
                IntegrationHttpHandler.CreateGuarded(provider.GetRequiredService<IOptions<PipelineOptions>>().Value))
            .AddHttpMessageHandler(provider => new RecordingHandler(provider.GetRequiredService<TimeProvider>()))
            .RemoveAllLoggers();
        services.AddHttpClient(AddOnHttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(IntegrationHttpHandler.CreateUnguarded)
            .AddHttpMessageHandler(provider => new RecordingHandler(provider.GetRequiredService<TimeProvider>()))
            .RemoveAllLoggers();
        services.AddOptions<TemplateOptions>();
        services.TryAddSingleton(provider => new TemplateEngine(provider.GetRequiredService<IOptions<TemplateOptions>>().Value,
            provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<FieldTypeRegistry>()));
        services.TryAddSingleton<ISecretResolver, EnvironmentSecretResolver>();
        services.TryAddSingleton<IAddOnAccounts>(_ => new AddOnAccounts());
        services.AddMetrics();
        services.TryAddSingleton<LeadMetrics>();
        services.TryAddSingleton(provider => new IntegrationInvoker(
            provider.GetRequiredService<IHttpClientFactory>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<IOptions<IntegrationInvokerOptions>>().Value,
            provider.GetService<IValueLists>()));
        services.TryAddSingleton(provider => new LeadProcessor(
            provider.GetRequiredService<FieldTypeRegistry>(),
            provider.GetRequiredService<IIntegrationRegistry>(),
            provider.GetRequiredService<IntegrationInvoker>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<IOptions<PipelineOptions>>().Value,
            provider.GetRequiredService<ISecretResolver>(),
            provider.GetRequiredService<IAddOnAccounts>(),
            // Registration order must not matter: a store added after the pipeline still gets the usage.
            provider.GetService<IUsageLedger>() ?? NullUsageLedger.Instance,
            provider.GetService<ILeadLog>()));
        return services;
    }
}
