namespace PluggableFlows.Engine.Fields;

/// <summary>Settings for field parsing.</summary>
public sealed class FieldParsingOptions
{
    /// <summary>ISO 3166 region phone numbers without a country code are read in. US by default, as LeadConduit does.</summary>
    public string DefaultPhoneRegion { get; set; } = "US";
}
