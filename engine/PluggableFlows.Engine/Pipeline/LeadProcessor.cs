using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Flows;
using PluggableFlows.Engine.Rules;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Pipeline;

/// <summary>
/// Runs one lead through a compiled flow: parse and map fields → flow acceptance criteria → source acceptance
/// criteria → steps in order → the answer for the source. Records one event per step and one for the submission.
/// </summary>
public sealed class LeadProcessor
{
    private readonly ISecretResolver _secrets;
    private readonly TimeProvider _time;
    private readonly PipelineOptions _options;
    private readonly IntegrationInvoker _invoker;
    private readonly IFieldType _text;

    /// <summary>Creates a processor.</summary>
    public LeadProcessor(FieldTypeRegistry types, HttpClient http, ISecretResolver secrets, TimeProvider time, PipelineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(types);
        _secrets = secrets;
        _time = time;
        _options = options ?? new PipelineOptions();
        _invoker = new IntegrationInvoker(http, time);
        _text = types.Get("string");
    }

    /// <summary>Runs one lead. Throws only for a caller mistake (an unknown source) or cancellation.</summary>
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
        var vars = new LeadVars(
            leadId,
            ParseFields(flow, source, submission.Fields),
            new SourceVars(source.Definition.Id, source.Definition.Name),
            new FlowVars(flow.Definition.Id, flow.Definition.Name, flow.Definition.Version),
            new SubmissionVars(leadId, now, submission.Ip),
            System.Random.Shared.Next(1, 101));

        var run = new Run(leadId, vars, _time, _options.TraceRules);
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

        run.Events.Add(new LeadEvent
        {
            LeadId = leadId,
            Kind = EventKind.Submission,
            Type = "submission",
            Outcome = outcome,
            Reason = reason,
            Timestamp = now,
            Duration = _time.GetElapsedTime(started),
            ProviderWait = run.ProviderWait,
            Price = price,
            Vars = vars.Snapshot(),
        });
        return new LeadResult(leadId, outcome, reason, price, vars, run.Events);
    }

    private Dictionary<string, FieldValue> ParseFields(CompiledFlow flow, CompiledSource source, IReadOnlyDictionary<string, string?> raw)
    {
        var fields = new Dictionary<string, FieldValue>(raw.Count, StringComparer.Ordinal);
        foreach (var (name, value) in raw)
        {
            if (value is null)
            {
                continue;
            }

            var id = source.Mappings.TryGetValue(name, out var mapped) ? mapped : name;
            var type = flow.FieldParsers.TryGetValue(id, out var declared) ? declared : _text;
            fields[id] = type.Parse(value);
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
        var passed = trace is null ? criteria.RuleSet.Evaluate(run.Vars) : criteria.RuleSet.Evaluate(run.Vars, trace);
        var reason = passed ? null : criteria.Reason.Render(run.Vars);
        run.Events.Add(new LeadEvent
        {
            LeadId = run.LeadId,
            Kind = EventKind.Acceptance,
            StepKey = which,
            Type = "acceptance",
            Outcome = passed ? Outcome.Success : Outcome.Failure,
            Reason = reason,
            Timestamp = run.Time.GetUtcNow(),
            Duration = run.Time.GetElapsedTime(started),
            Trace = trace,
            Vars = run.Vars.Snapshot(),
        });
        return passed ? null : (Outcome.Failure, reason);
    }

    private static (Outcome, string?)? Filter(Run run, CompiledFilterStep filter)
    {
        var started = run.Time.GetTimestamp();
        var trace = run.Tracing ? new RuleTrace() : null;
        var matched = trace is null ? filter.StopIf.Evaluate(run.Vars) : filter.StopIf.Evaluate(run.Vars, trace);
        var outcome = matched ? filter.Filter.Outcome : Outcome.Success;
        var reason = matched ? filter.Reason.Render(run.Vars) : null;
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
        return matched ? (outcome, reason) : null;
    }

    private async Task<((Outcome, string?)?, decimal)> IntegrateAsync(Run run, CompiledFlow flow, CompiledIntegrationStep step,
        CancellationToken cancellationToken)
    {
        var started = run.Time.GetTimestamp();
        var timestamp = run.Time.GetUtcNow();
        var trace = run.Tracing && step.When is not null ? new RuleTrace() : null;
        Invocation invocation;
        if (step.When is not null && !(trace is null ? step.When.Evaluate(run.Vars) : step.When.Evaluate(run.Vars, trace)))
        {
            invocation = new Invocation(IntegrationResult.Skip("Step criteria not met"), TimeSpan.Zero, []);
        }
        else
        {
            var inputs = new Dictionary<string, object?>(step.Inputs.Count, StringComparer.Ordinal);
            foreach (var (name, template) in step.Inputs)
            {
                inputs[name] = template.RenderValue(run.Vars);
            }

            var credentials = new Dictionary<string, string>(step.Step.Credentials.Count, StringComparer.Ordinal);
            foreach (var (name, reference) in step.Step.Credentials)
            {
                if (_secrets.Resolve(reference, flow.Definition.File) is { } secret)
                {
                    credentials[name] = secret;
                }
            }

            var timeout = step.Step.Timeout ?? _options.DefaultStepTimeout;
            if (timeout > _options.MaxStepTimeout)
            {
                timeout = _options.MaxStepTimeout;
            }

            invocation = await _invoker.InvokeAsync(step.Integration, new IntegrationInput(inputs, credentials), timeout, cancellationToken);
        }

        var result = invocation.Result;
        var descriptor = step.Integration.Descriptor;
        decimal? cost = descriptor.Class == IntegrationClass.AddOn && result.Outcome != Outcome.Skip ? descriptor.CostPerTransaction : null;
        run.ProviderWait += invocation.ProviderWait;
        run.Vars.SetStep(step.Key, new StepVars(result.Outcome, result.Reason, result.Appended, result.Price, cost));
        run.Events.Add(new LeadEvent
        {
            LeadId = run.LeadId,
            Kind = EventKind.Step,
            StepKey = step.Key,
            Type = step.Step.Kind == IntegrationKind.Delivery ? "delivery" : "enhancement",
            Integration = descriptor.Id,
            Outcome = result.Outcome,
            Reason = result.Reason,
            Timestamp = timestamp,
            Duration = run.Time.GetElapsedTime(started),
            ProviderWait = invocation.ProviderWait,
            Appended = result.Appended,
            Price = result.Price,
            Trace = trace,
            Transcript = invocation.Transcript,
            Vars = run.Vars.Snapshot(),
        });

        var price = step.Step.Kind == IntegrationKind.Delivery && result.Outcome == Outcome.Success ? result.Price ?? 0 : 0;
        var stops = step.Step.OnFailure == OnFailure.Stop && result.Outcome is Outcome.Failure or Outcome.Error;
        return (stops ? (result.Outcome, result.Reason ?? $"Step {step.Key} did not succeed") : null, price);
    }

    /// <summary>The state of one lead's run.</summary>
    private sealed class Run(string leadId, LeadVars vars, TimeProvider time, bool tracing)
    {
        public string LeadId { get; } = leadId;

        public LeadVars Vars { get; } = vars;

        public TimeProvider Time { get; } = time;

        public bool Tracing { get; } = tracing;

        public List<LeadEvent> Events { get; } = [];

        public TimeSpan ProviderWait { get; set; }
    }
}
