using System.Collections.Frozen;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Fields;

/// <summary>
/// A US state, DC, a US territory or a Canadian province or territory, by code or full name in any case.
/// Unlike LeadConduit, only a recognized one is valid.
/// </summary>
internal sealed class StateFieldType : IFieldType
{
    private const int MaxLength = 40;
    private static readonly string[] Keys = ["name"];

    private static readonly (string Code, string Name)[] Places =
    [
        ("AL", "Alabama"), ("AK", "Alaska"), ("AZ", "Arizona"), ("AR", "Arkansas"), ("CA", "California"),
        ("CO", "Colorado"), ("CT", "Connecticut"), ("DE", "Delaware"), ("FL", "Florida"), ("GA", "Georgia"),
        ("HI", "Hawaii"), ("ID", "Idaho"), ("IL", "Illinois"), ("IN", "Indiana"), ("IA", "Iowa"),
        ("KS", "Kansas"), ("KY", "Kentucky"), ("LA", "Louisiana"), ("ME", "Maine"), ("MD", "Maryland"),
        ("MA", "Massachusetts"), ("MI", "Michigan"), ("MN", "Minnesota"), ("MS", "Mississippi"), ("MO", "Missouri"),
        ("MT", "Montana"), ("NE", "Nebraska"), ("NV", "Nevada"), ("NH", "New Hampshire"), ("NJ", "New Jersey"),
        ("NM", "New Mexico"), ("NY", "New York"), ("NC", "North Carolina"), ("ND", "North Dakota"), ("OH", "Ohio"),
        ("OK", "Oklahoma"), ("OR", "Oregon"), ("PA", "Pennsylvania"), ("RI", "Rhode Island"), ("SC", "South Carolina"),
        ("SD", "South Dakota"), ("TN", "Tennessee"), ("TX", "Texas"), ("UT", "Utah"), ("VT", "Vermont"),
        ("VA", "Virginia"), ("WA", "Washington"), ("WV", "West Virginia"), ("WI", "Wisconsin"), ("WY", "Wyoming"),
        ("DC", "District of Columbia"),
        ("PR", "Puerto Rico"), ("GU", "Guam"), ("VI", "U.S. Virgin Islands"), ("AS", "American Samoa"),
        ("MP", "Northern Mariana Islands"),
        ("AB", "Alberta"), ("BC", "British Columbia"), ("MB", "Manitoba"), ("NB", "New Brunswick"),
        ("NL", "Newfoundland and Labrador"), ("NS", "Nova Scotia"), ("NT", "Northwest Territories"), ("NU", "Nunavut"),
        ("ON", "Ontario"), ("PE", "Prince Edward Island"), ("QC", "Quebec"), ("SK", "Saskatchewan"), ("YT", "Yukon"),
    ];

    // Other spellings forms actually send, keyed the same way as names (case-insensitive, dots and extra spaces ignored).
    private static readonly (string Alias, string Code)[] Aliases =
    [
        ("Washington DC", "DC"), ("Virgin Islands", "VI"), ("US Virgin Islands", "VI"), ("Newfoundland", "NL"),
        ("Labrador", "NL"), ("Québec", "QC"), ("Yukon Territory", "YT"), ("PEI", "PE"), ("Northern Marianas", "MP"),
    ];

    private static readonly FrozenDictionary<string, (string Code, string Name)> Lookup = BuildLookup();

    private static readonly FrozenDictionary<string, (string Code, string Name)>.AlternateLookup<ReadOnlySpan<char>> LookupBySpan =
        Lookup.GetAlternateLookup<ReadOnlySpan<char>>();

    public string Name => "state";

    public IReadOnlyList<string> Components => Keys;

    public FieldValue Parse(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var trimmed = raw.AsSpan().Trim();
        if (trimmed.Length is < 2 or > MaxLength)
        {
            return FieldValues.Invalid(Name, raw);
        }

        Span<char> key = stackalloc char[MaxLength];
        if (!LookupBySpan.TryGetValue(key[..Key(trimmed, key)], out var place))
        {
            return FieldValues.Invalid(Name, raw);
        }

        return new FieldValue(Name, raw, place.Code, place.Code, valid: true, new ComponentMap(Keys, [place.Name]));
    }

    /// <summary>Writes the lookup key: dots dropped, runs of white space made one space.</summary>
    private static int Key(ReadOnlySpan<char> text, Span<char> key)
    {
        var length = 0;
        var space = false;
        foreach (var c in text)
        {
            if (c == '.')
            {
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                space = length > 0;
                continue;
            }

            if (space)
            {
                key[length++] = ' ';
                space = false;
            }

            key[length++] = c;
        }

        return length;
    }

    private static FrozenDictionary<string, (string Code, string Name)> BuildLookup()
    {
        var lookup = new Dictionary<string, (string Code, string Name)>(StringComparer.OrdinalIgnoreCase);
        var byCode = new Dictionary<string, (string Code, string Name)>(StringComparer.Ordinal);
        Span<char> key = stackalloc char[MaxLength];
        foreach (var place in Places)
        {
            byCode[place.Code] = place;
            lookup[place.Code] = place;
            lookup[key[..Key(place.Name, key)].ToString()] = place;
        }

        foreach (var (alias, code) in Aliases)
        {
            lookup[key[..Key(alias, key)].ToString()] = byCode[code];
        }

        return lookup.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }
}
