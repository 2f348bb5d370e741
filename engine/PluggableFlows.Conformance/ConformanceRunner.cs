using PluggableFlows.Sdk;

namespace PluggableFlows.Conformance;

/// <summary>
/// Runs every conformance check against one integration and reports each by name. The integration is called through
/// the engine's own <see cref="Engine.Pipeline.IntegrationInvoker"/> with a stub provider standing in for the network,
/// so what passes here behaves the same in a flow. Used by <see cref="IntegrationConformanceTests{TIntegration}"/> and
/// by <c>pflow plugin verify</c>.
/// </summary>
public sealed class ConformanceRunner
{
    private readonly ConformanceOptions _options;

    /// <summary>Creates a runner.</summary>
    /// <param name="options">Timeouts, concurrency and clock; the defaults when null.</param>
    public ConformanceRunner(ConformanceOptions? options = null) => _options = options ?? new ConformanceOptions();

    /// <summary>Runs every check, with the samples the integration supplies through <see cref="IConformanceSamples"/>.</summary>
    public Task<ConformanceReport> RunAsync(IIntegration integration, CancellationToken cancellationToken = default) =>
        RunAsync(integration, samples: null, cancellationToken);

    /// <summary>Runs every check.</summary>
    /// <param name="integration">The integration to check.</param>
    /// <param name="samples">Samples to replay; when null, those of <see cref="IConformanceSamples"/> when the integration
    /// implements it.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public async Task<ConformanceReport> RunAsync(IIntegration integration, IReadOnlyList<ConformanceSample>? samples,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integration);
        var session = new ConformanceSession(integration, samples, _options);
        var checks = new List<ConformanceCheck>(ConformanceChecks.All.Count);
        foreach (var name in ConformanceChecks.All)
        {
            checks.Add(await RunCheckAsync(session, name, cancellationToken));
        }

        return new ConformanceReport(session.Id, checks);
    }

    private static async Task<ConformanceCheck> RunCheckAsync(ConformanceSession session, string name, CancellationToken cancellationToken)
    {
        try
        {
            return name switch
            {
                ConformanceChecks.DescriptorComplete => session.DescriptorComplete(),
                ConformanceChecks.VariablesTyped => session.VariablesTyped(),
                ConformanceChecks.SamplesMatch => await session.SamplesMatchAsync(cancellationToken),
                ConformanceChecks.SuccessSample => await session.SuccessSampleAsync(cancellationToken),
                ConformanceChecks.ProviderRejection => await session.ProviderRejectionAsync(cancellationToken),
                ConformanceChecks.Http4xx => await session.Http4xxAsync(cancellationToken),
                ConformanceChecks.Http5xx => await session.Http5xxAsync(cancellationToken),
                ConformanceChecks.Timeout => await session.TimeoutAsync(cancellationToken),
                ConformanceChecks.MalformedBody => await session.MalformedBodyAsync(cancellationToken),
                ConformanceChecks.MissingCredential => await session.MissingCredentialAsync(cancellationToken),
                ConformanceChecks.OutcomesValid => await session.OutcomesValidAsync(cancellationToken),
                ConformanceChecks.AppendedFieldsDeclared => await session.AppendedFieldsDeclaredAsync(cancellationToken),
                ConformanceChecks.NoExceptionEscapes => await session.NoExceptionEscapesAsync(cancellationToken),
                ConformanceChecks.CancellationHonoured => await session.CancellationHonouredAsync(cancellationToken),
                ConformanceChecks.ConcurrentCallsIsolated => await session.ConcurrentCallsIsolatedAsync(cancellationToken),
                ConformanceChecks.SecretsMasked => await session.SecretsMaskedAsync(cancellationToken),
                _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown conformance check."),
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A check the kit cannot finish is reported, not thrown: the other checks still count.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return new ConformanceCheck(name, ConformanceStatus.Failed,
                $"the kit could not finish this check: {exception.GetType().Name}: {exception.Message}");
        }
    }
}
