using System.Net;
using System.Net.Sockets;
using System.Text;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Plugins;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Tests.Pipeline;

/// <summary>A request/response integration against a real HTTP server on loopback.</summary>
public sealed class RequestResponseTests : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _prefix;

    public RequestResponseTests()
    {
        var port = FreePort();
        _prefix = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(_prefix);
        _listener.Start();
    }

    public void Dispose() => _listener.Close();

    [Fact]
    public async Task Host_sends_the_request_parses_the_answer_and_keeps_a_masked_transcript()
    {
        Environment.SetEnvironmentVariable("PF_TEST_LOOKUP_TOKEN", "tok-123456");
        var server = Task.Run(async () =>
        {
            var context = await _listener.GetContextAsync();
            using var reader = new StreamReader(context.Request.InputStream);
            var received = await reader.ReadToEndAsync();
            var answer = Encoding.UTF8.GetBytes($$"""{"line_type":"mobile","echo":"{{received}}","auth":"{{context.Request.Headers["Authorization"]}}"}""");
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(answer);
            context.Response.Close();
            return received;
        });
        var lookup = new LineTypeLookup(new Uri(_prefix + "lookup"));
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
        var processor = Processor(lookup);

        var result = await processor.ProcessAsync(flow, TestFlows.Lead("acme", ("phone_1", "512-555-1212")));

        (await server).ShouldBe(result.Vars.Fields["phone_1"].Normal);
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
        var lookup = new LineTypeLookup(new Uri(_prefix + "lookup"));
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
        var processor = Processor(lookup);

        var result = await processor.ProcessAsync(flow, TestFlows.Lead("acme"));

        result.Vars.Steps["phone_check"].Outcome.ShouldBe(Outcome.Skip);
        result.Vars.Steps["phone_check"].Reason.ShouldBe("No phone to look up");
        result.Events.Single(e => e.StepKey == "phone_check").Transcript.ShouldBeEmpty();
    }

    private static LeadProcessor Processor(IIntegration integration) =>
        new(FieldTypeRegistry.Default, new IntegrationRegistry([integration]), new IntegrationInvoker(new SocketsHttpHandler(), TimeProvider.System),
            TimeProvider.System);

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

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
