using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Flows;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Plugins;
using PluggableFlows.Sdk;

namespace PluggableFlows.Benchmarks;

/// <summary>The flow and lead every benchmark shares: 12 fields, 10 acceptance rules, two enhancements and a delivery.</summary>
internal static class BenchmarkFlows
{
    public const string TenRules = """
        - { lhv: lead.state, op: is equal to, rhv: TX }
        - { lhv: lead.email, op: format is valid }
        - { lhv: lead.phone_1, op: format is valid }
        - { lhv: lead.phone_1.area, op: is not included in, rhv: [900, 976] }
        - { lhv: lead.vehicle_year, op: is greater than or equal to, rhv: 2005 }
        - { lhv: lead.dob.age, op: is between, rhv: 18-80 }
        - { lhv: lead.postal_code.zip, op: is not blank }
        - { lhv: lead.first_name, op: is not equal to, rhv: test }
        - { lhv: lead.insured, op: is true }
        - { lhv: lead.last_name, op: does not match pattern, rhv: "^(test|fake)" }
        """;

    public static readonly string FlowYaml = $$$"""
        id: bench
        fields: [first_name, last_name, email, phone_1, phone_2, state, city, postal_code, dob, gender, { id: vehicle_year, type: number }, { id: insured, type: boolean }]
        sources: [ { id: acme } ]
        acceptance_criteria:
          rule_set:
            op: and
            rules:
        {{{Indent(TenRules, 6)}}}
          reason: Not eligible
        steps:
          - { key: phone_check, type: enhancement, integration: phone.verify, inputs: { phone: "{{ lead.phone_1 }}" } }
          - { key: email_check, type: enhancement, integration: email.verify, inputs: { email: "{{ lead.email }}" } }
          - key: mobile_only
            type: filter
            stop_if: { rules: [ { lhv: phone_check.line_type, op: is equal to, rhv: voip } ] }
          - { key: crm, type: delivery, integration: crm.post, inputs: { email: "{{ lead.email }}", phone: "{{ lead.phone_1 }}" } }
        """;

    public static readonly Dictionary<string, string?> Lead = new()
    {
        ["first_name"] = "Ada",
        ["last_name"] = "Lovelace",
        ["email"] = "ada.lovelace@example.com",
        ["phone_1"] = "(512) 555-1212",
        ["phone_2"] = "713.555.0199 m",
        ["state"] = "Texas",
        ["city"] = "Austin",
        ["postal_code"] = "78704-4224",
        ["dob"] = "12/10/1985",
        ["gender"] = "F",
        ["vehicle_year"] = "2018",
        ["insured"] = "yes",
    };

    public static IntegrationRegistry Integrations() => new(
    [
        new Appender("phone.verify", IntegrationKind.Enhancement, new Dictionary<string, object?> { ["line_type"] = "mobile", ["valid"] = true }),
        new Appender("email.verify", IntegrationKind.Enhancement, new Dictionary<string, object?> { ["deliverable"] = true }),
        new Appender("crm.post", IntegrationKind.Delivery, new Dictionary<string, object?> { ["id"] = "crm-1" }),
    ]);

    public static CompiledFlow Compile(IntegrationRegistry integrations) => Compile(FlowYaml, "bench.yaml", integrations);

    /// <summary>Parses and compiles a flow the way the host does; any diagnostic is an exception.</summary>
    public static CompiledFlow Compile(string yaml, string fileName, IntegrationRegistry integrations, string? csharpCacheDirectory = null)
    {
        var loaded = new FlowLoader(new FlowLoaderOptions
        {
            ResolveIntegration = id => integrations.TryGet(id, out var integration) ? integration.Descriptor : null,
        }).Parse(yaml, fileName);
        if (!loaded.Succeeded)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, loaded.Diagnostics));
        }

        var diagnostics = new DiagnosticBag();
        return new FlowCompiler(FieldTypeRegistry.Default, integrations, null) { CSharpCacheDirectory = csharpCacheDirectory }
                .Compile(loaded.Flow!, diagnostics)
            ?? throw new InvalidOperationException(string.Join(Environment.NewLine, diagnostics.Items));
    }

    private static string Indent(string text, int spaces) =>
        string.Join("\n", text.Split('\n').Select(line => new string(' ', spaces) + line.TrimStart()));

    /// <summary>An in-process integration that answers at once.</summary>
    private sealed class Appender(string id, IntegrationKind kind, IReadOnlyDictionary<string, object?> appended) : IHandlerIntegration
    {
        private readonly Task<IntegrationResult> _result = Task.FromResult(IntegrationResult.Success(appended));

        public IntegrationDescriptor Descriptor { get; } = new()
        {
            Id = id,
            Name = id,
            Kind = kind,
            RequestVariables = [new VariableDescriptor("*", "string")],
        };

        public Task<IntegrationResult> HandleAsync(IntegrationContext context, CancellationToken cancellationToken) => _result;
    }
}
