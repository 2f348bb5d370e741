using System.Globalization;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Fields;

/// <summary>
/// A date of birth: read as <see cref="DateFieldType"/>, plus the person's age today and birth year.
/// Two-digit years are never read as the future (<c>1/2/30</c> is 1930), and a birth date after today is invalid.
/// </summary>
internal sealed class DobFieldType : IFieldType
{
    private static readonly string[] Keys = ["age", "year"];
    private readonly TimeProvider _time;

    public DobFieldType(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    public string Name => "dob";

    public IReadOnlyList<string> Components => Keys;

    public FieldValue Parse(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var today = DateOnly.FromDateTime(_time.GetLocalNow().DateTime);
        var twoDigitYear = false;
        if (!DateText.TryParse(raw, year => { twoDigitYear = true; return (today.Year / 100 * 100) + year; }, out var dob))
        {
            return FieldValues.Invalid(Name, raw);
        }

        if (dob > today && twoDigitYear)
        {
            dob = dob.AddYears(-100);
        }

        if (dob > today)
        {
            return FieldValues.Invalid(Name, raw);
        }

        var age = today.Year - dob.Year;
        if (today.Month < dob.Month || (today.Month == dob.Month && today.Day < dob.Day))
        {
            age--;
        }

        return new FieldValue(Name, raw, dob.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), dob, valid: true,
            new ComponentMap(Keys, [age, dob.Year]));
    }
}
