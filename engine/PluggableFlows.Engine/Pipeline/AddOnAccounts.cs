using System.Collections.Concurrent;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Pipeline;

/// <summary>
/// The operator's own provider accounts, configured once for the whole host: add-on steps run on these credentials,
/// never on credentials mapped in a flow.
/// </summary>
public interface IAddOnAccounts
{
    /// <summary>The credentials an add-on runs with (empty when none are configured).</summary>
    IReadOnlyDictionary<string, string> CredentialsFor(IntegrationDescriptor descriptor);
}

/// <summary>
/// Add-on accounts from configuration, falling back to environment variables named
/// <c>PFLOW_ADDON_&lt;INTEGRATION&gt;_&lt;CREDENTIAL&gt;</c> (upper-case, dots and dashes as underscores), e.g.
/// <c>PFLOW_ADDON_PHONE_VERIFY_API_KEY</c>.
/// </summary>
public sealed class AddOnAccounts : IAddOnAccounts
{
    private readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> _configured;
    private readonly Func<string, string?> _environment;
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> _cache = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates the accounts: <paramref name="configured"/> maps integration id to credential name to value.</summary>
    public AddOnAccounts(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? configured = null,
        Func<string, string?>? environment = null)
    {
        _configured = configured ?? new Dictionary<string, IReadOnlyDictionary<string, string>>();
        _environment = environment ?? Environment.GetEnvironmentVariable;
    }

    /// <summary>The environment variable that holds one add-on credential.</summary>
    public static string VariableName(string integrationId, string credential) =>
        $"PFLOW_ADDON_{Normalize(integrationId)}_{Normalize(credential)}";

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> CredentialsFor(IntegrationDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return _cache.GetOrAdd(descriptor.Id, _ =>
        {
            var credentials = new Dictionary<string, string>(StringComparer.Ordinal);
            _configured.TryGetValue(descriptor.Id, out var configured);
            foreach (var credential in descriptor.Credentials)
            {
                if (configured is not null && configured.TryGetValue(credential.Name, out var value) && value.Length > 0)
                {
                    credentials[credential.Name] = value;
                }
                else if (_environment(VariableName(descriptor.Id, credential.Name)) is { Length: > 0 } fromEnvironment)
                {
                    credentials[credential.Name] = fromEnvironment;
                }
            }

            return credentials;
        });
    }

    private static string Normalize(string name) =>
        new(name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_').ToArray());
}
