using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Plugins;
using PluggableFlows.Sdk;
using PluggableFlows.Testing;

namespace PluggableFlows.Engine.Tests.Pipeline;

/// <summary>A request/response integration against a real HTTP server on loopback.</summary>
public sealed class RequestResponseTests
{
    [Fact]
    public async Task Host_sends_the_request_parses_the_answer_and_keeps_a_masked_transcript()
    {
        Environment.SetEnvironmentVariable("PF_TEST_LOOKUP_TOKEN", "tok-123456");
        using var server = new LoopbackHttpServer(request =>
            new CannedResponse(200, $$"""{"line_type":"mobile","echo":"{{request.Body}}","auth":"{{request.Headers["Authorization"]}}"}"""));
        var lookup = new LineTypeLookup(new Uri(server.BaseUrl, "lookup"));
        var flow = TestFlows.Compile("""
            id: rr
            fields: [phone_1]
            sources: [ { id: acme } ]
            steps:
              - key: phone_check
                type: enhancement
                integration: line.type
                inputs: { phone: "{{ lead.phone_1 }}" }
                credentials: { token: { env: PF_TEST_LOOKUP_TOKEN } }
            """, lookup);

        var result = await Processor(lookup).ProcessAsync(flow, TestFlows.Lead("acme", ("phone_1", "512-555-1212")));

        server.Received.ShouldHaveSingleItem().Body.ShouldBe(result.Vars.Fields["phone_1"].Normal);
        result.Vars.Resolve("phone_check.line_type").ShouldBe("mobile");
        var exchange = result.Events.Single(e => e.StepKey == "phone_check").Transcript.ShouldHaveSingleItem();
        exchange.Status.ShouldBe(200);
        exchange.Method.ShouldBe("POST");
        exchange.RequestHeaders.ShouldContain(h => h.Key == "Authorization" && h.Value == "Bearer ***");
        exchange.ResponseBody.ShouldNotBeNull().ShouldContain("\"auth\":\"Bearer ***\"");
        exchange.ResponseBody.ShouldNotContain("tok-123456");
    }

    [Fact]
    public async Task Validate_can_skip_the_call()
    {
        using var server = new LoopbackHttpServer(_ => new CannedResponse(200, "{}"));
        var lookup = new LineTypeLookup(new Uri(server.BaseUrl, "lookup"));
        var flow = TestFlows.Compile("""
            id: rr
            fields: [phone_1]
            sources: [ { id: acme } ]
            steps:
              - key: phone_check
                type: enhancement
                integration: line.type
                inputs: { phone: "{{ lead.phone_1 }}" }
            """, lookup);

        var result = await Processor(lookup).ProcessAsync(flow, TestFlows.Lead("acme"));

        result.Vars.Steps["phone_check"].Outcome.ShouldBe(Outcome.Skip);
        result.Vars.Steps["phone_check"].Reason.ShouldBe("No phone to look up");
        result.Events.Single(e => e.StepKey == "phone_check").Transcript.ShouldBeEmpty();
        server.Received.ShouldBeEmpty();
    }

    private static LeadProcessor Processor(IIntegration integration) =>
        new(FieldTypeRegistry.Default, new IntegrationRegistry([integration]), new IntegrationInvoker(new SocketsHttpHandler(), TimeProvider.System),
            TimeProvider.System);

    private sealed class LineTypeLookup(Uri url) : IRequestResponseIntegration
    {
        public IntegrationDescriptor Descriptor { get; } = new()
        {
            Id = "line.type",
            Name = "Line type lookup",
            Kind = IntegrationKind.Enhancement,
            Credentials = [new CredentialDescriptor("token", Required: false)],
            RequestVariables = [new VariableDescriptor("phone", "phone", Required: false)],
            ResponseVariables = [new VariableDescriptor("line_type", "string")],
        };

        public string? Validate(IntegrationInput input) => input.GetString("phone") is null ? "No phone to look up" : null;

        public IntegrationRequest BuildRequest(IntegrationInput input) => new()
        {
            Method = "POST",
            Url = url,
            Headers = [KeyValuePair.Create("Authorization", "Bearer " + input.GetCredential("token"))],
            Body = input.GetString("phone"),
            ContentType = "text/plain",
        };

        public IntegrationResult ParseResponse(IntegrationInput input, IntegrationRequest request, IntegrationResponse response)
        {
            using var json = System.Text.Json.JsonDocument.Parse(response.Body);
            return IntegrationResult.Success(new Dictionary<string, object?> { ["line_type"] = json.RootElement.GetProperty("line_type").GetString() });
        }
    }
}
