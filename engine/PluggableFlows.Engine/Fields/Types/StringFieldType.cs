using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Fields;

/// <summary>
/// Free text: <c>string</c> and the aliases <c>first_name</c>, <c>last_name</c> and <c>city</c>, which behave
/// the same but keep their own name so flows and rules can tell them apart (as in LeadConduit).
/// </summary>
internal sealed class StringFieldType(string name) : IFieldType
{
    public string Name { get; } = name;

    public IReadOnlyList<string> Components => [];

    public FieldValue Parse(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var normal = raw.Trim();
        return new FieldValue(Name, raw, normal, normal.Length == 0 ? null : normal, valid: true);
    }
}
