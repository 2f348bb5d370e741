using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PluggableFlows.Engine.Plugins;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the plugins folder.</summary>
public static class PluginsServiceCollectionExtensions
{
    /// <summary>
    /// Adds a singleton <see cref="PluginCatalog"/> over the folder <see cref="PluginFolderOptions"/> names, scanned when
    /// it is first resolved (and watched when <see cref="PluginFolderOptions.Watch"/> is on), as the container's
    /// <see cref="IIntegrationRegistry"/>. Plugins that cannot load are logged as warnings and listed in
    /// <see cref="PluginCatalog.Errors"/>; the others are served.
    /// </summary>
    public static IServiceCollection AddPluginCatalog(this IServiceCollection services, Action<PluginFolderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<PluginFolderOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(provider =>
        {
            var catalog = new PluginCatalog(provider.GetRequiredService<IOptions<PluginFolderOptions>>().Value,
                provider.GetService<TimeProvider>() ?? TimeProvider.System, provider.GetService<ILogger<PluginCatalog>>());
            catalog.Load();
            return catalog;
        });
        services.TryAddSingleton<IIntegrationRegistry>(provider => provider.GetRequiredService<PluginCatalog>());
        return services;
    }
}
