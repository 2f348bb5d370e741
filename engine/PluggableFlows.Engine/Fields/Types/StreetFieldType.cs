using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Fields;

/// <summary>A street address line: <c>&lt;number&gt; &lt;name&gt;</c>; valid when it has at least two words.</summary>
internal sealed class StreetFieldType : IFieldType
{
    private static readonly string[] Keys = ["number", "name"];

    public string Name => "street";

    public IReadOnlyList<string> Components => Keys;

    public FieldValue Parse(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var normal = raw.Trim();
        if (normal.Length == 0)
        {
            return FieldValues.Invalid(Name, raw);
        }

        var firstSpace = IndexOfWhiteSpace(normal);
        if (firstSpace < 0)
        {
            return FieldValues.Invalid(Name, raw);
        }

        // "123 Main St" has a house number; "PO Box 12" and "Main Street" do not.
        string? number = null;
        var name = normal;
        if (char.IsAsciiDigit(normal[0]))
        {
            number = normal[..firstSpace];
            name = normal[firstSpace..].TrimStart();
        }

        return new FieldValue(Name, raw, normal, normal, valid: true, new ComponentMap(Keys, [number, name]));
    }

    private static int IndexOfWhiteSpace(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
