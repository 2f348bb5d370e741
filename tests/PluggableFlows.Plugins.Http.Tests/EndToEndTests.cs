using System.Text.Json;
using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Flows;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Plugins;
using PluggableFlows.Sdk;
using PluggableFlows.Testing;

namespace PluggableFlows.Plugins.Http.Tests;

/// <summary>
/// A flow delivering with <c>http.json</c>, run by the engine's lead processor, with the plugin loaded from its built folder
/// (<c>artifacts/plugins/http/</c>) and a real HTTP server on loopback standing in for the CRM.
/// </summary>
public sealed class EndToEndTests : IDisposable
{
    private const string Token = "crm-e2e-token-5d1f0b93";

    private readonly string _plugins = Directory.CreateTempSubdirectory("pflow-http-e2e-").FullName;

    public void Dispose() => Directory.Delete(_plugins, recursive: true);

    [Fact]
    public async Task A_flow_delivers_a_lead_with_http_json_to_a_loopback_crm_and_records_its_answer()
    {
        using var crm = new LoopbackHttpServer(_ => new CannedResponse(201, """{"result":"accepted","lead_id":"CRM-77","price":"3.50"}"""));
        using var catalog = LoadHttpPluginFromDisk();
        var flow = Compile(catalog, $$$"""
            id: crm-delivery
            fields: [first_name, email, phone_1, { id: vehicle_year, type: number }]
            sources: [ { id: acme } ]
            steps:
              - key: crm
                type: delivery
                integration: http.json
                credentials: { token: { env: CRM_TOKEN } }
                inputs:
                  url: "{{{crm.BaseUrl}}}leads"
                  json_property.contact.email: "{{ lead.email }}"
                  json_property.contact.first_name: "{{ lead.first_name }}"
                  json_property.contact.phone: "{{ lead.phone_1 }}"
                  json_property.vehicle.year: "{{ lead.vehicle_year }}"
                  header.X-Campaign: spring
                  outcome_search_term: accepted
                  outcome_search_path: result
                  reference_path: lead_id
                  price_path: price
            """);
        using var handler = new SocketsHttpHandler();
        var processor = new LeadProcessor(FieldTypeRegistry.Default, catalog, new IntegrationInvoker(handler, TimeProvider.System),
            TimeProvider.System, secrets: new Secrets(new Dictionary<string, string> { ["CRM_TOKEN"] = Token }));

        var result = await processor.ProcessAsync(flow, new LeadSubmission("acme", new Dictionary<string, string?>
        {
            ["first_name"] = "Zoë \"Z\" O'Brien",
            ["email"] = " Jane@Example.COM ",
            ["phone_1"] = "(512) 555-1212",
            ["vehicle_year"] = "2019",
        }));

        var received = crm.Received.ShouldHaveSingleItem();
        received.Method.ShouldBe("POST");
        received.PathAndQuery.ShouldBe("/leads");
        received.Headers["Authorization"].ShouldBe("Bearer " + Token);
        received.Headers["X-Campaign"].ShouldBe("spring");
        received.Headers["Content-Type"].ShouldStartWith("application/json");
        using (var body = JsonDocument.Parse(received.Body))
        {
            var contact = body.RootElement.GetProperty("contact");
            contact.GetProperty("email").GetString().ShouldBe("jane@example.com");
            contact.GetProperty("first_name").GetString().ShouldBe("Zoë \"Z\" O'Brien");
            contact.GetProperty("phone").GetString().ShouldBe("5125551212");
            body.RootElement.GetProperty("vehicle").GetProperty("year").GetInt32().ShouldBe(2019);
        }

        result.Outcome.ShouldBe(Outcome.Success);
        result.Price.ShouldBe(3.50m);
        var step = result.Events.Single(e => e.StepKey == "crm");
        step.Outcome.ShouldBe(Outcome.Success);
        step.Appended["reference"].ShouldBe("CRM-77");
        step.Appended["status"].ShouldBe(201);
        var exchange = step.Transcript.ShouldHaveSingleItem();
        exchange.RequestHeaders.ShouldContain(new KeyValuePair<string, string>("Authorization", "Bearer ***"));
        exchange.RequestHeaders.ShouldNotContain(h => h.Value.Contains(Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rejection_from_the_crm_is_the_delivery_steps_failure()
    {
        using var crm = new LoopbackHttpServer(_ => new CannedResponse(422, """{"message":"email is invalid"}"""));
        using var catalog = LoadHttpPluginFromDisk();
        var flow = Compile(catalog, $$$"""
            id: crm-delivery
            fields: [email]
            sources: [ { id: acme } ]
            steps:
              - key: crm
                type: delivery
                integration: http.json
                inputs: { url: "{{{crm.BaseUrl}}}leads", json_property.email: "{{ lead.email }}", reason_path: message }
            """);
        using var handler = new SocketsHttpHandler();
        var processor = new LeadProcessor(FieldTypeRegistry.Default, catalog, new IntegrationInvoker(handler, TimeProvider.System), TimeProvider.System);

        var result = await processor.ProcessAsync(flow, new LeadSubmission("acme", new Dictionary<string, string?> { ["email"] = "nope" }));

        var step = result.Events.Single(e => e.StepKey == "crm");
        step.Outcome.ShouldBe(Outcome.Failure);
        step.Reason.ShouldBe("The recipient rejected the lead (HTTP 422): email is invalid");
        step.Appended["status"].ShouldBe(422);
    }

    private PluginCatalog LoadHttpPluginFromDisk()
    {
        var built = RepoPaths.Combine("artifacts", "plugins", "http");
        File.Exists(Path.Combine(built, "PluggableFlows.Plugins.Http.dll")).ShouldBeTrue($"the plugin is built into {built}");
        var folder = Directory.CreateDirectory(Path.Combine(_plugins, "http")).FullName;
        foreach (var file in Directory.GetFiles(built))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        var catalog = new PluginCatalog(new PluginFolderOptions { Path = _plugins, Watch = false }, TimeProvider.System);
        catalog.Load();
        catalog.Errors.ShouldBeEmpty();
        catalog.TryGet("http.json", out var registration).ShouldBeTrue();
        // Loaded in the plugin's own load context, not the copy this test project references.
        registration.Integration.GetType().Assembly.ShouldNotBe(typeof(HttpJson).Assembly);
        return catalog;
    }

    private static CompiledFlow Compile(IIntegrationRegistry integrations, string yaml)
    {
        var loaded = new FlowLoader(new FlowLoaderOptions
        {
            ResolveIntegration = id => integrations.TryGet(id, out var integration) ? integration.Descriptor : null,
            KnownIntegrationIds = integrations.All.Select(i => i.Descriptor.Id).ToArray(),
        }).Parse(yaml, "crm-delivery.yaml");
        loaded.Diagnostics.ShouldBeEmpty(string.Join(Environment.NewLine, loaded.Diagnostics));
        var diagnostics = new DiagnosticBag();
        var flow = new FlowCompiler(FieldTypeRegistry.Default, integrations, null).Compile(loaded.Flow!, diagnostics);
        diagnostics.Items.ShouldBeEmpty(string.Join(Environment.NewLine, diagnostics.Items));
        return flow.ShouldNotBeNull();
    }

    private sealed class Secrets(Dictionary<string, string> values) : ISecretResolver
    {
        public string? Resolve(SecretReference reference, string flowFile) =>
            reference.Env is { } name && values.TryGetValue(name, out var value) ? value : null;
    }
}
