using BenchmarkDotNet.Attributes;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Templates;
using PluggableFlows.Engine.Vars;

namespace PluggableFlows.Benchmarks;

/// <summary>
/// Rendering a 20-field JSON delivery body (target: 15 µs): plain placeholders and <c>| json</c> (both by substitution),
/// and the same body with code that makes Scriban run it.
/// </summary>
[MemoryDiagnoser]
public class TemplateBenchmarks
{
    private static readonly (string Field, string Type, string Value)[] Fields =
    [
        ("first_name", "first_name", "Ada"), ("last_name", "last_name", "Lovelace"), ("email", "email", "ada@example.com"),
        ("phone_1", "phone", "(512) 555-0123"), ("phone_2", "phone", "512-555-0199"), ("address_1", "street", "1 Main St"),
        ("city", "city", "Austin"), ("state", "state", "texas"), ("postal_code", "postal_code", "78704"), ("dob", "dob", "1990-12-10"),
        ("gender", "gender", "f"), ("ip_address", "ip", "203.0.113.9"), ("comments", "string", "Call \"after\" 5pm"),
        ("vehicle_year", "number", "2018"), ("vehicle_make", "string", "Ford"), ("vehicle_model", "string", "F-150"),
        ("insured", "boolean", "yes"), ("price", "number", "12.50"), ("trustedform_cert_url", "url", "https://cert.trustedform.com/abc"),
        ("source_id", "string", "acme-42"),
    ];

    private LeadVars _vars = null!;
    private FlowTemplate _substitution = null!;
    private FlowTemplate _json = null!;
    private FlowTemplate _scriban = null!;

    [GlobalSetup]
    public void Setup()
    {
        var fields = Fields.ToDictionary(f => f.Field, f => FieldTypeRegistry.Default.Parse(f.Type, f.Value));
        _vars = new LeadVars("lead", fields, new SourceVars("acme", "Acme"), new FlowVars("bench", "bench", "v1"),
            new SubmissionVars("lead", DateTimeOffset.UnixEpoch, null), 50);
        var engine = new TemplateEngine();
        _substitution = engine.Parse(
            "{" + string.Join(",", Fields.Select(f => $"\n  \"{f.Field}\": \"{{{{ lead.{f.Field} }}}}\"")) + "\n}", TemplateFormat.Json);
        _json = engine.Parse(
            "{" + string.Join(",", Fields.Select(f => $"\n  \"{f.Field}\": {{{{ lead.{f.Field} | json }}}}")) + "\n}", TemplateFormat.Json);
        _scriban = engine.Parse(
            "{" + string.Join(",", Fields.Select(f => $"\n  \"{f.Field}\": {{{{ (lead.{f.Field}) | json }}}}")) + "\n}", TemplateFormat.Json);
        if (!_substitution.IsSubstitution || !_json.IsSubstitution || _scriban.IsSubstitution || _scriban.Errors.Count > 0
            || new[] { Substitution(), Json(), Scriban() }.Any(body => PluggableFlows.Sdk.WellFormed.Json(body) is not null))
        {
            throw new InvalidOperationException("The benchmark bodies must take the paths they are named after and be well-formed JSON.");
        }
    }

    [Benchmark(Baseline = true, Description = "20-field JSON body, plain placeholders")]
    public string Substitution() => _substitution.Render(_vars);

    [Benchmark(Description = "20-field JSON body, | json")]
    public string Json() => _json.Render(_vars);

    [Benchmark(Description = "20-field JSON body, run by Scriban")]
    public string Scriban() => _scriban.Render(_vars);
}
