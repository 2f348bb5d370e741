namespace PluggableFlows.Engine.Fields;

// PLACEHOLDER until the field-types branch lands.
/// <summary>The standard field catalog.</summary>
public static class StandardFields
{
    /// <summary>Field id to type name.</summary>
    public static IReadOnlyDictionary<string, string> Types { get; } = new Dictionary<string, string>
    {
        ["first_name"] = "first_name", ["last_name"] = "last_name", ["email"] = "email", ["phone_1"] = "phone",
        ["state"] = "state", ["postal_code"] = "postal_code", ["dob"] = "dob",
    };

    /// <summary>The type of a standard field id, or null.</summary>
    public static string? TypeOf(string fieldId) => Types.TryGetValue(fieldId, out var type) ? type : null;
}
