using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PluggableFlows.Engine.Storage;
using PluggableFlows.Sdk;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the embedded SQLite store.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Adds a singleton <see cref="SqliteStore"/> configured by <see cref="StoreOptions"/>, and over it the usage ledger
    /// (<see cref="IUsageLedger"/>, <see cref="SqliteUsageLedger"/>) and value lists (<see cref="IValueLists"/>,
    /// <see cref="SqliteValueLists"/>, timed by the container's <see cref="TimeProvider"/>, the system clock when none), the lead log
    /// (<see cref="ILeadLog"/>, <see cref="SqliteLeadLog"/>: leads, events, usage, retries and idempotency keys, group-committed)
    /// and its reader (<see cref="SqliteLeadQueries"/>). The lead log records its metrics through the container's
    /// <see cref="IMeterFactory"/>, when there is one.
    /// </summary>
    public static IServiceCollection AddSqliteStore(this IServiceCollection services, Action<StoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<StoreOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(provider => new SqliteStore(provider.GetRequiredService<IOptions<StoreOptions>>().Value));
        services.TryAddSingleton(provider => new SqliteUsageLedger(provider.GetRequiredService<SqliteStore>()));
        services.TryAddSingleton<IUsageLedger>(provider => provider.GetRequiredService<SqliteUsageLedger>());
        services.TryAddSingleton(provider => new SqliteLeadLog(provider.GetRequiredService<SqliteStore>(),
            provider.GetService<Microsoft.Extensions.Logging.ILogger<SqliteLeadLog>>(), meterFactory: provider.GetService<IMeterFactory>()));
        services.TryAddSingleton<ILeadLog>(provider => provider.GetRequiredService<SqliteLeadLog>());
        services.TryAddSingleton(provider => new SqliteLeadQueries(provider.GetRequiredService<SqliteStore>()));
        services.TryAddSingleton(provider => new SqliteValueLists(provider.GetRequiredService<SqliteStore>(),
            provider.GetService<TimeProvider>()));
        services.TryAddSingleton<IValueLists>(provider => provider.GetRequiredService<SqliteValueLists>());
        return services;
    }
}
