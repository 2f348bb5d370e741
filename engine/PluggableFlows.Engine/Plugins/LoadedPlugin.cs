using McMaster.NETCore.Plugins;

namespace PluggableFlows.Engine.Plugins;

/// <summary>
/// One plugin folder loaded into its own collectible load context. It stays loaded while any live snapshot of the
/// catalog contains it; the last snapshot to let go unloads it.
/// </summary>
internal sealed class LoadedPlugin(PluginInfo info, PluginLoader loader, IReadOnlyList<IntegrationRegistration> registrations, long order)
{
    private PluginLoader? _loader = loader;
    private int _snapshots;

    public PluginInfo Info { get; } = info;

    public IReadOnlyList<IntegrationRegistration> Registrations { get; } = registrations;

    /// <summary>Load order: when two plugins declare the same id, the earlier one keeps it. A reloaded plugin keeps its
    /// predecessor's order, so replacing an installed plugin never hands its ids to a newcomer.</summary>
    public long Order { get; } = order;

    public void AddSnapshot() => Interlocked.Increment(ref _snapshots);

    public void ReleaseSnapshot()
    {
        if (Interlocked.Decrement(ref _snapshots) == 0)
        {
            // Unloading is cooperative: the context is collected once nothing references its types any more.
            Interlocked.Exchange(ref _loader, null)?.Dispose();
        }
    }

    /// <summary>For a plugin that never made it into a snapshot.</summary>
    public void Unload() => Interlocked.Exchange(ref _loader, null)?.Dispose();
}
