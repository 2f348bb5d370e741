using System.Net;
using System.Net.Sockets;
using System.Text;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.TrustedForm.Tests;

/// <summary>The integration driven by the engine's own invoker against a real HTTP server on loopback standing in for TrustedForm.</summary>
public sealed class LoopbackStubTests : IDisposable
{
    private const string CertId = "00112233445566778899aabbccddeeff00112233";
    private const string Key = "tf-loopback-key-4f9a2c71";

    private readonly HttpListener _listener = new();
    private readonly string _baseUrl;
    private readonly List<(string Method, string Path, string? Authorization, string Body)> _received = [];
    private readonly Task _serving;
    private int _status = 200;
    private string _answer = "";

    public LoopbackStubTests()
    {
        _baseUrl = $"http://127.0.0.1:{FreePort()}";
        _listener.Prefixes.Add(_baseUrl + "/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
    }

    [Fact]
    public async Task A_valid_certificate_verified_through_the_invoker_sends_basic_auth_and_masks_the_key()
    {
        _answer = $$$"""{"outcome":"success","cert":{"cert_id":"{{{CertId}}}","created_at":"2025-03-01T11:58:00Z","expires_at":"2025-05-30T11:58:00Z","age_seconds":42}}""";

        var invocation = await Invoke();

        invocation.Result.Outcome.ShouldBe(Outcome.Success);
        invocation.Result.Appended["status"].ShouldBe("valid");
        invocation.Result.Appended["age_seconds"].ShouldBe(42L);

        var (method, path, authorization, body) = _received.ShouldHaveSingleItem();
        method.ShouldBe("POST");
        path.ShouldBe("/" + CertId);
        authorization.ShouldBe("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("API:" + Key)));
        body.ShouldBe("""{"reference":"lead-7"}""");

        var exchange = invocation.Transcript.ShouldHaveSingleItem();
        exchange.Status.ShouldBe(200);
        var transcript = string.Join("\n", exchange.RequestHeaders.Concat(exchange.ResponseHeaders).Select(h => $"{h.Key}: {h.Value}"))
            + exchange.Url + exchange.RequestBody + exchange.ResponseBody;
        transcript.ShouldNotContain(Key);
        transcript.ShouldNotContain(authorization!["Basic ".Length..]);
        exchange.RequestHeaders.ShouldContain(h => h.Key == "Authorization" && h.Value == "Basic ***");
    }

    [Fact]
    public async Task An_unknown_certificate_from_the_stub_is_a_failure()
    {
        _status = 404;
        _answer = """{"message":"Certificate not found"}""";

        var invocation = await Invoke();

        invocation.Result.Outcome.ShouldBe(Outcome.Failure);
        invocation.Result.Appended["status"].ShouldBe("unknown");
    }

    [Fact]
    public async Task A_rejected_key_from_the_stub_is_an_error()
    {
        _status = 401;
        _answer = """{"message":"Unauthorized"}""";

        var invocation = await Invoke();

        invocation.Result.Outcome.ShouldBe(Outcome.Error);
        invocation.Result.Reason.ShouldBe("TrustedForm rejected the API key");
    }

    private async Task<Invocation> Invoke()
    {
        using var handler = new SocketsHttpHandler();
        var invoker = new IntegrationInvoker(handler, TimeProvider.System);
        var input = new IntegrationInput(
            new Dictionary<string, object?>
            {
                ["cert_url"] = "https://cert.trustedform.com/" + CertId,
                ["base_url"] = _baseUrl,
                ["reference"] = "lead-7",
            },
            new Dictionary<string, string> { ["api_key"] = Key });
        return await invoker.InvokeAsync(new TrustedFormVerify(), input, TimeSpan.FromSeconds(10), CancellationToken.None);
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            lock (_received)
            {
                _received.Add((context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.Headers["Authorization"], body));
            }

            var bytes = Encoding.UTF8.GetBytes(_answer);
            context.Response.StatusCode = _status;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
