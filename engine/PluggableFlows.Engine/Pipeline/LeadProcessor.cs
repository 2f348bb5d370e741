using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Flows;
using PluggableFlows.Engine.Plugins;
using PluggableFlows.Engine.Rules;
using PluggableFlows.Engine.Storage;
using PluggableFlows.Engine.Templates;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Pipeline;

/// <summary>
/// Runs one lead through a compiled flow: parse and map fields → flow acceptance criteria → source acceptance
/// criteria → steps in order → the answer for the source. Records one event per step and one for the submission.
/// </summary>
public sealed class LeadProcessor
{
    private readonly IIntegrationRegistry _integrations;
    private readonly IntegrationInvoker _invoker;
    private readonly TimeProvider _time;
    private readonly PipelineOptions _options;
    private readonly StepCredentials _credentials;
    private readonly ILeadLog _log;
    private readonly IFieldType _text;

    /// <summary>Creates a processor.</summary>
    /// <param name="types">Field types.</param>
    /// <param name="integrations">Where steps find their integrations (pinned per lead).</param>
    /// <param name="invoker">Calls integrations.</param>
    /// <param name="time">The clock.</param>
    /// <param name="options">Timeouts and tracing.</param>
    /// <param name="secrets">Reads BYOC credentials mapped on steps (default: environment and secret files).</param>
    /// <param name="addOns">The host's add-on accounts (default: environment variables).</param>
    /// <param name="ledger">Where submissions and step invocations are counted when there is no <paramref name="log"/>
    /// (default: nowhere).</param>
    /// <param name="log">Where each lead is recorded with its events and usage before it is answered (default: only its
    /// usage, in <paramref name="ledger"/>).</param>
    public LeadProcessor(FieldTypeRegistry types, IIntegrationRegistry integrations, IntegrationInvoker invoker, TimeProvider time,
        PipelineOptions? options = null, ISecretResolver? secrets = null, IAddOnAccounts? addOns = null, IUsageLedger? ledger = null,
        ILeadLog? log = null)
    {
        ArgumentNullException.ThrowIfNull(types);
        _integrations = integrations;
        _invoker = invoker;
        _time = time;
        _options = options ?? new PipelineOptions();
        _credentials = new StepCredentials(secrets ?? new EnvironmentSecretResolver(), addOns ?? new AddOnAccounts());
        _log = log ?? new UsageOnlyLeadLog(ledger ?? NullUsageLedger.Instance);
        _text = types.Get("string");
    }

    /// <summary>Runs one lead and records it; returns once it is recorded. Throws for a caller mistake (an unknown
    /// source), cancellation, or a lead that ran but could not be recorded (<see cref="LeadNotRecordedException"/>).</summary>
    public async Task<LeadResult> ProcessAsync(CompiledFlow flow, LeadSubmission submission, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(submission);
        if (!flow.Sources.TryGetValue(submission.SourceId, out var source))
        {
            throw new ArgumentException($"Flow '{flow.Id}' has no source '{submission.SourceId}'.", nameof(submission));
        }

        var started = _time.GetTimestamp();
        var now = _time.GetUtcNow();
        var leadId = Guid.CreateVersion7(now).ToString("N");
        var slots = new FieldValue?[flow.Layout.Count];
        var vars = new LeadVars(
            leadId,
            ParseFields(flow, source, submission.Fields, slots),
            new SourceVars(source.Definition.Id, source.Definition.Name),
            new FlowVars(flow.Definition.Id, flow.Definition.Name, flow.Definition.Version),
            new SubmissionVars(leadId, now, submission.Ip),
            System.Random.Shared.Next(1, 101),
            flow.Layout,
            slots);

        using var lease = _integrations.Acquire();
        var run = new Run(leadId, vars, _time, _options.TraceRules, lease);
        var stop = Accept(run, "flow", flow.AcceptanceCriteria) ?? Accept(run, "source", source.AcceptanceCriteria);
        decimal price = 0;
        if (stop is null)
        {
            foreach (var step in flow.Steps)
            {
                (stop, var stepPrice) = step switch
                {
                    CompiledFilterStep filter => (Filter(run, filter), 0m),
                    CompiledIntegrationStep integration => await IntegrateAsync(run, flow, integration, cancellationToken),
                    _ => (null, 0m),
                };
                price += stepPrice;
                if (stop is not null)
                {
                    break;
                }
            }
        }

        var (outcome, reason) = stop ?? (Outcome.Success, null);
        if (outcome != Outcome.Success)
        {
            price = 0;
        }

        var duration = _time.GetElapsedTime(started);
        run.Events.Add(new LeadEvent
        {
            LeadId = leadId,
            Kind = EventKind.Submission,
            Type = "submission",
            Outcome = outcome,
            Reason = reason,
            Timestamp = now,
            Duration = duration,
            ProviderWait = run.ProviderWait,
            Price = price,
            Vars = vars.Snapshot(),
        });
        run.Usage.Add(new UsageRecord(now, UsageKind.Submission, flow.Id, source.Definition.Id, leadId, null, null, null, outcome, 0, 0));
        var result = new LeadResult(leadId, outcome, reason, price, vars, run.Events)
        {
            FlowId = flow.Id,
            FlowVersion = flow.Definition.Version,
            SourceId = source.Definition.Id,
            Timestamp = now,
            Duration = duration,
            ProviderWait = run.ProviderWait,
            Usage = run.Usage,
            Retries = run.Retries,
            Idempotency = submission.Idempotency,
        };
        await _log.AppendAsync(result, cancellationToken);
        return result;
    }

    /// <summary>The lead's fields by id; declared fields also go to their slot of the flow's layout.</summary>
    private Dictionary<string, FieldValue> ParseFields(CompiledFlow flow, CompiledSource source, IReadOnlyDictionary<string, string?> raw,
        FieldValue?[] slots)
    {
        var fields = new Dictionary<string, FieldValue>(raw.Count, StringComparer.Ordinal);
        foreach (var (name, value) in raw)
        {
            if (value is null)
            {
                continue;
            }

            var id = source.Mappings.TryGetValue(name, out var mapped) ? mapped : name;
            if (flow.FieldParsers.TryGetValue(id, out var declared))
            {
                var parsed = declared.Type.Parse(value);
                fields[declared.Id] = parsed;
                if (declared.Slot >= 0)
                {
                    slots[declared.Slot] = parsed;
                }
            }
            else
            {
                fields[id] = _text.Parse(value);
            }
        }

        return fields;
    }

    private static (Outcome, string?)? Accept(Run run, string which, CompiledCriteria? criteria)
    {
        if (criteria is null)
        {
            return null;
        }

        var started = run.Time.GetTimestamp();
        var trace = run.Tracing ? new RuleTrace() : null;
        var (passed, error) = criteria.RuleSet.Run(run.Vars, trace);
        var outcome = error is not null ? Outcome.Error : passed ? Outcome.Success : Outcome.Failure;
        var reason = error is not null ? $"Rule error in {which} acceptance criteria: {error}" : passed ? null : RenderReason(criteria.Reason, run.Vars);
        run.Events.Add(new LeadEvent
        {
            LeadId = run.LeadId,
            Kind = EventKind.Acceptance,
            StepKey = which,
            Type = "acceptance",
            Outcome = outcome,
            Reason = reason,
            Timestamp = run.Time.GetUtcNow(),
            Duration = run.Time.GetElapsedTime(started),
            Trace = trace,
            Vars = run.Vars.Snapshot(),
        });
        return outcome == Outcome.Success ? null : (outcome, reason);
    }

    private static (Outcome, string?)? Filter(Run run, CompiledFilterStep filter)
    {
        var started = run.Time.GetTimestamp();
        var trace = run.Tracing ? new RuleTrace() : null;
        var (matched, error) = filter.StopIf.Run(run.Vars, trace);
        var outcome = error is not null ? Outcome.Error : matched ? filter.Filter.Outcome : Outcome.Success;
        var reason = error is not null ? $"Rule error in filter {filter.Key}: {error}" : matched ? RenderReason(filter.Reason, run.Vars) : null;
        run.Vars.SetStep(filter.Key, new StepVars(outcome, reason));
        run.Events.Add(new LeadEvent
        {
            LeadId = run.LeadId,
            Kind = EventKind.Step,
            StepKey = filter.Key,
            Type = "filter",
            Outcome = outcome,
            Reason = reason,
            Timestamp = run.Time.GetUtcNow(),
            Duration = run.Time.GetElapsedTime(started),
            Trace = trace,
            Vars = run.Vars.Snapshot(),
        });
        return outcome == Outcome.Success ? null : (outcome, reason);
    }

    private async Task<((Outcome, string?)?, decimal)> IntegrateAsync(Run run, CompiledFlow flow, CompiledIntegrationStep step,
        CancellationToken cancellationToken)
    {
        var started = run.Time.GetTimestamp();
        var timestamp = run.Time.GetUtcNow();
        var trace = run.Tracing && (step.When is not null || step.ConditionalInputs.Count > 0) ? new RuleTrace() : null;
        var registration = run.Integrations.TryGet(step.Step.Integration, out var found) ? found : null;
        var invoked = false;
        Invocation invocation;
        var when = step.When?.Run(run.Vars, trace) ?? new RuleSetResult(true, null);
        if (when.Error is not null)
        {
            invocation = new Invocation(IntegrationResult.Skip($"Rule error in step {step.Key} criteria: {when.Error}"), TimeSpan.Zero, []);
        }
        else if (!when.Passed)
        {
            invocation = new Invocation(IntegrationResult.Skip("Step criteria not met"), TimeSpan.Zero, []);
        }
        else if (registration is null)
        {
            invocation = new Invocation(IntegrationResult.Error($"Integration '{step.Step.Integration}' is not loaded (was its plugin removed?)."),
                TimeSpan.Zero, []);
        }
        else
        {
            var inputs = new Dictionary<string, object?>(step.Inputs.Count + step.ConditionalInputs.Count, StringComparer.Ordinal);
            string? renderError = null;
            foreach (var (name, template) in step.Inputs)
            {
                renderError ??= RenderInput(step, name, template, run.Vars, inputs);
            }

            if ((renderError ?? ChooseAlternatives(run, step, inputs, trace)) is { } inputError)
            {
                invocation = new Invocation(IntegrationResult.Error(inputError), TimeSpan.Zero, []);
            }
            else
            {
                var timeout = step.Step.Timeout ?? _options.DefaultStepTimeout;
                if (timeout > _options.MaxStepTimeout)
                {
                    timeout = _options.MaxStepTimeout;
                }

                invoked = true;
                var idempotencyKey = step.Step.Retry is null ? null : PendingRetry.IdempotencyKeyFor(run.LeadId, step.Key);
                invocation = await _invoker.InvokeAsync(registration.Integration,
                    new IntegrationInput(inputs, _credentials.For(flow, step.Step, registration.Descriptor)), timeout, idempotencyKey, cancellationToken);
                if (invocation.Result.Outcome == Outcome.Error && step.Step.Retry is { } retry)
                {
                    run.Retries.Add(new PendingRetry(step.Key, registration.Descriptor.Id, inputs, retry.Attempts, retry.Backoff, retry.MaxBackoff,
                        invocation.Result.Reason));
                }
            }
        }

        var result = invocation.Result;
        var descriptor = registration?.Descriptor ?? step.Descriptor;
        var billable = invoked && descriptor.Class == IntegrationClass.AddOn && result.Outcome is Outcome.Success or Outcome.Failure;
        decimal? cost = billable ? descriptor.CostPerTransaction : null;
        run.ProviderWait += invocation.ProviderWait;
        run.Vars.SetStep(step.Key, new StepVars(result.Outcome, result.Reason, result.Appended, result.Price, cost));
        run.Events.Add(new LeadEvent
        {
            LeadId = run.LeadId,
            Kind = EventKind.Step,
            StepKey = step.Key,
            Type = step.Step.Kind == IntegrationKind.Delivery ? "delivery" : "enhancement",
            Integration = descriptor.Id,
            Plugin = registration?.Plugin.Name,
            PluginVersion = registration?.Plugin.Version,
            Outcome = result.Outcome,
            Reason = result.Reason,
            Timestamp = timestamp,
            Duration = run.Time.GetElapsedTime(started),
            ProviderWait = invocation.ProviderWait,
            Appended = result.Appended,
            Price = result.Price,
            Cost = cost,
            Trace = trace,
            Transcript = invocation.Transcript,
            Vars = run.Vars.Snapshot(),
        });
        if (invoked)
        {
            run.Usage.Add(new UsageRecord(timestamp, UsageKind.StepInvocation, flow.Id, run.Vars.Source.Id, run.LeadId, step.Key,
                descriptor.Id, descriptor.Class, result.Outcome, billable ? 1 : 0, cost ?? 0));
        }

        var price = step.Step.Kind == IntegrationKind.Delivery && result.Outcome == Outcome.Success ? result.Price ?? 0 : 0;
        var stops = step.Step.OnFailure == OnFailure.Stop && result.Outcome is Outcome.Failure or Outcome.Error;
        return (stops ? (result.Outcome, result.Reason ?? $"Step {step.Key} did not succeed") : null, price);
    }

    /// <summary>
    /// Sets each conditional input from its first alternative whose <c>when</c> passes (or that has none), and leaves it
    /// unset when none does. Returns the step's error reason when a <c>when</c> fails at run time: the input is then
    /// unknown, and silently taking a later alternative would send the wrong value.
    /// </summary>
    private static string? ChooseAlternatives(Run run, CompiledIntegrationStep step, Dictionary<string, object?> inputs, RuleTrace? trace)
    {
        foreach (var input in step.ConditionalInputs)
        {
            for (var i = 0; i < input.Alternatives.Count; i++)
            {
                var alternative = input.Alternatives[i];
                var result = new RuleSetResult(true, null);
                if (alternative.When is not null)
                {
                    var own = trace is null ? null : new RuleTrace();
                    result = alternative.When.Run(run.Vars, own);
                    if (trace is not null)
                    {
                        // One entry names the alternative; its rules follow, a level deeper.
                        trace.Add(new RuleTraceEntry(0, $"inputs.{input.Name} alternative {i + 1}", "when", null, null, null, result.Passed)
                        {
                            Error = result.Error,
                        });
                        foreach (var entry in own!.Entries)
                        {
                            trace.Add(entry with { Depth = entry.Depth + 1 });
                        }
                    }

                    if (result.Error is not null)
                    {
                        return $"Rule error in step {step.Key} input {input.Name}: {result.Error}";
                    }
                }

                if (result.Passed)
                {
                    if (RenderInput(step, input.Name, alternative.Value, run.Vars, inputs) is { } renderError)
                    {
                        return renderError;
                    }

                    break;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Renders one input into <paramref name="inputs"/>. Returns the step's error reason when the template fails, or
    /// when a JSON or XML body comes out malformed: nothing is sent then, and the reason names the position.
    /// </summary>
    private static string? RenderInput(CompiledIntegrationStep step, string name, FlowTemplate template, LeadVars vars,
        Dictionary<string, object?> inputs)
    {
        object? value;
        try
        {
            value = template.RenderValue(vars);
        }
        catch (TemplateRenderException e)
        {
            return $"Input '{name}' of step {step.Key}: {e.Message}";
        }

        var malformed = (template.Format, value) switch
        {
            (TemplateFormat.Json, string body) => WellFormed.Json(body),
            (TemplateFormat.Xml, string body) => WellFormed.Xml(body),
            _ => null,
        };
        if (malformed is not null)
        {
            return $"Input '{name}' of step {step.Key} rendered malformed {(template.Format == TemplateFormat.Json ? "JSON" : "XML")} at {malformed}; nothing was sent.";
        }

        inputs[name] = value;
        return null;
    }

    /// <summary>A reason whose template fails still gives a reason: the failure itself.</summary>
    private static string RenderReason(FlowTemplate reason, LeadVars vars)
    {
        try
        {
            return reason.Render(vars);
        }
        catch (TemplateRenderException e)
        {
            return $"Reason template failed: {e.Message}";
        }
    }

    /// <summary>The state of one lead's run.</summary>
    private sealed class Run(string leadId, LeadVars vars, TimeProvider time, bool tracing, IntegrationLease integrations)
    {
        public IntegrationLease Integrations { get; } = integrations;

        public List<UsageRecord> Usage { get; } = [];

        public List<PendingRetry> Retries { get; } = [];

        public string LeadId { get; } = leadId;

        public LeadVars Vars { get; } = vars;

        public TimeProvider Time { get; } = time;

        public bool Tracing { get; } = tracing;

        public List<LeadEvent> Events { get; } = [];

        public TimeSpan ProviderWait { get; set; }
    }
}
