using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PluggableFlows.Testing;

/// <summary>A real HTTP server on 127.0.0.1 standing in for a provider or a CRM. Linked into every test project.</summary>
internal sealed class LoopbackHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<ReceivedRequest, Task<CannedResponse>> _respond;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LoopbackHttpServer(Func<ReceivedRequest, Task<CannedResponse>> respond)
    {
        _respond = respond;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public LoopbackHttpServer(Func<ReceivedRequest, CannedResponse> respond) : this(request => Task.FromResult(respond(request)))
    {
    }

    public int Port { get; }

    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");

    /// <summary>Every request received, in order.</summary>
    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var received = new ReceivedRequest(
                context.Request.HttpMethod,
                context.Request.Url!.PathAndQuery,
                context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase),
                await reader.ReadToEndAsync());
            Received.Enqueue(received);
            var canned = await _respond(received);
            context.Response.StatusCode = canned.Status;
            context.Response.ContentType = canned.ContentType;
            if (canned.Location is { } location)
            {
                context.Response.RedirectLocation = location;
            }

            var bytes = Encoding.UTF8.GetBytes(canned.Body);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (HttpListenerException)
        {
            // The client went away (a timeout test): nothing to answer.
        }
        catch (ObjectDisposedException)
        {
        }
    }
}

/// <summary>What the stub received.</summary>
internal sealed record ReceivedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>What the stub answers.</summary>
internal sealed record CannedResponse(int Status, string Body, string ContentType = "application/json")
{
    /// <summary>The Location header of a redirect.</summary>
    public string? Location { get; init; }
}
