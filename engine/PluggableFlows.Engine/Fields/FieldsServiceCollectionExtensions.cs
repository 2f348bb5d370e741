using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PluggableFlows.Engine.Fields;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers lead field types.</summary>
public static class FieldsServiceCollectionExtensions
{
    /// <summary>
    /// Adds a singleton <see cref="FieldTypeRegistry"/> built from <see cref="FieldParsingOptions"/> and the
    /// container's <see cref="TimeProvider"/> (the system clock when none is registered).
    /// </summary>
    public static IServiceCollection AddFieldTypes(this IServiceCollection services, Action<FieldParsingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<FieldParsingOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(provider => new FieldTypeRegistry(
            provider.GetRequiredService<IOptions<FieldParsingOptions>>().Value,
            provider.GetService<TimeProvider>() ?? TimeProvider.System));
        return services;
    }
}
