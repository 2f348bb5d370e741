using System.Text;
using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Flows;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Plugins;
using PluggableFlows.Sdk;
using PluggableFlows.Testing;

namespace PluggableFlows.Plugins.Http.Tests;

/// <summary>
/// The presets of docs/presets.md: each shipped template under <c>scripts/templates/presets/</c>, with its response rules, run by
/// the lead processor against a real HTTP server on loopback that checks the exact bytes received and answers as the vendor does.
/// </summary>
public sealed class PresetTests : IDisposable
{
    private readonly SocketsHttpHandler _handler = IntegrationHttpHandler.CreateGuarded(new PipelineOptions { AllowLoopbackDeliveries = true });

    private readonly IntegrationRegistry _integrations = new([new HttpJson(), new HttpForm(), new HttpQuery(), new HttpXml(), new HttpSoap()]);

    public void Dispose() => _handler.Dispose();

    /// <summary>A lead whose values break naive payload writers: quotes, <c>&amp;</c>, a closing tag, a newline, emoji.</summary>
    private static Dictionary<string, string?> HostileLead() => new()
    {
        ["first_name"] = "Zoë \"Z\" & Co",
        ["last_name"] = "O'Brien </tag>\nline 2 🎉",
        ["email"] = "Jane@Example.com",
        ["phone_1"] = "(512) 555-0123",
        ["company"] = "Tom & Jerry <b>\"Inc\"</b>",
        ["city"] = "Austin 🤠",
        ["state"] = "TX",
        ["postal_code"] = "78701",
    };

    private const string Fields = "[first_name, last_name, email, phone_1, { id: company, type: string }, { id: city, type: string }, state, postal_code]";

    // Salesforce Web-to-Lead

    private const string SalesforceStep = """
          - key: salesforce
            type: delivery
            integration: http.form
            inputs:
              url: "{base}servlet/servlet.WebToLead?encoding=UTF-8&oid=00D5e000000AbCd"
              body: { template: presets/salesforce-web-to-lead.form.sbn }
        """;

    [Fact]
    public async Task Salesforce_web_to_lead_posts_the_form_exactly()
    {
        using var stub = new LoopbackHttpServer(_ => new CannedResponse(200, "", "text/html"));

        var step = await DeliverAsync(stub, SalesforceStep, HostileLead());

        var received = stub.Received.ShouldHaveSingleItem();
        received.Method.ShouldBe("POST");
        received.PathAndQuery.ShouldBe("/servlet/servlet.WebToLead?encoding=UTF-8&oid=00D5e000000AbCd");
        received.Headers["Content-Type"].ShouldBe("application/x-www-form-urlencoded");
        received.BodyBytes.ShouldBe(Encoding.UTF8.GetBytes(
            "first_name=Zo%C3%AB%20%22Z%22%20%26%20Co&last_name=O%27Brien%20%3C%2Ftag%3E%0Aline%202%20%F0%9F%8E%89&email=jane%40example.com"
            + "&phone=5125550123&company=Tom%20%26%20Jerry%20%3Cb%3E%22Inc%22%3C%2Fb%3E&city=Austin%20%F0%9F%A4%A0&state=TX&zip=78701"
            + "&lead_source=Acme%20Media"), customMessage: received.Body);
        step.Outcome.ShouldBe(Outcome.Success, step.Reason);
    }

    [Fact]
    public async Task Salesforce_web_to_lead_answering_200_is_success_without_reason_price_or_reference()
    {
        using var stub = new LoopbackHttpServer(_ => new CannedResponse(200, "<html><body></body></html>", "text/html"));

        var step = await DeliverAsync(stub, SalesforceStep, HostileLead());

        step.Outcome.ShouldBe(Outcome.Success);
        step.Reason.ShouldBeNull();
        step.Price.ShouldBeNull();
        step.Appended.ContainsKey("reference").ShouldBeFalse();
    }

    // HubSpot Forms

    private const string HubSpotStep = """
          - key: hubspot
            type: delivery
            integration: http.json
            inputs:
              url: "{base}submissions/v3/integration/submit/1234567/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
              body: { template: presets/hubspot-forms.json.sbn }
              reason_path: errors.0.message
        """;

    [Fact]
    public async Task HubSpot_forms_posts_the_json_exactly()
    {
        using var stub = new LoopbackHttpServer(_ => new CannedResponse(200, """{"inlineMessage":"Thanks for submitting the form."}"""));

        await DeliverAsync(stub, HubSpotStep, HostileLead());

        var received = stub.Received.ShouldHaveSingleItem();
        received.Method.ShouldBe("POST");
        received.PathAndQuery.ShouldBe("/submissions/v3/integration/submit/1234567/0a1b2c3d-4e5f-6789-abcd-ef0123456789");
        received.Headers["Content-Type"].ShouldBe("application/json");
        received.BodyBytes.ShouldBe(Encoding.UTF8.GetBytes("""
            {
              "fields": [
                { "objectTypeId": "0-1", "name": "email", "value": "jane@example.com" },
                { "objectTypeId": "0-1", "name": "firstname", "value": "Zoë \"Z\" & Co" },
                { "objectTypeId": "0-1", "name": "lastname", "value": "O'Brien </tag>\nline 2 \uD83C\uDF89" },
                { "objectTypeId": "0-1", "name": "phone", "value": "+15125550123" },
                { "objectTypeId": "0-1", "name": "state", "value": "TX" },
                { "objectTypeId": "0-1", "name": "zip", "value": "78701" }
              ],
              "context": { "pageName": "Preset" }
            }

            """.ReplaceLineEndings("\n")), customMessage: received.Body);
        using var parsed = System.Text.Json.JsonDocument.Parse(received.Body);
        parsed.RootElement.GetProperty("fields")[2].GetProperty("value").GetString().ShouldBe(HostileLead()["last_name"]);
    }

    [Fact]
    public async Task HubSpot_forms_inline_message_is_success()
    {
        using var stub = new LoopbackHttpServer(_ => new CannedResponse(200, """{"inlineMessage":"Thanks for submitting the form."}"""));

        var step = await DeliverAsync(stub, HubSpotStep, HostileLead());

        step.Outcome.ShouldBe(Outcome.Success, step.Reason);
        step.Reason.ShouldBeNull();
        step.Price.ShouldBeNull();
        step.Appended["inlineMessage"].ShouldBe("Thanks for submitting the form.");
        step.Appended.ContainsKey("reference").ShouldBeFalse();
    }

    [Fact]
    public async Task HubSpot_forms_400_error_is_failure_with_the_first_errors_message()
    {
        using var stub = new LoopbackHttpServer(_ => new CannedResponse(400, """
            {"status":"error","message":"The request is not valid","correlationId":"b6f0b1c8","errors":[{"message":"Error in 'fields.email'. Invalid email address","errorType":"INVALID_EMAIL"}]}
            """));

        var step = await DeliverAsync(stub, HubSpotStep, HostileLead());

        step.Outcome.ShouldBe(Outcome.Failure);
        step.Reason.ShouldBe("The recipient rejected the lead (HTTP 400): Error in 'fields.email'. Invalid email address");
        step.Price.ShouldBeNull();
    }

    // Five9 Web2Campaign AddToList

    private const string Five9Step = """
          - key: dialer
            type: delivery
            integration: http.form
            inputs:
              url: "{base}web2campaign/AddToList?F9domain=Acme%20Insurance&F9list=Web%20Leads"
              body: { template: presets/five9-add-to-list.form.sbn }
              outcome_search_term: '/name="?F9errCode"?\s+value="?0(?![0-9])/'
              reason_path: '/name="?F9errDesc"?\s+value="([^"]*)"/'
        """;

    private static string Five9Answer(int code, string description) => $"""
        <HTML><BODY><FORM NAME="Five9Results">
        <INPUT TYPE="hidden" NAME="F9errCode" VALUE="{code}">
        <INPUT TYPE="hidden" NAME="F9errDesc" VALUE="{description}">
        </FORM></BODY></HTML>
        """;

    [Fact]
    public async Task Five9_add_to_list_posts_the_form_exactly()
    {
        using var stub = new LoopbackHttpServer(_ => new CannedResponse(200, Five9Answer(0, "The request was successfully processed"), "text/html"));

        await DeliverAsync(stub, Five9Step, HostileLead());

        var received = stub.Received.ShouldHaveSingleItem();
        received.Method.ShouldBe("POST");
        received.PathAndQuery.ShouldBe("/web2campaign/AddToList?F9domain=Acme%20Insurance&F9list=Web%20Leads");
        received.Headers["Content-Type"].ShouldBe("application/x-www-form-urlencoded");
        received.BodyBytes.ShouldBe(Encoding.UTF8.GetBytes(
            "number1=5125550123&first_name=Zo%C3%AB%20%22Z%22%20%26%20Co&last_name=O%27Brien%20%3C%2Ftag%3E%0Aline%202%20%F0%9F%8E%89"
            + "&state=TX&zip=78701&F9key=number1&F9retResults=1"), customMessage: received.Body);
    }

    [Fact]
    public async Task Five9_add_to_list_error_code_0_is_success()
    {
        using var stub = new LoopbackHttpServer(_ => new CannedResponse(200, Five9Answer(0, "The request was successfully processed"), "text/html"));

        var step = await DeliverAsync(stub, Five9Step, HostileLead());

        step.Outcome.ShouldBe(Outcome.Success, step.Reason);
        step.Reason.ShouldBe("The request was successfully processed");
        step.Price.ShouldBeNull();
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10)]
    [InlineData(600)]
    public async Task Five9_add_to_list_other_error_codes_are_failure(int code)
    {
        using var stub = new LoopbackHttpServer(_ => new CannedResponse(200, Five9Answer(code, "Number is on the DNC list"), "text/html"));

        var step = await DeliverAsync(stub, Five9Step, HostileLead());

        step.Outcome.ShouldBe(Outcome.Failure);
        step.Reason.ShouldBe("Number is on the DNC list");
    }

    // LeadConduit-compatible

    private const string LeadConduitStep = """
          - key: partner
            type: delivery
            integration: http.json
            inputs:
              url: "{base}flows/5f2b0c9e1a2b3c4d5e6f7a8b/sources/6a7b8c9d0e1f2a3b4c5d6e7f/submit"
              body: { template: presets/leadconduit.json.sbn }
              outcome_path: outcome
              reason_path: reason
              price_path: price
              reference_path: lead.id
        """;

    [Fact]
    public async Task LeadConduit_post_sends_every_lead_field_as_json_exactly()
    {
        using var stub = new LoopbackHttpServer(_ => new CannedResponse(201, """{"outcome":"success","price":12.5,"lead":{"id":"5f3c8a0d9e"}}"""));

        await DeliverAsync(stub, LeadConduitStep, HostileLead());

        var received = stub.Received.ShouldHaveSingleItem();
        received.Method.ShouldBe("POST");
        received.PathAndQuery.ShouldBe("/flows/5f2b0c9e1a2b3c4d5e6f7a8b/sources/6a7b8c9d0e1f2a3b4c5d6e7f/submit");
        received.Headers["Content-Type"].ShouldBe("application/json");
        received.BodyBytes.ShouldBe(Encoding.UTF8.GetBytes("""
            {
              "first_name": "Zoë \"Z\" & Co",
              "last_name": "O'Brien </tag>\nline 2 \uD83C\uDF89",
              "email": "jane@example.com",
              "phone_1": "5125550123",
              "company": "Tom & Jerry <b>\"Inc\"</b>",
              "city": "Austin \uD83E\uDD20",
              "state": "TX",
              "postal_code": "78701"
            }

            """.ReplaceLineEndings("\n")), customMessage: received.Body);
        using var parsed = System.Text.Json.JsonDocument.Parse(received.Body);
        foreach (var name in new[] { "first_name", "last_name", "company", "city" })
        {
            parsed.RootElement.GetProperty(name).GetString().ShouldBe(HostileLead()[name], name);
        }
    }

    [Fact]
    public async Task LeadConduit_success_answer_gives_price_and_reference()
    {
        using var stub = new LoopbackHttpServer(_ => new CannedResponse(201, """{"outcome":"success","reason":"","price":12.5,"lead":{"id":"5f3c8a0d9e"}}"""));

        var step = await DeliverAsync(stub, LeadConduitStep, HostileLead());

        step.Outcome.ShouldBe(Outcome.Success, step.Reason);
        step.Reason.ShouldBeNull();
        step.Price.ShouldBe(12.5m);
        step.Appended["reference"].ShouldBe("5f3c8a0d9e");
    }

    [Fact]
    public async Task LeadConduit_failure_answer_is_failure_with_its_reason()
    {
        using var stub = new LoopbackHttpServer(_ => new CannedResponse(201, """{"outcome":"failure","reason":"Duplicate lead","lead":{"id":"5f3c8a0d9f"}}"""));

        var step = await DeliverAsync(stub, LeadConduitStep, HostileLead());

        step.Outcome.ShouldBe(Outcome.Failure);
        step.Reason.ShouldBe("Duplicate lead");
        step.Price.ShouldBeNull();
        step.Appended["reference"].ShouldBe("5f3c8a0d9f");
    }

    [Fact]
    public async Task LeadConduit_error_answer_is_error_with_its_reason()
    {
        using var stub = new LoopbackHttpServer(_ => new CannedResponse(200, """{"outcome":"error","reason":"Recipient timed out","lead":{"id":"5f3c8a0da0"}}"""));

        var step = await DeliverAsync(stub, LeadConduitStep, HostileLead());

        step.Outcome.ShouldBe(Outcome.Error);
        step.Reason.ShouldBe("Recipient timed out");
        step.Price.ShouldBeNull();
    }

    public static TheoryData<string, int, string, string> ServerErrors() => new()
    {
        { SalesforceStep, 503, "Service Unavailable", "text/plain" },
        { HubSpotStep, 502, """{"status":"error","message":"Bad gateway"}""", "application/json" },
        { Five9Step, 500, "Internal error", "text/html" },
        { LeadConduitStep, 503, """{"outcome":"error","reason":"Service unavailable"}""", "application/json" },
    };

    [Theory]
    [MemberData(nameof(ServerErrors))]
    public async Task Every_preset_takes_a_5xx_answer_as_error(string presetStep, int status, string body, string contentType)
    {
        using var stub = new LoopbackHttpServer(_ => new CannedResponse(status, body, contentType));

        var step = await DeliverAsync(stub, presetStep, HostileLead());

        step.Outcome.ShouldBe(Outcome.Error);
        step.Reason.ShouldBe($"The recipient failed to take the lead (HTTP {status})");
    }

    private async Task<LeadEvent> DeliverAsync(LoopbackHttpServer stub, string step, Dictionary<string, string?> lead)
    {
        var yaml = $$"""
            id: preset
            name: Preset
            fields: {{Fields}}
            sources: [ { id: acme, name: Acme Media } ]
            steps:
            {{step.Replace("{base}", stub.BaseUrl.ToString(), StringComparison.Ordinal)}}
            """;
        var flow = Compile(yaml);
        var processor = new LeadProcessor(FieldTypeRegistry.Default, _integrations, new IntegrationInvoker(_handler, TimeProvider.System), TimeProvider.System);

        var result = await processor.ProcessAsync(flow, new LeadSubmission("acme", lead));

        return result.Events.Single(e => e.StepKey is "salesforce" or "hubspot" or "dialer" or "partner");
    }

    private CompiledFlow Compile(string yaml)
    {
        var scripts = RepoPaths.Combine("scripts");
        var loaded = new FlowLoader(new FlowLoaderOptions
        {
            ResolveIntegration = id => _integrations.TryGet(id, out var integration) ? integration.Descriptor : null,
            ScriptsRoot = scripts,
        }).Parse(yaml, "preset.yaml");
        loaded.Diagnostics.ShouldBeEmpty(string.Join(Environment.NewLine, loaded.Diagnostics));
        var diagnostics = new DiagnosticBag();
        var flow = new FlowCompiler(FieldTypeRegistry.Default, _integrations, scripts).Compile(loaded.Flow!, diagnostics);
        diagnostics.Items.ShouldBeEmpty(string.Join(Environment.NewLine, diagnostics.Items));
        return flow.ShouldNotBeNull();
    }
}
