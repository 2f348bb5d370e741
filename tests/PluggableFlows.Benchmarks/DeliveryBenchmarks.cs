using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Plugins.Http;
using PluggableFlows.Sdk;

namespace PluggableFlows.Benchmarks;

/// <summary>
/// A delivery step's own overhead, network excluded: an <c>http.json</c> step with 20 mapped fields (strings and typed
/// fields, nested paths, a header, Bearer credentials, every response rule) builds its request and reads a 2 KB JSON answer.
/// Once as the plugin's three functions alone, once through the host's invoker (transcript, masking) with an in-memory
/// handler standing in for the network. Target: at most 50 µs.
/// </summary>
[MemoryDiagnoser]
public class DeliveryBenchmarks
{
    private readonly HttpJson _delivery = new();
    private readonly CannedAnswer _network = new();
    private IntegrationInput _input = null!;
    private IntegrationResponse _answer = null!;
    private IntegrationInvoker _invoker = null!;

    [GlobalSetup]
    public void Setup()
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["url"] = "https://crm.example.com/api/v2/leads",
            ["header.X-Campaign"] = "spring-2026",
            ["outcome_search_term"] = "accepted",
            ["outcome_search_path"] = "result.status",
            ["reason_path"] = "result.message",
            ["price_path"] = "result.price",
            ["reference_path"] = "result.lead_id",
        };
        string[] names =
        [
            "contact.first_name", "contact.last_name", "contact.email", "contact.phone", "contact.mobile",
            "address.street", "address.city", "address.state", "address.postal_code", "address.country",
            "vehicle.year", "vehicle.make", "vehicle.model", "insurance.carrier", "insurance.expires",
            "consent.trustedform_url", "consent.ip", "source.id", "source.sub_id", "comments",
        ];
        for (var i = 0; i < names.Length; i++)
        {
            values["json_property." + names[i]] = i % 4 == 0
                ? new FieldValue("number", $"{2000 + i}", $"{2000 + i}", 2000.0 + i, valid: true)
                : $"value {i} for {names[i]} \"quoted\" & ünïcode";
        }

        _input = new IntegrationInput(values, new Dictionary<string, string> { [HttpDelivery.Token] = "crm-token-0123456789abcdef" });
        _answer = new IntegrationResponse { StatusCode = 201, ContentType = "application/json", Body = Answer() };
        _network.Body = _answer.Body;
        _invoker = new IntegrationInvoker(_network, TimeProvider.System);
    }

    [Benchmark(Baseline = true, Description = "http.json: validate, build (20 fields), parse 2 KB answer")]
    public IntegrationResult PluginOnly()
    {
        _ = _delivery.Validate(_input);
        var request = _delivery.BuildRequest(_input);
        return _delivery.ParseResponse(_input, request, _answer);
    }

    [Benchmark(Description = "the same step through the invoker, in-memory network")]
    public Task<Invocation> ThroughInvoker() => _invoker.InvokeAsync(_delivery, _input, TimeSpan.FromSeconds(30), CancellationToken.None);

    // A 2 KB answer: the verdict, and the kind of echo and metadata CRMs send back.
    private static string Answer()
    {
        var answer = new StringBuilder("""{"result":{"status":"Accepted","message":"Lead accepted","price":"12.50","lead_id":"CRM-884213"},"lead":{""");
        for (var i = 0; answer.Length < 1900; i++)
        {
            answer.Append(i == 0 ? "" : ",").Append($"\"field_{i}\":\"echoed value number {i}\"");
        }

        return answer.Append("""},"meta":{"server":"crm-7","took_ms":12}}""").ToString();
    }

    /// <summary>Answers every request with the same JSON at once: the network, excluded.</summary>
    private sealed class CannedAnswer : HttpMessageHandler
    {
        public string Body { get; set; } = "";

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.Created)
            {
                Content = new StringContent(Body, Encoding.UTF8, "application/json"),
                RequestMessage = request,
            });
    }
}
