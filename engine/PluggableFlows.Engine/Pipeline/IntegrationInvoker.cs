using System.Net.Http.Headers;
using System.Text;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Pipeline;

/// <summary>Limits the host puts on every integration call.</summary>
public sealed class IntegrationInvokerOptions
{
    /// <summary>Largest provider response body read, in bytes; a larger one makes the step an error. 1 MiB by default.</summary>
    public long MaxResponseBytes { get; set; } = 1024 * 1024;
}

/// <summary>The outcome of calling one integration, with the time spent waiting on providers and what went over the wire.</summary>
/// <param name="Result">What the integration returned, or the error the host made of its fault.</param>
/// <param name="ProviderWait">Time spent in HTTP exchanges.</param>
/// <param name="Transcript">Every HTTP exchange, secrets masked.</param>
public sealed record Invocation(IntegrationResult Result, TimeSpan ProviderWait, IReadOnlyList<HttpExchange> Transcript);

/// <summary>
/// Calls integrations of either shape with a timeout, a response size limit and a masked transcript of every HTTP
/// exchange. Whatever a plugin does (throws, hangs, returns garbage) the lead gets an <see cref="Outcome.Error"/> with
/// a reason, never an exception; only the caller's own cancellation propagates.
/// </summary>
public sealed class IntegrationInvoker
{
    private const int MaxRedirects = 10;

    // Given whether the call is an add-on's (operator-configured endpoints, unguarded) or not.
    private readonly Func<bool, HttpClient> _http;
    private readonly TimeProvider _time;
    private readonly IntegrationInvokerOptions _options;
    private readonly IValueLists? _lists;

    /// <summary>Creates an invoker sending through <paramref name="handler"/> (long-lived and shared; never disposed here).</summary>
    public IntegrationInvoker(HttpMessageHandler handler, TimeProvider time, IntegrationInvokerOptions? options = null, IValueLists? lists = null)
        : this(SharedClient(handler, time), time, options, lists)
    {
    }

    /// <summary>
    /// Creates an invoker whose HTTP clients come from <paramref name="clients"/> (the named clients
    /// <see cref="PipelineServiceCollectionExtensions.HttpClientName"/> and
    /// <see cref="PipelineServiceCollectionExtensions.AddOnHttpClientName"/>, set up by <c>AddLeadPipeline</c> with the
    /// recording handler), so handler lifetimes, DNS refresh and resilience follow the host's HTTP configuration.
    /// </summary>
    public IntegrationInvoker(IHttpClientFactory clients, TimeProvider time, IntegrationInvokerOptions? options = null, IValueLists? lists = null)
        : this(ClientsFrom(clients), time, options, lists)
    {
    }

    private IntegrationInvoker(Func<bool, HttpClient> http, TimeProvider time, IntegrationInvokerOptions? options, IValueLists? lists)
    {
        ArgumentNullException.ThrowIfNull(time);
        _http = http;
        _time = time;
        _options = options ?? new IntegrationInvokerOptions();
        _lists = lists;
    }

    /// <summary>The header every HTTP request of a retried step carries, the same on every attempt, so the recipient can
    /// recognise a repeat of a request it already acted on.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>Calls <paramref name="integration"/> once.</summary>
    public Task<Invocation> InvokeAsync(IIntegration integration, IntegrationInput input, TimeSpan timeout, CancellationToken cancellationToken) =>
        InvokeAsync(integration, input, timeout, idempotencyKey: null, cancellationToken);

    /// <summary>Calls <paramref name="integration"/> once; every HTTP request it makes carries <paramref name="idempotencyKey"/>
    /// in <see cref="IdempotencyKeyHeader"/> (unless the integration set that header itself).</summary>
    public async Task<Invocation> InvokeAsync(IIntegration integration, IntegrationInput input, TimeSpan timeout, string? idempotencyKey,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integration);
        ArgumentNullException.ThrowIfNull(input);
        var id = SafeId(integration);
        var http = _http(IsAddOn(integration));
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token) : null;
        var token = linked?.Token ?? deadline.Token;
        var recorder = new RecordingScope(input, _options.MaxResponseBytes) { IdempotencyKey = idempotencyKey };
        RecordingHandler.Current.Value = recorder;
        try
        {
            var result = integration switch
            {
                IRequestResponseIntegration exchange => await ExchangeAsync(exchange, input, http, token),
                IHandlerIntegration handler => await handler.HandleAsync(new IntegrationContext(input, http, _time, _lists), token),
                _ => IntegrationResult.Error($"Integration '{id}' implements neither IRequestResponseIntegration nor IHandlerIntegration."),
            };
            return new Invocation(Checked(id, result), recorder.Waited, recorder.Exchanges);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return new Invocation(IntegrationResult.Error($"Timed out after {timeout.TotalSeconds:0.###} s."), recorder.Waited, recorder.Exchanges);
        }
        catch (ResponseTooLargeException exception)
        {
            return new Invocation(IntegrationResult.Error(exception.Message), recorder.Waited, recorder.Exchanges);
        }
        catch (IntegrationRequestRefusedException exception)
        {
            return new Invocation(IntegrationResult.Error(exception.Message), recorder.Waited, recorder.Exchanges);
        }
        catch (HttpRequestException exception) when (exception.InnerException is DeliveryAddressRefusedException refused)
        {
            return new Invocation(IntegrationResult.Error(refused.Message), recorder.Waited, recorder.Exchanges);
        }
#pragma warning disable CA1031 // A plugin fault must become an error outcome, whatever it is.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            var inner = exception is HttpRequestException { InnerException: ResponseTooLargeException tooLarge } ? tooLarge : exception;
            var reason = inner is ResponseTooLargeException ? inner.Message : $"{id} failed: {inner.GetType().Name}: {inner.Message}";
            return new Invocation(IntegrationResult.Error(reason), recorder.Waited, recorder.Exchanges);
        }
        finally
        {
            RecordingHandler.Current.Value = null;
        }
    }

    // One client for every call: each call's exchanges are recorded into its own scope (an AsyncLocal), so no per-call
    // client or handler is built on the hot path.
    private static Func<bool, HttpClient> SharedClient(HttpMessageHandler handler, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var shared = new HttpClient(new RecordingHandler(time) { InnerHandler = handler }, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        return _ => shared;
    }

    private static Func<bool, HttpClient> ClientsFrom(IHttpClientFactory clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        return addOn => clients.CreateClient(addOn ? PipelineServiceCollectionExtensions.AddOnHttpClientName : PipelineServiceCollectionExtensions.HttpClientName);
    }

    private static bool IsAddOn(IIntegration integration)
    {
        try
        {
            return integration.Descriptor.Class == IntegrationClass.AddOn;
        }
#pragma warning disable CA1031 // A descriptor that throws is a plugin fault; the call is then guarded like any other.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    private static string SafeId(IIntegration integration)
    {
        try
        {
            return integration.Descriptor.Id;
        }
#pragma warning disable CA1031 // A descriptor that throws is a plugin fault like any other.
        catch (Exception)
#pragma warning restore CA1031
        {
            return integration.GetType().Name;
        }
    }

    private static IntegrationResult Checked(string id, IntegrationResult? result)
    {
        if (result is null)
        {
            return IntegrationResult.Error($"{id} returned no result.");
        }

        if (!Enum.IsDefined(result.Outcome))
        {
            return IntegrationResult.Error($"{id} returned an unknown outcome ({(int)result.Outcome}).");
        }

        return result.Appended is null ? result with { Appended = new Dictionary<string, object?>() } : result;
    }

    private static async Task<IntegrationResult> ExchangeAsync(IRequestResponseIntegration integration, IntegrationInput input,
        HttpClient http, CancellationToken cancellationToken)
    {
        if (integration.Validate(input) is { } skipReason)
        {
            return IntegrationResult.Skip(skipReason);
        }

        var request = integration.BuildRequest(input) ?? throw new InvalidOperationException("BuildRequest returned no request.");
        var follow = request.FollowRedirects ?? request.Method.ToUpperInvariant() is "GET" or "HEAD";
        var method = new HttpMethod(request.Method);
        var url = request.Url;
        var body = request.Body;
        var sameOrigin = true;
        for (var hop = 0; ; hop++)
        {
            using var message = Message(request, method, url, body, sameOrigin);
            using var answer = await http.SendAsync(message, cancellationToken);
            if (follow && hop < MaxRedirects && RedirectTarget(answer, url) is { } next)
            {
                // 301 and 302 turn a POST into a GET, as browsers (and HttpClient) do; 303 always does; 307 and 308 keep both.
                if ((int)answer.StatusCode == 303 || ((int)answer.StatusCode is 301 or 302 && method == HttpMethod.Post))
                {
                    method = method == HttpMethod.Head ? method : HttpMethod.Get;
                    body = null;
                }

                // Credentials go only where the integration sent them.
                sameOrigin &= Uri.Compare(url, next, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
                url = next;
                continue;
            }

            var response = new IntegrationResponse
            {
                StatusCode = (int)answer.StatusCode,
                Headers = answer.Headers.Concat(answer.Content.Headers)
                    .Select(h => KeyValuePair.Create(h.Key, string.Join(", ", h.Value)))
                    .ToArray(),
                Body = await answer.Content.ReadAsStringAsync(cancellationToken),
                ContentType = answer.Content.Headers.ContentType?.MediaType,
            };
            return integration.ParseResponse(input, request, response);
        }
    }

    private static HttpRequestMessage Message(IntegrationRequest request, HttpMethod method, Uri url, string? body, bool sameOrigin)
    {
        var message = new HttpRequestMessage(method, url);
        foreach (var (name, value) in request.Headers)
        {
            if (sameOrigin || !name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (body is not null)
        {
            message.Content = new StringContent(body, Encoding.UTF8);
            if (request.ContentType is not null)
            {
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType);
            }
        }

        return message;
    }

    // Where a redirect points, when it is one to follow: never from https down to http.
    private static Uri? RedirectTarget(HttpResponseMessage answer, Uri from)
    {
        if ((int)answer.StatusCode is not (301 or 302 or 303 or 307 or 308) || answer.Headers.Location is not { } location)
        {
            return null;
        }

        var target = location.IsAbsoluteUri ? location : new Uri(from, location);
        return target.Scheme is "http" or "https" && !(from.Scheme == "https" && target.Scheme == "http") ? target : null;
    }
}
/// <summary>A provider answered with more than the host reads.</summary>
internal sealed class ResponseTooLargeException(long limit)
    : Exception($"The provider's response is larger than the {limit:N0}-byte limit.");

/// <summary>What one integration call has sent and received so far.</summary>
internal sealed class RecordingScope(IntegrationInput input, long maxResponseBytes)
{
    private readonly List<HttpExchange> _exchanges = [];
    private SecretMask? _mask;
    private long _waitedTicks;

    public long MaxResponseBytes { get; } = maxResponseBytes;

    public string? IdempotencyKey { get; init; }

    // Built on first use: most in-process calls never touch HTTP.
    public SecretMask Mask => _mask ??= SecretMask.For(input);

    public IReadOnlyList<HttpExchange> Exchanges
    {
        get
        {
            lock (_exchanges)
            {
                return _exchanges.Count == 0 ? [] : [.. _exchanges];
            }
        }
    }

    public TimeSpan Waited => TimeSpan.FromTicks(Interlocked.Read(ref _waitedTicks));

    public void Add(HttpExchange exchange)
    {
        Interlocked.Add(ref _waitedTicks, exchange.Duration.Ticks);
        lock (_exchanges)
        {
            _exchanges.Add(exchange);
        }
    }
}

/// <summary>
/// Sits between integrations' HTTP calls and the network: buffers each response (up to the call's size limit) and
/// keeps a masked copy of the exchange in the calling integration's <see cref="RecordingScope"/>.
/// </summary>
internal sealed class RecordingHandler(TimeProvider time) : DelegatingHandler
{
    public static readonly AsyncLocal<RecordingScope?> Current = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var scope = Current.Value ?? throw new InvalidOperationException("Integration HTTP calls must be made while the host is calling the integration.");
        if (scope.IdempotencyKey is { } key && !request.Headers.Contains(IntegrationInvoker.IdempotencyKeyHeader))
        {
            request.Headers.TryAddWithoutValidation(IntegrationInvoker.IdempotencyKeyHeader, key);
        }

        var requestBody = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var requestHeaders = Headers(scope.Mask, request.Headers, request.Content?.Headers);
        var started = time.GetTimestamp();
        HttpResponseMessage? response = null;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
            try
            {
                if (response.Content.Headers.ContentLength > scope.MaxResponseBytes)
                {
                    throw new HttpRequestException("too large");
                }

                await response.Content.LoadIntoBufferAsync(scope.MaxResponseBytes, cancellationToken);
            }
            catch (HttpRequestException)
            {
                response.Dispose();
                response = null;
                throw new ResponseTooLargeException(scope.MaxResponseBytes);
            }

            return response;
        }
        finally
        {
            var elapsed = time.GetElapsedTime(started);
            string? responseBody = null;
            if (response?.Content is { } content)
            {
                try
                {
                    responseBody = await content.ReadAsStringAsync(CancellationToken.None);
                }
#pragma warning disable CA1031 // The transcript is best effort; the exchange's own error is what matters.
                catch (Exception)
#pragma warning restore CA1031
                {
                    responseBody = null;
                }
            }

            var mask = scope.Mask;
            scope.Add(new HttpExchange(request.Method.Method, mask.Apply(request.RequestUri?.ToString() ?? ""), requestHeaders,
                requestBody is null ? null : mask.Apply(requestBody), response is null ? null : (int)response.StatusCode,
                response is null ? [] : Headers(mask, response.Headers, response.Content.Headers),
                responseBody is null ? null : mask.Apply(responseBody), elapsed));

            // The integration resumes from here, on the thread pool even when the socket completed on its event thread.
            await new ResumeOnThreadPool();
        }
    }

    private static KeyValuePair<string, string>[] Headers(SecretMask mask, HttpHeaders headers, HttpHeaders? contentHeaders) =>
        headers.Concat(contentHeaders ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .Select(h => KeyValuePair.Create(h.Key, MaskHeader(mask, h.Key, string.Join(", ", h.Value))))
            .ToArray();

    // Authorization values are credentials in some encoding the host cannot know (Basic, HMAC signatures): keep the scheme only.
    private static string MaskHeader(SecretMask mask, string name, string value) =>
        name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) || name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase)
            ? (value.IndexOf(' ', StringComparison.Ordinal) is > 0 and var space ? value[..space] + " ***" : "***")
            : mask.Apply(value);
}

/// <summary>Replaces every secret, and its URL-encoded and base64 forms, with <c>***</c>.</summary>
internal sealed class SecretMask
{
    private readonly string[] _secrets;

    private SecretMask(IEnumerable<string> secrets) =>
        // Longest first, so a secret containing another is masked whole. Very short values would mask half the text.
        _secrets = secrets.Where(s => s.Length >= 4)
            .SelectMany(s => new[] { s, Uri.EscapeDataString(s), Convert.ToBase64String(Encoding.UTF8.GetBytes(s)) })
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length)
            .ToArray();

    /// <summary>The secrets of one call: its credentials and any ssn- or credential-typed input.</summary>
    public static SecretMask For(IntegrationInput input)
    {
        var secrets = new List<string>(input.Credentials.Values);
        foreach (var value in input.Values.Values)
        {
            if (value is FieldValue field && VarsJson.IsSecretType(field.Type))
            {
                secrets.Add(field.Raw.Trim());
                secrets.Add(field.Normal);
            }
        }

        return new SecretMask(secrets);
    }

    public string Apply(string text)
    {
        foreach (var secret in _secrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        return text;
    }
}
