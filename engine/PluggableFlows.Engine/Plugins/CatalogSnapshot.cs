using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace PluggableFlows.Engine.Plugins;

/// <summary>
/// An immutable set of loaded plugins and their integrations by id. The catalog holds one reference to the current
/// snapshot and each lease holds one; when a superseded snapshot's count reaches zero it lets go of its plugins.
/// </summary>
internal sealed class CatalogSnapshot
{
    private readonly FrozenDictionary<string, IntegrationRegistration> _byId;
    private LoadedPlugin[] _plugins;
    private int _references = 1;

    public CatalogSnapshot(LoadedPlugin[] plugins, FrozenDictionary<string, IntegrationRegistration> byId)
    {
        _plugins = plugins;
        _byId = byId;
        Plugins = Array.ConvertAll(plugins, plugin => plugin.Info);
        foreach (var plugin in plugins)
        {
            plugin.AddSnapshot();
        }
    }

    public static CatalogSnapshot CreateEmpty() => new([], FrozenDictionary<string, IntegrationRegistration>.Empty);

    public IReadOnlyCollection<IntegrationRegistration> All => _byId.Values;

    public IReadOnlyList<PluginInfo> Plugins { get; }

    public bool TryGet(string id, [NotNullWhen(true)] out IntegrationRegistration? registration) => _byId.TryGetValue(id, out registration);

    /// <summary>Adds a reference unless the snapshot has already been released for good (then the caller re-reads the
    /// current snapshot and tries again).</summary>
    public bool TryAddReference()
    {
        var references = Volatile.Read(ref _references);
        while (references > 0)
        {
            var seen = Interlocked.CompareExchange(ref _references, references + 1, references);
            if (seen == references)
            {
                return true;
            }

            references = seen;
        }

        return false;
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            foreach (var plugin in Interlocked.Exchange(ref _plugins, []))
            {
                plugin.ReleaseSnapshot();
            }
        }
    }
}
