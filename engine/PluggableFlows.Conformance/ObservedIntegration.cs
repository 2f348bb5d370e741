using PluggableFlows.Sdk;

namespace PluggableFlows.Conformance;

/// <summary>An exception thrown by one of the plugin's own methods.</summary>
/// <param name="Method">Validate, BuildRequest, ParseResponse, HandleAsync, Descriptor or Samples.</param>
/// <param name="Exception">What it threw.</param>
/// <param name="Scenario">Where, as a phrase ("on a 503 response").</param>
internal sealed record PluginFault(string Method, Exception Exception, string Scenario)
{
    public string Describe() => $"{Method} threw {Exception.GetType().Name} {Scenario}";
}

/// <summary>What one of the plugin's methods returned, before the host checked it.</summary>
internal sealed record ObservedResult(string Method, IntegrationResult? Result, string Scenario);

/// <summary>Collects what the plugin's own methods did during one scenario; calls may come from many threads.</summary>
internal sealed class Probe(string scenario)
{
    private readonly List<PluginFault> _faults = [];
    private readonly List<ObservedResult> _results = [];

    public string Scenario { get; } = scenario;

    public IReadOnlyList<PluginFault> Faults
    {
        get
        {
            lock (_faults)
            {
                return [.. _faults];
            }
        }
    }

    public IReadOnlyList<ObservedResult> Results
    {
        get
        {
            lock (_results)
            {
                return [.. _results];
            }
        }
    }

    public void Fault(string method, Exception exception)
    {
        lock (_faults)
        {
            _faults.Add(new PluginFault(method, exception, Scenario));
        }
    }

    public void Result(string method, IntegrationResult? result)
    {
        lock (_results)
        {
            _results.Add(new ObservedResult(method, result, Scenario));
        }
    }
}

/// <summary>
/// Wraps a plugin so the kit sees what its own methods throw and return even though the host turns every fault into an
/// error outcome: "ParseResponse threw InvalidOperationException on a 503 response" is more use than "error".
/// </summary>
internal static class ObservedIntegration
{
    public static IIntegration Wrap(IIntegration integration, Probe probe) => integration switch
    {
        IRequestResponseIntegration exchange => new ObservedExchange(exchange, probe),
        IHandlerIntegration handler => new ObservedHandler(handler, probe),
        _ => integration,
    };

    private sealed class ObservedExchange(IRequestResponseIntegration inner, Probe probe) : IRequestResponseIntegration
    {
        public IntegrationDescriptor Descriptor => inner.Descriptor;

        public string? Validate(IntegrationInput input) => Observe(nameof(Validate), () => inner.Validate(input));

        public IntegrationRequest BuildRequest(IntegrationInput input) => Observe(nameof(BuildRequest), () => inner.BuildRequest(input));

        public IntegrationResult ParseResponse(IntegrationInput input, IntegrationRequest request, IntegrationResponse response)
        {
            var result = Observe(nameof(ParseResponse), () => inner.ParseResponse(input, request, response));
            probe.Result(nameof(ParseResponse), result);
            return result;
        }

        private T Observe<T>(string method, Func<T> call)
        {
            try
            {
                return call();
            }
            catch (Exception exception)
            {
                probe.Fault(method, exception);
                throw;
            }
        }
    }

    private sealed class ObservedHandler(IHandlerIntegration inner, Probe probe) : IHandlerIntegration
    {
        public IntegrationDescriptor Descriptor => inner.Descriptor;

        public async Task<IntegrationResult> HandleAsync(IntegrationContext context, CancellationToken cancellationToken)
        {
            try
            {
                var result = await inner.HandleAsync(context, cancellationToken);
                probe.Result(nameof(HandleAsync), result);
                return result;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw; // Stopping because the call was cancelled is exactly right.
            }
            catch (Exception exception)
            {
                probe.Fault(nameof(HandleAsync), exception);
                throw;
            }
        }
    }
}
