using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PluggableFlows.Testing;

/// <summary>
/// A real Kestrel server on 127.0.0.1, on a port Kestrel picks, standing in for a provider or a CRM: it records every request
/// (with the exact bytes of its body) and answers what the test's handler returns. Linked into every test project.
/// </summary>
internal sealed class LoopbackHttpServer : IDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(2);

    private readonly Func<ReceivedRequest, Task<CannedResponse>> _respond;
    private readonly WebApplication _app;

    public LoopbackHttpServer(Func<ReceivedRequest, Task<CannedResponse>> respond)
    {
        _respond = respond;

        // The empty builder reads no appsettings.json, environment variables or command line and watches no files, so
        // nothing on the machine can add an endpoint or a logger to a stub, and dozens of stubs cost no inotify watches.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.AddServerHeader = false;

            // Size limits belong to the code under test; the stub takes whatever a test posts.
            kestrel.Limits.MaxRequestBodySize = null;
        });
        _app = builder.Build();
        _app.Run(ServeAsync);
        _app.StartAsync().GetAwaiter().GetResult();

        var addresses = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>();
        Port = new Uri(addresses.Addresses.Single()).Port;
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
        // Stopping waits for requests in flight; past the timeout Kestrel closes their connections instead of waiting on.
        using (var timeout = new CancellationTokenSource(StopTimeout))
        {
            _app.StopAsync(timeout.Token).GetAwaiter().GetResult();
        }

        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private async Task ServeAsync(HttpContext context)
    {
        var clientGone = context.RequestAborted;
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, clientGone);
            var bytes = buffer.ToArray();
            var received = new ReceivedRequest(
                context.Request.Method,
                // The request target as it arrived, not re-encoded from the decoded path: tests check the client's escaping.
                context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget,
                context.Request.Headers.ToDictionary(
                    header => header.Key,
                    header => string.Join(", ", header.Value.ToArray()),
                    StringComparer.OrdinalIgnoreCase),
                Encoding.UTF8.GetString(bytes))
            {
                BodyBytes = bytes,
            };
            Received.Enqueue(received);

            // A handler that outlasts its client (a timeout test) is abandoned when the client goes away, so stopping the
            // server does not wait for it.
            var canned = await _respond(received).WaitAsync(clientGone);
            context.Response.StatusCode = canned.Status;
            if (!string.IsNullOrEmpty(canned.ContentType))
            {
                context.Response.ContentType = canned.ContentType;
            }

            if (canned.Location is { } location)
            {
                context.Response.Headers.Location = location;
            }

            var answer = Encoding.UTF8.GetBytes(canned.Body);
            if (answer.Length > 0)
            {
                context.Response.ContentLength = answer.Length;
                await context.Response.Body.WriteAsync(answer, clientGone);
            }
        }
        catch (Exception) when (clientGone.IsCancellationRequested)
        {
            // The client went away (a timeout test): nothing to answer.
        }
    }
}

/// <summary>What the stub received.</summary>
internal sealed record ReceivedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The body exactly as its bytes arrived; <see cref="Body"/> is their UTF-8 decoding.</summary>
    public required byte[] BodyBytes { get; init; }
}

/// <summary>What the stub answers. An empty <see cref="ContentType"/> sends no Content-Type header.</summary>
internal sealed record CannedResponse(int Status, string Body, string ContentType = "application/json")
{
    /// <summary>The Location header of a redirect.</summary>
    public string? Location { get; init; }
}
