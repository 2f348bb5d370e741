using System.Net;
using System.Net.Http.Headers;
using System.Text;
using PluggableFlows.Sdk;

namespace PluggableFlows.Conformance;

/// <summary>
/// Stands in for the provider: answers every request with one canned response, hangs until cancelled (the timeout and
/// cancellation scenarios), or holds every answer until a number of requests are in flight (the concurrency scenario,
/// so that calls overlap every time rather than by luck).
/// </summary>
internal sealed class StubProvider : HttpMessageHandler
{
    private static readonly HashSet<string> ContentHeaderNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Type", "Content-Length", "Content-Encoding", "Content-Language", "Content-Location", "Content-MD5",
        "Content-Range", "Content-Disposition", "Expires", "Last-Modified", "Allow",
    };

    private readonly IntegrationResponse _response;
    private readonly bool _hang;
    private readonly int _holdUntil;
    private readonly TimeSpan _holdAtMost;
    private readonly TimeProvider _time;
    private readonly TaskCompletionSource _firstRequest = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _requests;

    private StubProvider(IntegrationResponse response, bool hang, int holdUntil, TimeSpan holdAtMost, TimeProvider time)
    {
        _response = response;
        _hang = hang;
        _holdUntil = holdUntil;
        _holdAtMost = holdAtMost;
        _time = time;
    }

    /// <summary>Completes when the first request arrives.</summary>
    public Task FirstRequest => _firstRequest.Task;

    /// <summary>Requests received so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public static StubProvider Answering(IntegrationResponse response) => new(response, false, 0, TimeSpan.Zero, TimeProvider.System);

    public static StubProvider Hanging() => new(new IntegrationResponse { StatusCode = 200 }, true, 0, TimeSpan.Zero, TimeProvider.System);

    /// <summary>Answers once <paramref name="requests"/> requests are waiting, or after <paramref name="atMost"/>.</summary>
    public static StubProvider HoldingUntil(IntegrationResponse response, int requests, TimeSpan atMost, TimeProvider time) =>
        new(response, false, requests, atMost, time);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var arrived = Interlocked.Increment(ref _requests);
        _firstRequest.TrySetResult();
        if (_hang)
        {
            await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, _time, cancellationToken);
        }

        if (_holdUntil > 0)
        {
            if (arrived >= _holdUntil)
            {
                _released.TrySetResult();
            }

            try
            {
                await _released.Task.WaitAsync(_holdAtMost, _time, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Fewer calls reached the provider than were started (some skipped, or failed first): answer anyway.
                _released.TrySetResult();
            }
        }

        return ToMessage(_response);
    }

    internal static HttpResponseMessage ToMessage(IntegrationResponse response)
    {
        var content = new StringContent(response.Body ?? "", Encoding.UTF8);
        content.Headers.ContentType = response.ContentType is not null && MediaTypeHeaderValue.TryParse(response.ContentType, out var type)
            ? type
            : null;
        var message = new HttpResponseMessage((HttpStatusCode)response.StatusCode) { Content = content };
        foreach (var (name, value) in response.Headers ?? [])
        {
            if (ContentHeaderNames.Contains(name))
            {
                if (!name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) && !name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    content.Headers.TryAddWithoutValidation(name, value);
                }
            }
            else
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return message;
    }
}
