using System.Collections.Frozen;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Fields;

/// <summary>m/male, f/female, o/other in any case; normal is the word, component <c>abbr</c> the letter.</summary>
internal sealed class GenderFieldType : IFieldType
{
    private static readonly string[] Keys = ["abbr"];

    private static readonly FrozenDictionary<string, (string Normal, string Abbr)> Words =
        new Dictionary<string, (string Normal, string Abbr)>(StringComparer.OrdinalIgnoreCase)
        {
            ["m"] = ("male", "m"), ["male"] = ("male", "m"),
            ["f"] = ("female", "f"), ["female"] = ("female", "f"),
            ["o"] = ("other", "o"), ["other"] = ("other", "o"),
        }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, (string Normal, string Abbr)>.AlternateLookup<ReadOnlySpan<char>> WordsBySpan =
        Words.GetAlternateLookup<ReadOnlySpan<char>>();

    public string Name => "gender";

    public IReadOnlyList<string> Components => Keys;

    public FieldValue Parse(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (!WordsBySpan.TryGetValue(raw.AsSpan().Trim(), out var gender))
        {
            return FieldValues.Invalid(Name, raw);
        }

        return new FieldValue(Name, raw, gender.Normal, gender.Normal, valid: true, new ComponentMap(Keys, [gender.Abbr]));
    }
}
