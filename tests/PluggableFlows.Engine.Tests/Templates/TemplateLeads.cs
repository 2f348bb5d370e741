using Microsoft.Extensions.Time.Testing;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Templates;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Tests.Templates;

/// <summary>The lead templates in these tests (and in docs/templates.md's examples) render against.</summary>
internal static class TemplateLeads
{
    public static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 3, 14, 15, 9, 26, TimeSpan.Zero));

    public static TemplateEngine Engine(TemplateOptions? options = null) => new(options, Clock);

    public static LeadVars Lead(params (string Field, string Type, string Value)[] extra)
    {
        var fields = new Dictionary<string, FieldValue>(StringComparer.Ordinal)
        {
            ["first_name"] = FieldTypeRegistry.Default.Parse("first_name", "Ada"),
            ["last_name"] = FieldTypeRegistry.Default.Parse("last_name", "Lovelace"),
            ["email"] = FieldTypeRegistry.Default.Parse("email", "Ada@Example.com"),
            ["phone_1"] = FieldTypeRegistry.Default.Parse("phone", "(512) 555-0123"),
            ["state"] = FieldTypeRegistry.Default.Parse("state", "texas"),
            ["dob"] = FieldTypeRegistry.Default.Parse("dob", "1990-12-10"),
            ["price"] = FieldTypeRegistry.Default.Parse("number", "1234.5"),
            ["comments"] = FieldTypeRegistry.Default.Parse("string", "red, green,blue"),
        };
        foreach (var (field, type, value) in extra)
        {
            fields[field] = FieldTypeRegistry.Default.Parse(type, value);
        }

        var vars = new LeadVars("L1", fields, new SourceVars("acme", "Acme Media"), new FlowVars("auto", "Auto", "v1"),
            new SubmissionVars("S1", new DateTimeOffset(2026, 3, 14, 15, 9, 26, TimeSpan.Zero), "203.0.113.9"), 42);
        vars.SetStep("phone_check", new StepVars(Outcome.Success, null, new Dictionary<string, object?> { ["line_type"] = "mobile" }));
        return vars;
    }

    public static IReadOnlySet<string> Steps { get; } = new HashSet<string> { "phone_check", "crm" };
}
