using PluggableFlows.Engine.Flows;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Tests.Flows;

/// <summary>Add-ons run on the host's account; BYOC steps must map the credentials their integration requires.</summary>
public class FlowCredentialTests
{
    private static readonly IntegrationDescriptor Byoc = new()
    {
        Id = "crm.byoc",
        Name = "CRM",
        Kind = IntegrationKind.Delivery,
        Class = IntegrationClass.Byoc,
        Credentials = [new CredentialDescriptor("api_key"), new CredentialDescriptor("account", Required: false)],
    };

    private static readonly IntegrationDescriptor AddOn = new()
    {
        Id = "phone.addon",
        Name = "Phone add-on",
        Kind = IntegrationKind.Enhancement,
        Class = IntegrationClass.AddOn,
        CostPerTransaction = 0.01m,
        Credentials = [new CredentialDescriptor("api_key")],
    };

    private static FlowLoadResult Parse(string steps) =>
        new FlowLoader(new FlowLoaderOptions { ResolveIntegration = id => new[] { Byoc, AddOn }.FirstOrDefault(d => d.Id == id) })
            .Parse("id: f\nsources: [ { id: s } ]\nsteps:\n" + steps, "creds.yaml");

    [Fact]
    public void Byoc_step_without_its_required_credential_is_reported_at_the_step()
    {
        var result = Parse("""
              - key: crm
                type: delivery
                integration: crm.byoc
            """);

        var diagnostic = result.Diagnostics.ShouldHaveSingleItem();
        diagnostic.Code.ShouldBe(FlowDiagnosticCodes.MissingCredential);
        diagnostic.Message.ShouldBe("Step 'crm' does not map credential 'api_key', which BYOC integration 'crm.byoc' requires.");
        diagnostic.Hint.ShouldBe("Add credentials: { api_key: { env: NAME } } (or { file: path }) to the step.");
        (diagnostic.Location.Line, diagnostic.Location.Column).ShouldBe((4, 5));
    }

    [Fact]
    public void Byoc_step_mapping_its_required_credential_loads_and_optional_ones_may_be_left_out()
    {
        var result = Parse("""
              - key: crm
                type: delivery
                integration: crm.byoc
                credentials: { api_key: { env: CRM_KEY } }
            """);

        result.Diagnostics.ShouldBeEmpty();
        var step = result.Flow.ShouldNotBeNull().Steps.ShouldHaveSingleItem().ShouldBeOfType<IntegrationStepDefinition>();
        step.Credentials["api_key"].Env.ShouldBe("CRM_KEY");
    }

    [Fact]
    public void Add_on_step_needs_no_credentials()
    {
        Parse("""
              - { key: phone_check, type: enhancement, integration: phone.addon }
            """).Diagnostics.ShouldBeEmpty();
    }

    [Fact]
    public void Add_on_step_mapping_credentials_is_reported()
    {
        var result = Parse("""
              - key: phone_check
                type: enhancement
                integration: phone.addon
                credentials: { api_key: { env: MY_KEY } }
            """);

        var diagnostic = result.Diagnostics.ShouldHaveSingleItem();
        diagnostic.Code.ShouldBe(FlowDiagnosticCodes.AddOnCredentialsMapped);
        diagnostic.Message.ShouldContain("'phone.addon' is an add-on");
        (diagnostic.Location.Line, diagnostic.Location.Column).ShouldBe((7, 5));
    }
}
