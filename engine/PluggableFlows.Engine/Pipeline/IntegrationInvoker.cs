using System.Net.Http.Headers;
using System.Text;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Pipeline;

/// <summary>The outcome of calling one integration, with what it cost in waiting and what went over the wire.</summary>
internal sealed record Invocation(IntegrationResult Result, TimeSpan ProviderWait, IReadOnlyList<HttpExchange> Transcript);

/// <summary>
/// Calls integrations of either shape. Whatever a plugin does (throws, hangs, returns garbage) the lead gets an
/// <see cref="Outcome.Error"/> with a reason, never an exception.
/// </summary>
internal sealed class IntegrationInvoker
{
    private readonly HttpClient _http;
    private readonly TimeProvider _time;

    public IntegrationInvoker(HttpClient http, TimeProvider time)
    {
        _http = http;
        _time = time;
    }

    public async Task<Invocation> InvokeAsync(IIntegration integration, IntegrationInput input, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var transcript = new List<HttpExchange>();
        var started = _time.GetTimestamp();
        try
        {
            var result = integration switch
            {
                IRequestResponseIntegration exchange => await ExchangeAsync(exchange, input, transcript, linked.Token),
                IHandlerIntegration handler => await handler.HandleAsync(new IntegrationContext(input, _http, _time), linked.Token),
                _ => IntegrationResult.Error($"Integration '{integration.Descriptor.Id}' implements neither IRequestResponseIntegration nor IHandlerIntegration."),
            };
            return new Invocation(Checked(integration, result), _time.GetElapsedTime(started), transcript);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new Invocation(IntegrationResult.Error($"Timed out after {timeout.TotalSeconds:0.###} s."), _time.GetElapsedTime(started), transcript);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A plugin fault must become an error outcome, whatever it is.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return new Invocation(IntegrationResult.Error($"{integration.Descriptor.Id} failed: {exception.GetType().Name}: {exception.Message}"),
                _time.GetElapsedTime(started), transcript);
        }
    }

    private static IntegrationResult Checked(IIntegration integration, IntegrationResult? result)
    {
        if (result is null)
        {
            return IntegrationResult.Error($"{integration.Descriptor.Id} returned no result.");
        }

        if (!Enum.IsDefined(result.Outcome))
        {
            return IntegrationResult.Error($"{integration.Descriptor.Id} returned an unknown outcome ({(int)result.Outcome}).");
        }

        return result.Appended is null ? result with { Appended = new Dictionary<string, object?>() } : result;
    }

    private async Task<IntegrationResult> ExchangeAsync(IRequestResponseIntegration integration, IntegrationInput input,
        List<HttpExchange> transcript, CancellationToken cancellationToken)
    {
        if (integration.Validate(input) is { } skipReason)
        {
            return IntegrationResult.Skip(skipReason);
        }

        var request = integration.BuildRequest(input);
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Url);
        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (request.Body is not null)
        {
            message.Content = new StringContent(request.Body, Encoding.UTF8);
            if (request.ContentType is not null)
            {
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType);
            }
        }

        var started = _time.GetTimestamp();
        using var answer = await _http.SendAsync(message, cancellationToken);
        var body = await answer.Content.ReadAsStringAsync(cancellationToken);
        var headers = answer.Headers.Concat(answer.Content.Headers)
            .Select(h => KeyValuePair.Create(h.Key, string.Join(", ", h.Value)))
            .ToArray();
        var response = new IntegrationResponse
        {
            StatusCode = (int)answer.StatusCode,
            Headers = headers,
            Body = body,
            ContentType = answer.Content.Headers.ContentType?.MediaType,
        };

        var mask = new SecretMask(input.Credentials.Values);
        transcript.Add(new HttpExchange(request.Method, mask.Apply(request.Url.ToString()),
            request.Headers.Select(h => KeyValuePair.Create(h.Key, mask.Apply(h.Value))).ToArray(),
            request.Body is null ? null : mask.Apply(request.Body), response.StatusCode,
            headers.Select(h => KeyValuePair.Create(h.Key, mask.Apply(h.Value))).ToArray(), mask.Apply(body),
            _time.GetElapsedTime(started)));

        return integration.ParseResponse(input, request, response);
    }
}

/// <summary>Replaces every occurrence of a secret value with <c>***</c>.</summary>
internal sealed class SecretMask(IEnumerable<string> secrets)
{
    // Longest first, so a secret containing another is masked whole.
    private readonly string[] _secrets = secrets.Where(s => s.Length >= 3).OrderByDescending(s => s.Length).ToArray();

    public string Apply(string text)
    {
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        return text;
    }
}
