using System.Globalization;
using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.Suppression;

/// <summary>The inputs every list integration shares, read and checked once: the list, the normalized value, the lookback.</summary>
internal sealed record ListRequest(IValueLists Lists, string List, string Value, TimeSpan? Lookback)
{
    public const string NoStoreReason = "This host has no store for value lists";

    public static readonly VariableDescriptor ListVariable =
        new("list", "string", Required: true, "The list's name, e.g. dnc or sold_leads.");

    public static readonly VariableDescriptor ValueVariable =
        new("value", "string", Required: true, "The value, usually a phone or email field; phones are compared by their 10 digits, emails in lower case.");

    public static readonly VariableDescriptor LookbackVariable =
        new("lookback_days", "number", Description: "Count only entries added within this many days; every entry when not given.");

    /// <summary>Reads the inputs; returns the result to give instead when the call cannot go ahead.</summary>
    public static (ListRequest? Request, IntegrationResult? Instead) Read(IntegrationContext context, bool readsLookback)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = context.Input;
        var list = input.GetString("list")?.Trim();
        if (list is null)
        {
            return (null, IntegrationResult.Error("No list named: map the step's 'list' input to a list name."));
        }

        // A lead without the value (no email given) has nothing to look up, with or without a store.
        if (ListValue.Normalize(input["value"]) is not { } value)
        {
            return (null, IntegrationResult.Skip("No value to look up"));
        }

        TimeSpan? lookback = null;
        if (readsLookback && input["lookback_days"] is not null and var raw && !IsBlank(raw))
        {
            if (ReadDays(raw) is not { } days)
            {
                return (null, IntegrationResult.Error(
                    $"lookback_days must be a positive number of days, e.g. 30; got '{input.GetString("lookback_days")}'."));
            }

            lookback = TimeSpan.FromDays(days);
        }

        return context.Lists is { } lists
            ? (new ListRequest(lists, list, value, lookback), null)
            : (null, IntegrationResult.Error(NoStoreReason));
    }

    private static bool IsBlank(object raw) => raw switch
    {
        FieldValue field => field.IsBlank,
        string text => string.IsNullOrWhiteSpace(text),
        _ => false,
    };

    private static double? ReadDays(object raw)
    {
        var days = raw switch
        {
            FieldValue { Value: double number } => number,
            FieldValue field => Parse(field.Normal),
            string text => Parse(text),
            IConvertible convertible and not bool => convertible.ToDouble(CultureInfo.InvariantCulture),
            _ => null,
        };

        // More than a century is a typo, and would overflow TimeSpan long before then.
        return days is > 0 and <= 36500 ? days : null;
    }

    private static double? Parse(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;
}
