using System.Collections.Frozen;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Fields;

/// <summary>Yes or no, in LeadConduit's words: yes/no, y/n, true/false, t/f, 1/0, any case.</summary>
internal sealed class BooleanFieldType : IFieldType
{
    private static readonly FrozenDictionary<string, bool> Words = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase)
    {
        ["yes"] = true, ["y"] = true, ["true"] = true, ["t"] = true, ["1"] = true,
        ["no"] = false, ["n"] = false, ["false"] = false, ["f"] = false, ["0"] = false,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, bool>.AlternateLookup<ReadOnlySpan<char>> WordsBySpan =
        Words.GetAlternateLookup<ReadOnlySpan<char>>();

    public string Name => "boolean";

    public IReadOnlyList<string> Components => [];

    public FieldValue Parse(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (!WordsBySpan.TryGetValue(raw.AsSpan().Trim(), out var value))
        {
            return FieldValues.Invalid(Name, raw);
        }

        return new FieldValue(Name, raw, value ? "true" : "false", FieldValues.Box(value), valid: true);
    }
}
