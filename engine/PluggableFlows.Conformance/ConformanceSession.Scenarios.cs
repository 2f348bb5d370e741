using System.Globalization;
using PluggableFlows.Sdk;

namespace PluggableFlows.Conformance;

internal sealed partial class ConformanceSession
{
    private const string MalformedBodyText = "<<not json";
    private static readonly int[] RejectionStatuses = [400, 404, 422];
    private static readonly int[] ErrorStatuses4xx = [401, 403, 429];
    private static readonly int[] Statuses5xx = [500, 502, 503, 504];

    private static string SampleScenario(ConformanceSample sample) => $"on the sample '{sample.Name}'";

    private Task<IReadOnlyList<ScenarioRun>> SampleRunsAsync(CancellationToken cancellationToken) =>
        GroupAsync("samples", async () =>
        {
            var runs = new List<ScenarioRun>();
            foreach (var sample in Samples.Where(sample => sample is not null))
            {
                var provider = StubProvider.Answering(sample.Response ?? new IntegrationResponse { StatusCode = 200 });
                runs.Add(await InvokeAsync(SampleScenario(sample), InputOf(sample), provider, _options.ScenarioTimeout, cancellationToken));
            }

            return runs;
        });

    public async Task<ConformanceCheck> SamplesMatchAsync(CancellationToken cancellationToken)
    {
        const string name = ConformanceChecks.SamplesMatch;
        if (SamplesProblem is not null)
        {
            return Fail(name, SamplesProblem);
        }

        if (Samples.Count == 0)
        {
            return NotApplicable(name, NoSamples());
        }

        var problems = new List<string>();
        var request = Descriptor?.RequestVariables?.Where(variable => variable is not null).Select(variable => variable.Name).ToHashSet(StringComparer.Ordinal) ?? [];
        var credentials = Descriptor?.Credentials?.Where(credential => credential is not null).ToList() ?? [];
        var index = 0;
        foreach (var sample in Samples)
        {
            index++;
            if (sample is null)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"sample #{index} is null"));
                continue;
            }

            var label = $"sample '{sample.Name}'";
            if (!request.Contains("*"))
            {
                problems.AddRange(sample.Inputs.Keys.Where(input => !request.Contains(input))
                    .Select(input => $"{label} maps the input '{input}', which is not a request variable"));
            }

            problems.AddRange(sample.Credentials.Keys.Where(credential => credentials.All(declared => declared.Name != credential))
                .Select(credential => $"{label} gives the credential '{credential}', which the descriptor does not declare"));
            if (sample.ExpectedOutcome == Outcome.Success)
            {
                problems.AddRange(credentials.Where(credential => credential.Required && !sample.Credentials.ContainsKey(credential.Name))
                    .Select(credential => $"{label} expects success without the required credential '{credential.Name}'"));
            }

            if (IsExchange && sample.Response is null)
            {
                problems.Add($"{label} has no Response, but the integration sends a request: give the provider's answer");
            }
        }

        foreach (var (sample, run) in Samples.Where(sample => sample is not null).Zip(await SampleRunsAsync(cancellationToken)))
        {
            var label = $"sample '{sample.Name}'";
            if (run.Faults.Count > 0)
            {
                problems.AddRange(run.Faults.Select(fault => $"{label} gave error: {fault.Describe()}"));
                continue;
            }

            if (run.Outcome != sample.ExpectedOutcome)
            {
                problems.Add($"{label} gave {run.Describe()}; expected {ScenarioRun.Name(sample.ExpectedOutcome)}");
                continue;
            }

            var appended = run.Invocation!.Result.Appended;
            foreach (var (key, expected) in sample.ExpectedAppended)
            {
                if (!ValueText.TryResolve(appended, key, out var actual))
                {
                    problems.Add($"{label} appended no '{key}'; expected '{expected}'");
                }
                else if (!string.Equals(ValueText.Format(actual), expected, StringComparison.Ordinal))
                {
                    problems.Add($"{label} appended {key} '{ValueText.Format(actual)}'; expected '{expected}'");
                }
            }
        }

        return problems.Count > 0
            ? Fail(name, Listed(problems))
            : Pass(name, string.Create(CultureInfo.InvariantCulture, $"{Samples.Count} sample(s) gave their expected outcomes and appended values"));
    }

    public async Task<ConformanceCheck> SuccessSampleAsync(CancellationToken cancellationToken)
    {
        const string name = ConformanceChecks.SuccessSample;
        if (SuccessSample is null)
        {
            return Fail(name, $"no sample expects success; {SamplesHint()} with one, so the kit can replay it and derive the failure cases from it");
        }

        var run = (await SampleRunsAsync(cancellationToken)).First(run => run.Scenario == SampleScenario(SuccessSample));
        if (run.Faults.Count > 0)
        {
            return Fail(name, Listed(run.Faults.Select(fault => fault.Describe())));
        }

        return run.Outcome == Outcome.Success
            ? Pass(name, $"the sample '{SuccessSample.Name}' succeeded")
            : Fail(name, $"the sample '{SuccessSample.Name}' gave {run.Describe()}; expected success");
    }

    public async Task<ConformanceCheck> ProviderRejectionAsync(CancellationToken cancellationToken)
    {
        const string name = ConformanceChecks.ProviderRejection;
        var rejections = Samples.Where(sample => sample is { ExpectedOutcome: Outcome.Failure }).ToList();
        if (rejections.Count == 0)
        {
            return CallsProvider || SuccessSample is null
                ? Fail(name, $"no sample shows the provider saying no (expected outcome failure); {SamplesHint()} with one")
                : NotApplicable(name, "the integration calls no provider (its success sample has no Response), so nothing can reject it");
        }

        var runs = await SampleRunsAsync(cancellationToken);
        var problems = new List<string>();
        foreach (var sample in rejections)
        {
            var run = runs.First(run => run.Scenario == SampleScenario(sample));
            problems.AddRange(run.Faults.Select(fault => fault.Describe()));
            if (run.Faults.Count == 0 && run.Outcome != Outcome.Failure)
            {
                problems.Add($"the sample '{sample.Name}' gave {run.Describe()}; expected failure");
            }
        }

        return problems.Count > 0
            ? Fail(name, Listed(problems))
            : Pass(name, $"{string.Join(", ", rejections.Select(sample => $"'{sample.Name}'"))} gave failure");
    }

    public async Task<ConformanceCheck> Http4xxAsync(CancellationToken cancellationToken)
    {
        const string name = ConformanceChecks.Http4xx;
        if (DerivedNotApplicable(name) is { } skip)
        {
            return skip;
        }

        var runs = await GroupAsync(name, () => StatusRunsAsync([.. RejectionStatuses, .. ErrorStatuses4xx], cancellationToken));
        return Expect(name, runs, run => RejectionStatuses.Any(status => run.Scenario.StartsWith(StatusScenario(status), StringComparison.Ordinal))
                ? [Outcome.Failure]
                : [Outcome.Error],
            "400, 404 and 422 gave failure; 401, 403 and 429 gave error");
    }

    public async Task<ConformanceCheck> Http5xxAsync(CancellationToken cancellationToken)
    {
        const string name = ConformanceChecks.Http5xx;
        if (DerivedNotApplicable(name) is { } skip)
        {
            return skip;
        }

        var runs = await GroupAsync(name, () => StatusRunsAsync(Statuses5xx, cancellationToken));
        return Expect(name, runs, _ => [Outcome.Error], "500, 502, 503 and 504 gave error");
    }

    public async Task<ConformanceCheck> TimeoutAsync(CancellationToken cancellationToken)
    {
        const string name = ConformanceChecks.Timeout;
        if (DerivedNotApplicable(name) is { } skip)
        {
            return skip;
        }

        var stepTimeout = _options.TimeoutScenarioStepTimeout;
        var runs = await GroupAsync(name, async () =>
        [
            await InvokeWithinAsync($"when the provider never answers (step timeout {Duration(stepTimeout)})", InputOf(SuccessSample!),
                StubProvider.Hanging(), stepTimeout, stepTimeout + _options.LivenessBound, cancellationToken),
        ]);
        var run = runs[0];
        if (!run.Finished)
        {
            return Fail(name, $"{CallName} was still running {Duration(stepTimeout + _options.LivenessBound)} after the call started " +
                $"(step timeout {Duration(stepTimeout)}); pass the cancellation token to every await");
        }

        return Expect(name, runs, _ => [Outcome.Error], $"gave error when the provider never answered (step timeout {Duration(stepTimeout)})");
    }

    public async Task<ConformanceCheck> MalformedBodyAsync(CancellationToken cancellationToken)
    {
        const string name = ConformanceChecks.MalformedBody;
        if (DerivedNotApplicable(name) is { } skip)
        {
            return skip;
        }

        var runs = await GroupAsync(name, async () =>
        {
            var contentType = SuccessResponse.ContentType;
            var malformed = new IntegrationResponse { StatusCode = 200, Body = MalformedBodyText, ContentType = contentType };
            var empty = new IntegrationResponse { StatusCode = 200, Body = "", ContentType = contentType };
            var typed = contentType is null ? "" : $", {contentType}";
            return new[]
            {
                await InvokeAsync($"on a 200 response with a malformed body ('{MalformedBodyText}'{typed})", InputOf(SuccessSample!),
                    StubProvider.Answering(malformed), _options.ScenarioTimeout, cancellationToken),
                await InvokeAsync($"on a 200 response with an empty body{typed}", InputOf(SuccessSample!),
                    StubProvider.Answering(empty), _options.ScenarioTimeout, cancellationToken),
            };
        });
        return Expect(name, runs, _ => [Outcome.Error], "a malformed and an empty 200 body gave error");
    }

    public async Task<ConformanceCheck> MissingCredentialAsync(CancellationToken cancellationToken)
    {
        const string name = ConformanceChecks.MissingCredential;
        var required = Descriptor?.Credentials?.Where(credential => credential is { Required: true }).Select(credential => credential.Name).ToList() ?? [];
        if (required.Count == 0)
        {
            return NotApplicable(name, "the integration declares no required credential");
        }

        if (SuccessSample is null)
        {
            return NotApplicable(name, $"needs a sample that expects success; {SamplesHint()}");
        }

        // The stub still answers with the success response: a provider may well accept an anonymous call, so the
        // integration has to notice the missing credential itself.
        var runs = await GroupAsync(name, async () =>
        {
            var list = new List<ScenarioRun>();
            foreach (var credential in required)
            {
                var credentials = SuccessSample.Credentials.Where(pair => pair.Key != credential).ToDictionary(StringComparer.Ordinal);
                list.Add(await InvokeAsync($"with the required credential '{credential}' removed", InputOf(SuccessSample.Inputs, credentials),
                    StubProvider.Answering(SuccessResponse), _options.ScenarioTimeout, cancellationToken));
            }

            return list;
        });
        return Expect(name, runs, _ => [Outcome.Error, Outcome.Skip], "gave error or skip without each required credential");
    }

    private async Task<IReadOnlyList<ScenarioRun>> StatusRunsAsync(IEnumerable<int> statuses, CancellationToken cancellationToken)
    {
        var runs = new List<ScenarioRun>();
        foreach (var status in statuses)
        {
            // With the success body (an integration that ignores the status code would call it a success) and without one.
            var withBody = SuccessResponse with { StatusCode = status };
            var withoutBody = new IntegrationResponse { StatusCode = status, ContentType = SuccessResponse.ContentType };
            runs.Add(await InvokeAsync(StatusScenario(status), InputOf(SuccessSample!), StubProvider.Answering(withBody), _options.ScenarioTimeout, cancellationToken));
            runs.Add(await InvokeAsync($"{StatusScenario(status)} with an empty body", InputOf(SuccessSample!), StubProvider.Answering(withoutBody),
                _options.ScenarioTimeout, cancellationToken));
        }

        return runs;
    }

    private static string StatusScenario(int status) => string.Create(CultureInfo.InvariantCulture, $"on a {status} response");

    private ConformanceCheck? DerivedNotApplicable(string name)
    {
        if (SuccessSample is null)
        {
            return NotApplicable(name, $"needs a sample that expects success to derive the scenario from; {SamplesHint()}");
        }

        return CallsProvider
            ? null
            : NotApplicable(name, "the integration calls no provider (its success sample has no Response)");
    }

    /// <summary>Each run must end in one of the expected outcomes, with no exception thrown by the plugin on the way.</summary>
    private static ConformanceCheck Expect(string name, IReadOnlyList<ScenarioRun> runs, Func<ScenarioRun, Outcome[]> expected, string passed)
    {
        var problems = new List<string>();
        foreach (var run in runs)
        {
            if (run.Faults.Count > 0)
            {
                problems.AddRange(run.Faults.Select(fault => fault.Describe()));
                continue;
            }

            var allowed = expected(run);
            if (run.Outcome is not { } outcome || !allowed.Contains(outcome))
            {
                problems.Add($"gave {run.Describe()} {run.Scenario}; expected {string.Join(" or ", allowed.Select(ScenarioRun.Name))}");
            }
        }

        return problems.Count > 0 ? Fail(name, Listed(problems)) : Pass(name, passed);
    }

    private string NoSamples() =>
        $"no samples: {SamplesHint()}";

    private static string SamplesHint() =>
        "implement IConformanceSamples (or override Samples in the conformance test class)";

    private static string Duration(TimeSpan duration) =>
        duration < TimeSpan.FromSeconds(1)
            ? string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds:0} ms")
            : string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.###} s");
}
