using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Sdk;

namespace PluggableFlows.Conformance;

/// <summary>
/// Everything the kit learns about one integration in one run. Scenario groups (samples, 4xx, 5xx, ...) run once and are
/// shared: the per-scenario checks read their own group, the cross-cutting checks (outcomes, appended fields,
/// exceptions, secrets) read every call made.
/// </summary>
internal sealed partial class ConformanceSession
{
    private const int MaxListed = 3;
    private readonly IIntegration _integration;
    private readonly ConformanceOptions _options;
    private readonly FieldTypeRegistry _types = FieldTypeRegistry.Default;
    private readonly List<ScenarioRun> _runs = [];
    private readonly Dictionary<string, Task<IReadOnlyList<ScenarioRun>>> _groups = new(StringComparer.Ordinal);
    private readonly List<PluginFault> _contractFaults = [];

    public ConformanceSession(IIntegration integration, IReadOnlyList<ConformanceSample>? samples, ConformanceOptions options)
    {
        _integration = integration;
        _options = options;
        try
        {
            Descriptor = integration.Descriptor;
            if (Descriptor is null)
            {
                DescriptorProblem = "Descriptor is null";
            }
        }
        catch (Exception exception)
        {
            DescriptorProblem = $"Descriptor threw {exception.GetType().Name}: {exception.Message}";
            _contractFaults.Add(new PluginFault("Descriptor", exception, "when read"));
        }

        if (samples is not null)
        {
            Samples = samples;
            SamplesGiven = true;
        }
        else if (integration is IConformanceSamples source)
        {
            try
            {
                Samples = source.Samples ?? [];
                SamplesGiven = true;
            }
            catch (Exception exception)
            {
                SamplesProblem = $"Samples threw {exception.GetType().Name}: {exception.Message}";
                _contractFaults.Add(new PluginFault("Samples", exception, "when read"));
                Samples = [];
            }
        }
        else
        {
            Samples = [];
        }

        SuccessSample = Samples.FirstOrDefault(sample => sample is { ExpectedOutcome: Outcome.Success });
    }

    public IntegrationDescriptor? Descriptor { get; }

    public string? DescriptorProblem { get; }

    public IReadOnlyList<ConformanceSample> Samples { get; }

    public bool SamplesGiven { get; }

    public string? SamplesProblem { get; }

    /// <summary>The first sample expecting success: the failure scenarios are derived from its inputs and credentials.</summary>
    public ConformanceSample? SuccessSample { get; }

    public string Id => Descriptor?.Id is { Length: > 0 } id ? id : _integration.GetType().Name;

    private bool IsExchange => _integration is IRequestResponseIntegration;

    /// <summary>Request/response integrations always call a provider; a handler does when its success sample has a response.</summary>
    private bool CallsProvider => IsExchange || SuccessSample?.Response is not null;

    private string CallName => IsExchange ? "the call" : "HandleAsync";

    private IntegrationResponse SuccessResponse => SuccessSample?.Response ?? new IntegrationResponse { StatusCode = 200 };

    private IReadOnlyList<ScenarioRun> AllRuns
    {
        get
        {
            lock (_runs)
            {
                return [.. _runs];
            }
        }
    }

    private IntegrationInput InputOf(IReadOnlyDictionary<string, string>? inputs, IReadOnlyDictionary<string, string>? credentials)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, text) in inputs ?? new Dictionary<string, string>())
        {
            values[name] = _types.Parse(TypeOf(name), text ?? "");
        }

        return new IntegrationInput(values, new Dictionary<string, string>(credentials ?? new Dictionary<string, string>(), StringComparer.Ordinal));
    }

    private IntegrationInput InputOf(ConformanceSample sample) => InputOf(sample.Inputs, sample.Credentials);

    private string TypeOf(string name)
    {
        var declared = Descriptor?.RequestVariables?.FirstOrDefault(variable => variable is not null && variable.Name == name)?.Type;
        return declared is not null && _types.TryGet(declared, out _) ? declared : "string";
    }

    /// <summary>Runs a group of scenarios once; later checks reading the same group share the runs.</summary>
    private Task<IReadOnlyList<ScenarioRun>> GroupAsync(string group, Func<Task<IReadOnlyList<ScenarioRun>>> run)
    {
        lock (_groups)
        {
            if (!_groups.TryGetValue(group, out var task))
            {
                task = run();
                _groups[group] = task;
            }

            return task;
        }
    }

    private void Record(ScenarioRun run)
    {
        lock (_runs)
        {
            _runs.Add(run);
        }
    }

    /// <summary>Calls the integration through the host's invoker, as a flow step would.</summary>
    private async Task<ScenarioRun> InvokeAsync(string scenario, IntegrationInput input, HttpMessageHandler provider,
        TimeSpan stepTimeout, CancellationToken cancellationToken, TimeProvider? time = null, bool record = true, Probe? probe = null)
    {
        probe ??= new Probe(scenario);
        var invoker = new IntegrationInvoker(provider, time ?? _options.Time, options: null, _options.Lists);
        ScenarioRun run;
        try
        {
            var invocation = await invoker.InvokeAsync(ObservedIntegration.Wrap(_integration, probe), input, stepTimeout, cancellationToken);
            run = new ScenarioRun(scenario, input, invocation, probe.Faults, probe.Results);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            run = new ScenarioRun(scenario, input, null, probe.Faults, probe.Results);
        }

        if (record)
        {
            Record(run);
        }

        return run;
    }

    /// <summary>Like <see cref="InvokeAsync"/>, but gives up waiting after <paramref name="bound"/> (the call keeps running).</summary>
    private async Task<ScenarioRun> InvokeWithinAsync(string scenario, IntegrationInput input, HttpMessageHandler provider,
        TimeSpan stepTimeout, TimeSpan bound, CancellationToken cancellationToken)
    {
        var probe = new Probe(scenario);
        var call = InvokeAsync(scenario, input, provider, stepTimeout, cancellationToken, record: false, probe: probe);
        var finished = await Task.WhenAny(call, Task.Delay(bound, _options.Time)) == call;
        var run = finished ? await call : new ScenarioRun(scenario, input, null, probe.Faults, probe.Results, Finished: false);
        Record(run);
        return run;
    }

    private static string Listed(IEnumerable<string> problems)
    {
        var all = problems.Distinct(StringComparer.Ordinal).ToList();
        var shown = string.Join("; ", all.Take(MaxListed));
        return all.Count > MaxListed ? $"{shown}; and {all.Count - MaxListed} more" : shown;
    }

    private static ConformanceCheck Pass(string name, string message) => new(name, ConformanceStatus.Passed, message);

    private static ConformanceCheck Fail(string name, string message) => new(name, ConformanceStatus.Failed, message);

    private static ConformanceCheck NotApplicable(string name, string message) => new(name, ConformanceStatus.NotApplicable, message);
}
