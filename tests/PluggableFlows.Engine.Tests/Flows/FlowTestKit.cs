using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Flows;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Tests.Flows;

/// <summary>The repository's sample workspace and a fake plugin catalog for loading flows in tests.</summary>
internal static class FlowTestKit
{
    public const string FlowFile = "test-flow.yaml";

    public static readonly IReadOnlyList<IntegrationDescriptor> Integrations =
    [
        new()
        {
            Id = "phone.verify",
            Name = "Phone verification",
            Kind = IntegrationKind.Enhancement,
            Credentials = [new CredentialDescriptor("api_key", Required: false)],
            RequestVariables = [new VariableDescriptor("phone", "phone", Required: true), new VariableDescriptor("country", "string")],
            ResponseVariables = [new VariableDescriptor("line_type", "string"), new VariableDescriptor("valid", "boolean")],
        },
        new()
        {
            Id = "email.verify",
            Name = "Email verification",
            Kind = IntegrationKind.Enhancement,
            Class = IntegrationClass.AddOn,
            CostPerTransaction = 0.002m,
            RequestVariables = [new VariableDescriptor("email", "email", Required: true)],
            ResponseVariables = [new VariableDescriptor("deliverable", "boolean")],
        },
        new()
        {
            Id = "crm.post",
            Name = "CRM post",
            Kind = IntegrationKind.Delivery,
            Credentials = [new CredentialDescriptor("token", Required: false)],
            RequestVariables =
            [
                new VariableDescriptor("url", "url", Required: true),
                new VariableDescriptor("body", "string", Required: true),
                new VariableDescriptor("outcome_search_term", "string"),
            ],
        },
        new PluggableFlows.Plugins.Local.JsonLinesDelivery().Descriptor,
        // The shipped sample flow auto-insurance-crm.yaml delivers with these.
        new PluggableFlows.Plugins.Http.HttpJson().Descriptor,
        new PluggableFlows.Plugins.Http.HttpForm().Descriptor,
    ];

    public static string RepoRoot => PluggableFlows.Testing.RepoPaths.Root;

    public static string ScriptsRoot => Path.Combine(RepoRoot, "scripts");

    public static FlowLoader Loader(string? scriptsRoot = null) => new(new FlowLoaderOptions
    {
        ResolveIntegration = id => Integrations.FirstOrDefault(i => i.Id == id),
        KnownIntegrationIds = Integrations.Select(i => i.Id),
        ScriptsRoot = scriptsRoot ?? ScriptsRoot,
    });

    public static FlowLoadResult Parse(string yaml) => Loader().Parse(yaml, FlowFile);

    /// <summary>Parses and returns the only diagnostic, failing when there is not exactly one.</summary>
    public static FlowDiagnostic SingleDiagnostic(string yaml)
    {
        var result = Parse(yaml);
        result.Flow.ShouldBeNull();
        result.Diagnostics.Count.ShouldBe(1, string.Join(Environment.NewLine, result.Diagnostics));
        return result.Diagnostics[0];
    }

    public static void ShouldBeAt(this FlowDiagnostic diagnostic, string code, int line, int column)
    {
        diagnostic.Code.ShouldBe(code, diagnostic.ToString());
        diagnostic.Location.ShouldBe(new SourceLocation(FlowFile, line, column), diagnostic.ToString());
    }
}
