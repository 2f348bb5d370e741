using System.Diagnostics.CodeAnalysis;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Plugins;

/// <summary>Which plugin an integration came from; recorded on every event the integration produces.</summary>
/// <param name="Name">The plugin's name (its folder name).</param>
/// <param name="Version">The plugin assembly's version.</param>
/// <param name="Folder">Where it was loaded from; null for integrations registered in process.</param>
public sealed record PluginInfo(string Name, string Version, string? Folder = null)
{
    /// <summary>For integrations registered in process rather than loaded from a folder.</summary>
    public static PluginInfo InProcess(IIntegration integration)
    {
        ArgumentNullException.ThrowIfNull(integration);
        var assembly = integration.GetType().Assembly.GetName();
        return new PluginInfo(assembly.Name ?? "in-process", assembly.Version?.ToString() ?? "0.0.0");
    }
}

/// <summary>An integration and the plugin that provides it.</summary>
public sealed record IntegrationRegistration(IIntegration Integration, PluginInfo Plugin)
{
    /// <summary>The integration's descriptor.</summary>
    public IntegrationDescriptor Descriptor => Integration.Descriptor;
}

/// <summary>The integrations a host can call, by id (case-insensitive).</summary>
public interface IIntegrationRegistry
{
    /// <summary>Every integration now available.</summary>
    IReadOnlyCollection<IntegrationRegistration> All { get; }

    /// <summary>Finds an integration now available.</summary>
    bool TryGet(string id, [NotNullWhen(true)] out IntegrationRegistration? registration);

    /// <summary>
    /// Pins the current set of integrations for one lead: every step of the lead resolves through the lease, so a
    /// plugin replaced mid-lead serves the rest of that lead at its old version, and its old version is unloaded only
    /// once every lease on it is disposed.
    /// </summary>
    IntegrationLease Acquire();
}

/// <summary>The integrations one lead runs with. Dispose when the lead is done.</summary>
public abstract class IntegrationLease : IDisposable
{
    /// <summary>Finds an integration in the pinned set.</summary>
    public abstract bool TryGet(string id, [NotNullWhen(true)] out IntegrationRegistration? registration);

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the pin.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}

/// <summary>Integrations registered in process (tests, built-ins); they never change, so leases are free.</summary>
public sealed class IntegrationRegistry : IIntegrationRegistry
{
    private readonly Dictionary<string, IntegrationRegistration> _byId = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lease _lease;

    /// <summary>Creates a registry holding <paramref name="integrations"/>.</summary>
    public IntegrationRegistry(IEnumerable<IIntegration> integrations)
    {
        ArgumentNullException.ThrowIfNull(integrations);
        _lease = new Lease(_byId);
        foreach (var integration in integrations)
        {
            Add(integration);
        }
    }

    /// <summary>Creates an empty registry.</summary>
    public IntegrationRegistry() : this([])
    {
    }

    /// <inheritdoc />
    public IReadOnlyCollection<IntegrationRegistration> All => _byId.Values;

    /// <summary>Adds an integration; its id must be new.</summary>
    public void Add(IIntegration integration, PluginInfo? plugin = null)
    {
        ArgumentNullException.ThrowIfNull(integration);
        var id = integration.Descriptor.Id;
        if (!_byId.TryAdd(id, new IntegrationRegistration(integration, plugin ?? PluginInfo.InProcess(integration))))
        {
            throw new ArgumentException($"An integration with id '{id}' is already registered.", nameof(integration));
        }
    }

    /// <inheritdoc />
    public bool TryGet(string id, [NotNullWhen(true)] out IntegrationRegistration? registration) => _byId.TryGetValue(id, out registration);

    /// <inheritdoc />
    public IntegrationLease Acquire() => _lease;

    private sealed class Lease(Dictionary<string, IntegrationRegistration> byId) : IntegrationLease
    {
        public override bool TryGet(string id, [NotNullWhen(true)] out IntegrationRegistration? registration) =>
            byId.TryGetValue(id, out registration);
    }
}
