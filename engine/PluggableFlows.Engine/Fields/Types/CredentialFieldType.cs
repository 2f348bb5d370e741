using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Fields;

/// <summary>A secret (password, API key): kept exactly as sent, never trimmed, always valid.</summary>
internal sealed class CredentialFieldType : IFieldType
{
    public string Name => "credential";

    public IReadOnlyList<string> Components => [];

    public FieldValue Parse(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        return new FieldValue(Name, raw, raw, string.IsNullOrWhiteSpace(raw) ? null : raw, valid: true);
    }
}
