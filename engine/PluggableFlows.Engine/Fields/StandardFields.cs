using System.Collections.Frozen;

namespace PluggableFlows.Engine.Fields;

/// <summary>
/// The standard field catalog: common lead field ids (LeadConduit's names) and their types. A flow that lists
/// <c>phone_1</c> gets a phone without saying so; custom fields declare their own type.
/// </summary>
public static class StandardFields
{
    private static readonly FrozenDictionary<string, string> Catalog = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        // contact
        ["first_name"] = "first_name",
        ["middle_name"] = "string",
        ["last_name"] = "last_name",
        ["email"] = "email",
        ["phone_1"] = "phone",
        ["phone_2"] = "phone",
        ["phone_3"] = "phone",
        ["address_1"] = "street",
        ["address_2"] = "string",
        ["city"] = "city",
        ["state"] = "state",
        ["postal_code"] = "postal_code",
        ["country"] = "string",
        ["county"] = "string",
        ["contact_time"] = "string",
        ["best_time_to_call"] = "string",
        ["language"] = "string",
        // person
        ["dob"] = "dob",
        ["age"] = "number",
        ["gender"] = "gender",
        ["ssn"] = "ssn",
        ["marital_status"] = "string",
        ["education"] = "string",
        ["military"] = "boolean",
        ["homeowner"] = "boolean",
        ["years_at_residence"] = "number",
        // work and money
        ["company_name"] = "string",
        ["title"] = "string",
        ["employer"] = "string",
        ["income"] = "number",
        ["credit_rating"] = "string",
        ["loan_amount"] = "number",
        ["home_value"] = "number",
        ["mortgage_balance"] = "number",
        ["debt_amount"] = "number",
        // vehicle and insurance
        ["vehicle_year"] = "number",
        ["vehicle_make"] = "string",
        ["vehicle_model"] = "string",
        ["insured"] = "boolean",
        ["current_insurer"] = "string",
        // consent and tracking
        ["ip_address"] = "ip",
        ["user_agent"] = "string",
        ["trustedform_cert_url"] = "trustedform_url",
        ["leadid_token"] = "string",
        ["jornaya_lead_id"] = "string",
        ["opt_in"] = "boolean",
        ["tcpa_consent"] = "boolean",
        ["landing_page_url"] = "url",
        ["referring_url"] = "url",
        ["sub_id"] = "string",
        ["aff_id"] = "string",
        ["campaign_id"] = "string",
        ["timestamp"] = "time",
        ["comments"] = "string",
        // commercial
        ["price"] = "number",
        ["username"] = "string",
        ["password"] = "credential",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Field id to type name, for every standard field (ids compare case-insensitively).</summary>
    public static IReadOnlyDictionary<string, string> Types => Catalog;

    /// <summary>The type of a standard field, or null when <paramref name="fieldId"/> is not a standard field.</summary>
    public static string? TypeOf(string fieldId)
    {
        ArgumentNullException.ThrowIfNull(fieldId);
        return Catalog.TryGetValue(fieldId, out var type) ? type : null;
    }
}
