using System.Collections.Frozen;
using PhoneNumbers;
using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.Phone;

/// <summary>
/// <c>phone.verify</c>: whether a phone number is valid, and its line type, region and standard formats, read offline
/// by libphonenumber. An add-on: no provider is called, but every call is a billable transaction like any other add-on.
/// </summary>
public sealed class PhoneVerify : IHandlerIntegration, IConformanceSamples
{
    /// <summary>The reason given for a number that is not a valid number in its region.</summary>
    public const string InvalidReason = "Invalid phone number";

    private const string DefaultRegion = "US";

    // libphonenumber refuses longer input anyway; stopping here saves it the exception.
    private const int MaxLength = 250;

    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    // libphonenumber copies its region set into a new HashSet on every call: take it once.
    private static readonly FrozenSet<string> SupportedRegions = Util.GetSupportedRegions().ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenDictionary<PhoneNumberType, string> LineTypes = new Dictionary<PhoneNumberType, string>
    {
        [PhoneNumberType.MOBILE] = "mobile",
        [PhoneNumberType.FIXED_LINE] = "fixed_line",
        [PhoneNumberType.FIXED_LINE_OR_MOBILE] = "fixed_line_or_mobile",
        [PhoneNumberType.VOIP] = "voip",
        [PhoneNumberType.TOLL_FREE] = "toll_free",
        [PhoneNumberType.PREMIUM_RATE] = "premium_rate",
        [PhoneNumberType.SHARED_COST] = "shared_cost",
        [PhoneNumberType.PERSONAL_NUMBER] = "personal_number",
        [PhoneNumberType.PAGER] = "pager",
        [PhoneNumberType.UAN] = "uan",
        [PhoneNumberType.VOICEMAIL] = "voicemail",
        [PhoneNumberType.UNKNOWN] = "unknown",
    }.ToFrozenDictionary();

    /// <inheritdoc />
    public IntegrationDescriptor Descriptor { get; } = new()
    {
        Id = "phone.verify",
        Name = "Phone verification",
        Kind = IntegrationKind.Enhancement,
        Class = IntegrationClass.AddOn,
        CostPerTransaction = 0.005m,
        RequestVariables =
        [
            new("phone", "phone", Required: true, "The number to verify, usually a phone field such as lead.phone_1."),
            new("region", "string", Description: "ISO 3166 country the number is written for when it has no +country code; "
                + "defaults to the phone field's country, else US."),
        ],
        ResponseVariables =
        [
            new("valid", "boolean", Description: "Whether the number is a valid number in its region."),
            new("line_type", "string", Description: "mobile, fixed_line, fixed_line_or_mobile, voip, toll_free, premium_rate, "
                + "shared_cost, personal_number, pager, uan, voicemail or unknown. US and Canadian numbers are usually "
                + "fixed_line_or_mobile: their numbering plan does not tell mobiles from landlines."),
            new("region", "string", Description: "ISO 3166 country of the number (CA for a Canadian +1 number)."),
            new("e164", "string", Description: "The number in E.164 form, e.g. +15127891111; null when invalid."),
            new("national", "string", Description: "The number formatted for dialling within its country, e.g. (512) 789-1111; null when invalid."),
            new("country_calling_code", "number", Description: "The international calling code, e.g. 1 or 44."),
        ],
    };

    /// <inheritdoc />
    public IReadOnlyList<ConformanceSample> Samples { get; } =
    [
        new()
        {
            Name = "valid US number",
            Inputs = new Dictionary<string, string> { ["phone"] = "(512) 789-1111" },
            ExpectedOutcome = Outcome.Success,
            ExpectedAppended = new Dictionary<string, string>
            {
                ["valid"] = "true", ["line_type"] = "fixed_line_or_mobile", ["region"] = "US", ["e164"] = "+15127891111",
                ["national"] = "(512) 789-1111", ["country_calling_code"] = "1",
            },
        },
        new()
        {
            Name = "UK mobile number",
            Inputs = new Dictionary<string, string> { ["phone"] = "+44 7400 123456" },
            ExpectedOutcome = Outcome.Success,
            ExpectedAppended = new Dictionary<string, string>
            {
                ["valid"] = "true", ["line_type"] = "mobile", ["region"] = "GB", ["e164"] = "+447400123456", ["country_calling_code"] = "44",
            },
        },
        new()
        {
            Name = "number that does not exist (555 area code)",
            Inputs = new Dictionary<string, string> { ["phone"] = "555-123-4567" },
            ExpectedOutcome = Outcome.Failure,
            ExpectedAppended = new Dictionary<string, string> { ["valid"] = "false" },
        },
        new()
        {
            Name = "blank number",
            Inputs = new Dictionary<string, string> { ["phone"] = " " },
            ExpectedOutcome = Outcome.Skip,
        },
    ];

    /// <inheritdoc />
    public Task<IntegrationResult> HandleAsync(IntegrationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Verify(context.Input));
    }

    /// <summary>Verifies one number; the whole integration, without the host's plumbing.</summary>
    public static IntegrationResult Verify(IntegrationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var field = input.GetField("phone");
        var text = field is not null ? TextOf(field) : input.GetString("phone");
        if (string.IsNullOrWhiteSpace(text))
        {
            return IntegrationResult.Skip("No phone number to verify");
        }

        var region = input.GetString("region")?.Trim().ToUpperInvariant()
            ?? (field?["country_code"] as string)
            ?? DefaultRegion;
        if (!SupportedRegions.Contains(region))
        {
            return IntegrationResult.Error($"Unknown region '{region}': use an ISO 3166 two-letter country code such as US or GB.");
        }

        if (text.Length > MaxLength)
        {
            return Invalid(null);
        }

        PhoneNumber number;
        try
        {
            number = Util.Parse(text, region);
        }
        catch (NumberParseException)
        {
            return Invalid(null);
        }

        if (!Util.IsValidNumber(number))
        {
            return Invalid(number);
        }

        return IntegrationResult.Success(new Dictionary<string, object?>
        {
            ["valid"] = true,
            ["line_type"] = LineTypes.GetValueOrDefault(Util.GetNumberType(number), "unknown"),
            ["region"] = Util.GetRegionCodeForNumber(number),
            ["e164"] = Util.Format(number, PhoneNumberFormat.E164),
            ["national"] = Util.Format(WithoutExtension(number), PhoneNumberFormat.NATIONAL),
            ["country_calling_code"] = number.CountryCode,
        });
    }

    // A valid phone field's normal form is its national significant number (plus "x" extension); with its calling code
    // it is unambiguous whatever region the engine parsed it in. An invalid one is read again from what was sent.
    private static string? TextOf(FieldValue field)
    {
        if (field.IsBlank)
        {
            return null;
        }

        if (field.Valid && field["country_calling_code"] is int callingCode)
        {
            var extension = field.Normal.IndexOf('x', StringComparison.Ordinal);
            return "+" + callingCode.ToString(System.Globalization.CultureInfo.InvariantCulture)
                + (extension < 0 ? field.Normal : field.Normal[..extension]);
        }

        return field.Raw;
    }

    private static PhoneNumber WithoutExtension(PhoneNumber number) =>
        number.HasExtension ? number.ToBuilder().ClearExtension().Build() : number;

    private static IntegrationResult Invalid(PhoneNumber? number)
    {
        var region = number is null ? null : Util.GetRegionCodeForCountryCode(number.CountryCode);
        return IntegrationResult.Failure(InvalidReason, new Dictionary<string, object?>
        {
            ["valid"] = false,
            ["line_type"] = "unknown",
            ["region"] = region is null or "ZZ" or "001" ? null : region,
            ["e164"] = null,
            ["national"] = null,
            ["country_calling_code"] = number?.CountryCode,
        });
    }
}
