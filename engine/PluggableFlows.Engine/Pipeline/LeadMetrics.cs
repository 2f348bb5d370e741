using System.Diagnostics;
using System.Diagnostics.Metrics;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Pipeline;

/// <summary>
/// The engine's metrics (meter <see cref="MeterName"/>): leads by outcome, how long leads and steps take, how much of
/// that is spent waiting on providers, and step errors. Recorded from a finished <see cref="LeadResult"/>, so the lead's
/// path pays nothing until a listener (OpenTelemetry, <c>dotnet-counters</c>) enables an instrument.
/// </summary>
public sealed class LeadMetrics
{
    /// <summary>The meter every instrument belongs to.</summary>
    public const string MeterName = "PluggableFlows";

    // Leads and steps take milliseconds (offline steps) to tens of seconds (slow providers, timeouts); the default
    // boundaries are meant for milliseconds and would put every lead in the first bucket.
    private static readonly InstrumentAdvice<double> SecondsAdvice = new()
    {
        HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    };

    private readonly Counter<long> _leads;
    private readonly Histogram<double> _leadDuration;
    private readonly Histogram<double> _engineOverhead;
    private readonly Histogram<double> _stepDuration;
    private readonly Histogram<double> _providerDuration;
    private readonly Counter<long> _stepErrors;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/> (disposed with it).</summary>
    public LeadMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _leads = meter.CreateCounter<long>("pflow.leads", "{lead}", "Leads processed, by flow, source and outcome.");
        _leadDuration = meter.CreateHistogram("pflow.lead.duration", "s", "How long a lead took from submission to answer.",
            tags: null, advice: SecondsAdvice);
        _engineOverhead = meter.CreateHistogram("pflow.lead.engine_overhead", "s",
            "How long a lead took minus the time spent waiting on providers: the engine's own share.", tags: null, advice: SecondsAdvice);
        _stepDuration = meter.CreateHistogram("pflow.step.duration", "s", "How long a step took, by flow, step, type, integration and outcome.",
            tags: null, advice: SecondsAdvice);
        _providerDuration = meter.CreateHistogram("pflow.provider.duration", "s",
            "How long a step waited on its provider, by integration (steps that called one).", tags: null, advice: SecondsAdvice);
        _stepErrors = meter.CreateCounter<long>("pflow.step.errors", "{step}", "Steps whose outcome was error, by flow, step and integration.");
    }

    /// <summary>Records one finished lead of <paramref name="flow"/>: its submission event and each step event.</summary>
    public void Record(CompiledFlow flow, LeadResult lead)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(lead);
        var flowId = flow.Id;
        foreach (var leadEvent in lead.Events)
        {
            switch (leadEvent.Kind)
            {
                case EventKind.Submission:
                    RecordSubmission(flowId, lead, leadEvent);
                    break;
                case EventKind.Step:
                    RecordStep(flowId, leadEvent);
                    break;
            }
        }
    }

    private void RecordSubmission(string flowId, LeadResult lead, LeadEvent submission)
    {
        if (_leads.Enabled)
        {
            var tags = new TagList
            {
                { "flow", flowId },
                { "source", lead.Vars.Source.Id },
                { "outcome", OutcomeNames.Of(lead.Outcome) },
            };
            _leads.Add(1, tags);
        }

        var total = submission.Duration.TotalSeconds;
        if (_leadDuration.Enabled)
        {
            _leadDuration.Record(total, new KeyValuePair<string, object?>("flow", flowId));
        }

        if (_engineOverhead.Enabled)
        {
            // Provider waits are measured separately from the total, so rounding can make them exceed it by a tick.
            _engineOverhead.Record(Math.Max(0, total - submission.ProviderWait.TotalSeconds), new KeyValuePair<string, object?>("flow", flowId));
        }
    }

    private void RecordStep(string flowId, LeadEvent step)
    {
        var integration = step.Integration ?? "";
        if (_stepDuration.Enabled)
        {
            var tags = new TagList
            {
                { "flow", flowId },
                { "step", step.StepKey },
                { "type", step.Type },
                { "integration", integration },
                { "outcome", OutcomeNames.Of(step.Outcome) },
            };
            _stepDuration.Record(step.Duration.TotalSeconds, tags);
        }

        if (step.Integration is not null && (step.ProviderWait > TimeSpan.Zero || step.Transcript.Count > 0) && _providerDuration.Enabled)
        {
            _providerDuration.Record(step.ProviderWait.TotalSeconds, new KeyValuePair<string, object?>("integration", integration));
        }

        if (step.Outcome == Outcome.Error && _stepErrors.Enabled)
        {
            var tags = new TagList
            {
                { "flow", flowId },
                { "step", step.StepKey },
                { "integration", integration },
            };
            _stepErrors.Add(1, tags);
        }
    }
}
