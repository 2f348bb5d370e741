using System.Globalization;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Fields;

/// <summary>A calendar date in US, European or ISO order; normal <c>yyyy-MM-dd</c>.</summary>
internal sealed class DateFieldType : IFieldType
{
    private static readonly Func<int, int> Century = DateText.DefaultCentury;

    public string Name => "date";

    public IReadOnlyList<string> Components => [];

    public FieldValue Parse(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (!DateText.TryParse(raw, Century, out var date))
        {
            return FieldValues.Invalid(Name, raw);
        }

        return new FieldValue(Name, raw, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), date, valid: true);
    }
}
