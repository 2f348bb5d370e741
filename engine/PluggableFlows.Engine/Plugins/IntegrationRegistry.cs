using System.Diagnostics.CodeAnalysis;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Plugins;

/// <summary>The integrations a host can call, by id.</summary>
public interface IIntegrationRegistry
{
    /// <summary>Every integration.</summary>
    IReadOnlyCollection<IIntegration> All { get; }

    /// <summary>Finds an integration by id (ids are case-insensitive).</summary>
    bool TryGet(string id, [NotNullWhen(true)] out IIntegration? integration);
}

/// <summary>Integrations registered in process (tests, built-ins). Folder-loaded plugins add to this later.</summary>
public sealed class IntegrationRegistry : IIntegrationRegistry
{
    private readonly Dictionary<string, IIntegration> _byId = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a registry holding <paramref name="integrations"/>.</summary>
    public IntegrationRegistry(IEnumerable<IIntegration> integrations)
    {
        ArgumentNullException.ThrowIfNull(integrations);
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
    public IReadOnlyCollection<IIntegration> All => _byId.Values;

    /// <summary>Adds an integration; its id must be new.</summary>
    public void Add(IIntegration integration)
    {
        ArgumentNullException.ThrowIfNull(integration);
        var id = integration.Descriptor.Id;
        if (!_byId.TryAdd(id, integration))
        {
            throw new ArgumentException($"An integration with id '{id}' is already registered.", nameof(integration));
        }
    }

    /// <inheritdoc />
    public bool TryGet(string id, [NotNullWhen(true)] out IIntegration? integration) => _byId.TryGetValue(id, out integration);
}
