using System.Globalization;
using System.Text;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Sdk;

namespace PluggableFlows.Conformance;

internal sealed partial class ConformanceSession
{
    private static readonly string[] StringTypes = ["string", "first_name", "last_name", "city"];

    public async Task<ConformanceCheck> CancellationHonouredAsync(CancellationToken cancellationToken)
    {
        const string name = ConformanceChecks.CancellationHonoured;
        if (SuccessSample is null)
        {
            return NotApplicable(name, $"needs a sample that expects success; {SamplesHint()}");
        }

        var runs = await GroupAsync(name, async () =>
        {
            using var caller = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var provider = StubProvider.Hanging();
            var probe = new Probe("when the caller cancels");
            var input = InputOf(SuccessSample);
            var call = InvokeAsync(probe.Scenario, input, provider, TimeSpan.FromMinutes(1), caller.Token, record: false, probe: probe);

            // Cancel while the provider hangs, or shortly after the call started when it never reaches the provider.
            await Task.WhenAny(provider.FirstRequest, call, Task.Delay(TimeSpan.FromMilliseconds(100), _options.Time));
            await caller.CancelAsync();
            var finished = await Task.WhenAny(call, Task.Delay(_options.LivenessBound, _options.Time)) == call;
            var run = finished ? await call : new ScenarioRun(probe.Scenario, input, null, probe.Faults, probe.Results, Finished: false);
            Record(run);
            return (IReadOnlyList<ScenarioRun>)[run];
        });

        return runs[0].Finished
            ? Pass(name, $"the call finished within {Duration(_options.LivenessBound)} of being cancelled")
            : Fail(name, $"{CallName} was still running {Duration(_options.LivenessBound)} after the call was cancelled; " +
                "pass the cancellation token to every await");
    }

    public async Task<ConformanceCheck> ConcurrentCallsIsolatedAsync(CancellationToken cancellationToken)
    {
        const string name = ConformanceChecks.ConcurrentCallsIsolated;
        if (SuccessSample is null)
        {
            return NotApplicable(name, $"needs a sample that expects success; {SamplesHint()}");
        }

        var varied = VariedInputs(SuccessSample, _options.ConcurrentCalls);
        if (varied is null)
        {
            return NotApplicable(name, "the success sample has no phone, email or string input to vary between calls");
        }

        var (inputName, inputs) = varied.Value;

        // One instant for every call, so an integration reading the clock answers alone exactly as it does in a crowd.
        var clock = new FrozenClock(_options.Time);
        var alone = new List<ScenarioRun>();
        foreach (var (input, index) in inputs.Select((input, index) => (input, index)))
        {
            alone.Add(await InvokeAsync(Concurrent(inputName, input, index, "alone"), input, StubProvider.Answering(SuccessResponse),
                _options.ScenarioTimeout, cancellationToken, clock));
        }

        var again = await InvokeAsync(Concurrent(inputName, inputs[0], 0, "alone"), inputs[0], StubProvider.Answering(SuccessResponse),
            _options.ScenarioTimeout, cancellationToken, clock);
        if (Fingerprint(again) != Fingerprint(alone[0]))
        {
            return NotApplicable(name, $"the same call run twice alone gave different requests or results ({FirstDifference(Fingerprint(alone[0]), Fingerprint(again))}), " +
                "so concurrent calls cannot be compared");
        }

        // The provider holds every answer until all calls are in flight, so they overlap every time, not by luck.
        var provider = StubProvider.HoldingUntil(SuccessResponse, inputs.Count, _options.LivenessBound, _options.Time);
        var together = await Task.WhenAll(inputs.Select((input, index) => Task.Run(() =>
            InvokeAsync(Concurrent(inputName, input, index, "concurrently"), input, provider, _options.ScenarioTimeout, cancellationToken, clock),
            cancellationToken)));

        var differing = Enumerable.Range(0, inputs.Count).Where(index => Fingerprint(alone[index]) != Fingerprint(together[index])).ToList();
        if (differing.Count == 0)
        {
            return Pass(name, string.Create(CultureInfo.InvariantCulture,
                $"{inputs.Count} concurrent calls (varying '{inputName}') gave the same requests and results as each call alone"));
        }

        var first = differing[0];
        return Fail(name, string.Create(CultureInfo.InvariantCulture,
            $"{differing.Count} of {inputs.Count} concurrent calls differ from the same call run alone, so calls share mutable state: " +
            $"with {inputName} '{Text(inputs[first], inputName)}', {FirstDifference(Fingerprint(alone[first]), Fingerprint(together[first]))}"));
    }

    public async Task<ConformanceCheck> OutcomesValidAsync(CancellationToken cancellationToken)
    {
        const string name = ConformanceChecks.OutcomesValid;
        var results = await ObservedResultsAsync(cancellationToken);
        if (results.Count == 0)
        {
            return NotApplicable(name, "the integration returned no result in any scenario");
        }

        var problems = new List<string>();
        foreach (var observed in results)
        {
            if (observed.Result is null)
            {
                problems.Add($"{observed.Method} returned no result {observed.Scenario}");
            }
            else if (!Enum.IsDefined(observed.Result.Outcome))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{observed.Method} returned the outcome {(int)observed.Result.Outcome} {observed.Scenario}; only success, failure, error and skip are defined"));
            }
        }

        return problems.Count > 0
            ? Fail(name, Listed(problems))
            : Pass(name, string.Create(CultureInfo.InvariantCulture, $"all {results.Count} results were success, failure, error or skip"));
    }

    public async Task<ConformanceCheck> AppendedFieldsDeclaredAsync(CancellationToken cancellationToken)
    {
        const string name = ConformanceChecks.AppendedFieldsDeclared;
        var results = await ObservedResultsAsync(cancellationToken);
        var declared = (Descriptor?.ResponseVariables ?? []).Where(variable => variable is { Name.Length: > 0 }).Select(variable => variable.Name).ToList();
        // A response variable named "*" declares fields named by the provider (an HTTP delivery appends the recipient's
        // JSON answer), so any name is declared.
        var anyName = declared.Contains("*");
        var problems = new List<string>();
        var appendedAny = false;
        foreach (var observed in results)
        {
            foreach (var key in observed.Result?.Appended?.Keys ?? Enumerable.Empty<string>())
            {
                appendedAny = true;
                if (!anyName && !declared.Any(variable => variable == key || variable.StartsWith(key + ".", StringComparison.Ordinal)))
                {
                    problems.Add($"{observed.Method} appended '{key}' {observed.Scenario}, which is not a declared response variable; declare it in ResponseVariables");
                }
            }
        }

        if (problems.Count > 0)
        {
            return Fail(name, Listed(problems));
        }

        return appendedAny
            ? Pass(name, "every appended field is a declared response variable")
            : NotApplicable(name, "the integration appended nothing in any scenario");
    }

    public async Task<ConformanceCheck> NoExceptionEscapesAsync(CancellationToken cancellationToken)
    {
        const string name = ConformanceChecks.NoExceptionEscapes;
        await EverythingAsync(cancellationToken);
        var faults = _contractFaults.Concat(AllRuns.SelectMany(run => run.Faults)).ToList();
        return faults.Count > 0
            ? Fail(name, Listed(faults.Select(fault => $"{fault.Describe()} ({fault.Exception.Message})")))
            : Pass(name, string.Create(CultureInfo.InvariantCulture, $"no exception escaped in {AllRuns.Count} calls, through the host and directly"));
    }

    public async Task<ConformanceCheck> SecretsMaskedAsync(CancellationToken cancellationToken)
    {
        const string name = ConformanceChecks.SecretsMasked;
        await EverythingAsync(cancellationToken);
        var problems = new List<string>();
        var checkedAny = false;
        foreach (var run in AllRuns)
        {
            foreach (var (credential, secret) in run.Input.Credentials)
            {
                if (secret is null || secret.Length < 4)
                {
                    continue; // Too short to mask without masking half the text; the host does not try either.
                }

                checkedAny = true;
                foreach (var (place, text) in Places(run))
                {
                    if (Leak(secret, text) is { } form)
                    {
                        problems.Add($"the credential '{credential}' appears {form} in {place} {run.Scenario}");
                    }
                }
            }
        }

        if (problems.Count > 0)
        {
            return Fail(name, Listed(problems));
        }

        return checkedAny
            ? Pass(name, "no credential appeared (verbatim, URL-encoded, base64 or hex) in a transcript, a reason or appended data")
            : NotApplicable(name, "no sample gives a credential of 4 characters or more to look for");
    }

    /// <summary>Every scenario, plus direct calls of the plugin's methods, for the checks that look across all calls.</summary>
    private async Task EverythingAsync(CancellationToken cancellationToken)
    {
        await SampleRunsAsync(cancellationToken);
        await Http4xxAsync(cancellationToken);
        await Http5xxAsync(cancellationToken);
        await MalformedBodyAsync(cancellationToken);
        await MissingCredentialAsync(cancellationToken);
        await TimeoutAsync(cancellationToken);
        await GroupAsync("direct", () => DirectCallsAsync(cancellationToken));
    }

    private async Task<IReadOnlyList<ObservedResult>> ObservedResultsAsync(CancellationToken cancellationToken)
    {
        await EverythingAsync(cancellationToken);
        return AllRuns.SelectMany(run => run.Results).ToList();
    }

    /// <summary>
    /// Calls the plugin's methods directly, without the host in between: the host would turn an exception into an error,
    /// but an exception is still a defect (it costs a stack trace per lead and hides the real reason).
    /// </summary>
    private async Task<IReadOnlyList<ScenarioRun>> DirectCallsAsync(CancellationToken cancellationToken)
    {
        var calls = new List<(string Scenario, IntegrationInput Input, IntegrationResponse Response)>();
        calls.AddRange(Samples.Where(sample => sample is not null)
            .Select(sample => (SampleScenario(sample), InputOf(sample), sample.Response ?? new IntegrationResponse { StatusCode = 200 })));
        if (SuccessSample is not null && CallsProvider)
        {
            var input = InputOf(SuccessSample);
            calls.AddRange(RejectionStatuses.Concat(ErrorStatuses4xx).Concat(Statuses5xx)
                .Select(status => (StatusScenario(status), input, SuccessResponse with { StatusCode = status })));
            calls.Add(("on a 200 response with a malformed body", input, SuccessResponse with { Body = MalformedBodyText }));
            calls.Add(("on a 200 response with an empty body", input, SuccessResponse with { Body = "" }));
        }

        var runs = new List<ScenarioRun>();
        foreach (var (scenario, input, response) in calls)
        {
            var probe = new Probe($"(called directly) {scenario}");
            var observed = ObservedIntegration.Wrap(_integration, probe);
            try
            {
                switch (observed)
                {
                    case IRequestResponseIntegration exchange when exchange.Validate(input) is null:
                        exchange.ParseResponse(input, exchange.BuildRequest(input), response);
                        break;
                    case IHandlerIntegration handler:
                        using (var http = new HttpClient(StubProvider.Answering(response)))
                        {
                            await handler.HandleAsync(new IntegrationContext(input, http, _options.Time, _options.Lists), cancellationToken);
                        }

                        break;
                }
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // The probe has recorded it.
            }

            var run = new ScenarioRun(probe.Scenario, input, null, probe.Faults, probe.Results);
            Record(run);
            runs.Add(run);
        }

        return runs;
    }

    private static IEnumerable<(string Place, string? Text)> Places(ScenarioRun run)
    {
        var exchanges = run.Invocation?.Transcript ?? [];
        for (var i = 0; i < exchanges.Count; i++)
        {
            var exchange = exchanges[i];
            var where = exchanges.Count == 1 ? "the transcript" : string.Create(CultureInfo.InvariantCulture, $"the transcript (exchange {i + 1})");
            yield return ($"{where} (URL)", exchange.Url);
            foreach (var (header, value) in exchange.RequestHeaders)
            {
                yield return ($"{where} (request header {header})", value);
            }

            yield return ($"{where} (request body)", exchange.RequestBody);
            foreach (var (header, value) in exchange.ResponseHeaders)
            {
                yield return ($"{where} (response header {header})", value);
            }

            yield return ($"{where} (response body)", exchange.ResponseBody);
        }

        var results = run.Results.Select(observed => observed.Result);
        if (run.Invocation is { } invocation)
        {
            results = results.Append(invocation.Result);
        }

        foreach (var result in results.OfType<IntegrationResult>())
        {
            yield return ("the reason", result.Reason);
            foreach (var (key, value) in result.Appended ?? new Dictionary<string, object?>())
            {
                yield return ($"the appended '{key}'", ValueText.Format(value));
            }
        }
    }

    private static string? Leak(string secret, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var bytes = Encoding.UTF8.GetBytes(secret);
        (string Form, string Text)[] forms =
        [
            ("verbatim", secret),
            ("URL-encoded", Uri.EscapeDataString(secret)),
            ("base64-encoded", Convert.ToBase64String(bytes)),
            ("hex-encoded", Convert.ToHexString(bytes)),
        ];
        foreach (var (form, encoded) in forms)
        {
            if (text.Contains(encoded, StringComparison.OrdinalIgnoreCase) && (form == "hex-encoded" || text.Contains(encoded, StringComparison.Ordinal)))
            {
                return form;
            }
        }

        return null;
    }

    /// <summary>Inputs derived from the success sample that differ in one phone, email or string input.</summary>
    private (string Name, List<IntegrationInput> Inputs)? VariedInputs(ConformanceSample sample, int count)
    {
        var candidates = sample.Inputs.Keys
            .Select(input => (Name: input, Type: TypeOf(input)))
            .OrderBy(input => input.Type switch { "phone" => 0, "email" => 1, _ when StringTypes.Contains(input.Type) => 2, _ => 3 })
            .Where(input => input.Type is "phone" or "email" || StringTypes.Contains(input.Type))
            .ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        var (inputName, type) = candidates[0];
        var original = _types.Parse(type, sample.Inputs[inputName]);
        var inputs = new List<IntegrationInput>();
        for (var i = 0; i < count; i++)
        {
            var text = type switch
            {
                "phone" when original.Valid && original.Normal.Length >= 10 && original.Normal.All(char.IsAsciiDigit) =>
                    original.Normal[..^2] + (i % 100).ToString("00", CultureInfo.InvariantCulture),
                "email" when original.Valid && original.Normal.IndexOf('@', StringComparison.Ordinal) is > 0 and var at =>
                    string.Create(CultureInfo.InvariantCulture, $"{original.Normal[..at]}+c{i}{original.Normal[at..]}"),
                _ => string.Create(CultureInfo.InvariantCulture, $"{sample.Inputs[inputName]}-c{i}"),
            };
            var values = sample.Inputs.ToDictionary(StringComparer.Ordinal);
            values[inputName] = text;
            inputs.Add(InputOf(values, sample.Credentials));
        }

        return (inputName, inputs);
    }

    private static string Concurrent(string inputName, IntegrationInput input, int index, string how) =>
        string.Create(CultureInfo.InvariantCulture, $"in concurrent-call test {index + 1} ({inputName} '{Text(input, inputName)}', {how})");

    private static string Text(IntegrationInput input, string name) => input.GetString(name) ?? "";

    /// <summary>Everything a call sent and produced that must not depend on other calls: requests and the result.</summary>
    private static string Fingerprint(ScenarioRun run)
    {
        var text = new StringBuilder();
        foreach (var exchange in run.Invocation?.Transcript ?? [])
        {
            text.Append(CultureInfo.InvariantCulture, $"request {exchange.Method} {exchange.Url}\n");
            foreach (var (header, value) in exchange.RequestHeaders)
            {
                text.Append(CultureInfo.InvariantCulture, $"request header {header}: {value}\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"request body {exchange.RequestBody}\n");
        }

        var result = run.Invocation?.Result;
        text.Append(CultureInfo.InvariantCulture, $"outcome {(result is null ? "none" : ScenarioRun.Name(result.Outcome))}\n");
        text.Append(CultureInfo.InvariantCulture, $"reason {result?.Reason}\n");
        text.Append(CultureInfo.InvariantCulture, $"price {result?.Price}\n");
        foreach (var (key, value) in (result?.Appended ?? new Dictionary<string, object?>()).OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"appended {key} {ValueText.Format(value)}\n");
        }

        return text.ToString();
    }

    private static string FirstDifference(string alone, string together)
    {
        var a = alone.Split('\n');
        var b = together.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var left = i < a.Length ? a[i] : "(nothing)";
            var right = i < b.Length ? b[i] : "(nothing)";
            if (left != right)
            {
                return $"alone: \"{left}\", concurrently: \"{right}\"";
            }
        }

        return "no difference";
    }

    /// <summary>A clock stopped at one instant; timers still run in real time, so timeouts behave.</summary>
    private sealed class FrozenClock(TimeProvider inner) : TimeProvider
    {
        private readonly DateTimeOffset _now = inner.GetUtcNow();

        public override DateTimeOffset GetUtcNow() => _now;

        public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;
    }
}
