using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Flows;
using PluggableFlows.Engine.Plugins;
using PluggableFlows.Engine.Storage;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;
using Polly;
using Polly.Retry;
using Outcome = PluggableFlows.Sdk.Outcome;

namespace PluggableFlows.Engine.Pipeline;

/// <summary>
/// Works one claimed outbox row to its end: calls the step's integration again with the first attempt's inputs, the
/// step's current credentials and the row's idempotency key, records each attempt as an event, and while the outcome is
/// <c>error</c> and attempts are left, waits (Polly: exponential backoff with jitter, capped) and tries again. Before each
/// wait the row's due time is stored, so after a crash another worker resumes it there.
/// </summary>
public sealed partial class RetryRunner
{
    /// <summary>How long past an attempt's timeout a row stays held, for recording the attempt.</summary>
    public static readonly TimeSpan LeaseMargin = TimeSpan.FromSeconds(5);

    private readonly IIntegrationRegistry _integrations;
    private readonly IntegrationInvoker _invoker;
    private readonly StepCredentials _credentials;
    private readonly FieldTypeRegistry _types;
    private readonly SqliteOutbox _outbox;
    private readonly TimeProvider _time;
    private readonly PipelineOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates a runner.</summary>
    public RetryRunner(IIntegrationRegistry integrations, IntegrationInvoker invoker, StepCredentials credentials, FieldTypeRegistry types,
        SqliteOutbox outbox, TimeProvider time, PipelineOptions? options = null, ILogger<RetryRunner>? logger = null)
    {
        _integrations = integrations;
        _invoker = invoker;
        _credentials = credentials;
        _types = types;
        _outbox = outbox;
        _time = time;
        _options = options ?? new PipelineOptions();
        _logger = logger ?? (ILogger)NullLogger<RetryRunner>.Instance;
    }

    /// <summary>How long a claim holds a row: the longest an attempt may take, and the margin. (While it waits between
    /// attempts, a row is held until its due time, the step's timeout and the margin.)</summary>
    public TimeSpan Lease => _options.MaxStepTimeout + LeaseMargin;

    /// <summary>Retries <paramref name="item"/> until it settles or <paramref name="cancellationToken"/> stops the worker
    /// (the row then stays pending, due when it was going to be).</summary>
    /// <param name="item">The claimed row.</param>
    /// <param name="flow">The flow as served now (null when it no longer is: the step then fails for good).</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public async Task RunAsync(OutboxItem item, CompiledFlow? flow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var step = flow?.Definition.Steps.OfType<IntegrationStepDefinition>().FirstOrDefault(s => s.Key == item.StepKey);
        var stepLease = (step is null ? _options.DefaultStepTimeout : StepTimeout(step)) + LeaseMargin;
        var attempt = item.AttemptsMade;
        var retriesLeft = item.MaxAttempts - item.AttemptsMade - 1;
        Func<CancellationToken, ValueTask<Outcome>> once = async token =>
        {
            attempt++;
            return await AttemptAsync(item, attempt, flow, step, token);
        };

        if (retriesLeft < 1)
        {
            await once(cancellationToken);
            return;
        }

        var pipeline = new ResiliencePipelineBuilder<Outcome> { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions<Outcome>
            {
                ShouldHandle = arguments => ValueTask.FromResult(arguments.Outcome.Result == Outcome.Error),
                MaxRetryAttempts = retriesLeft,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                // Retry n waits about backoff·2^(n-1); this run's first wait is for retry number `AttemptsMade + 1`.
                Delay = Min(item.Backoff * Math.Pow(2, item.AttemptsMade), item.MaxBackoff),
                MaxDelay = item.MaxBackoff,
                OnRetry = async arguments =>
                {
                    var due = _time.GetUtcNow() + arguments.RetryDelay;
                    await _outbox.RescheduleAsync(item.Id, due, due + stepLease, CancellationToken.None);
                },
            })
            .Build();
        await pipeline.ExecuteAsync(once, cancellationToken);
    }

    private async Task<Outcome> AttemptAsync(OutboxItem item, int number, CompiledFlow? flow, IntegrationStepDefinition? step,
        CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var timestamp = _time.GetUtcNow();
        using var lease = _integrations.Acquire();
        var registration = lease.TryGet(item.IntegrationId, out var found) ? found : null;
        Invocation invocation;
        var invoked = false;
        if (flow is null || step is null)
        {
            // Nothing left to retry against: the step fails for good rather than waiting forever.
            invocation = new Invocation(IntegrationResult.Error(flow is null
                ? $"Flow '{item.FlowId}' is no longer served; the retry is abandoned."
                : $"Step '{item.StepKey}' is no longer in flow '{item.FlowId}'; the retry is abandoned."), TimeSpan.Zero, []);
            number = item.MaxAttempts;
        }
        else if (registration is null)
        {
            invocation = new Invocation(IntegrationResult.Error($"Integration '{item.IntegrationId}' is not loaded (was its plugin removed?)."),
                TimeSpan.Zero, []);
        }
        else
        {
            var timeout = StepTimeout(step);
            invoked = true;
            var inputs = InputsJson.Read(item.InputsJson, _types);
            // Shutting down must not cut an attempt off half-way: it runs to its end (or timeout) and is recorded.
            invocation = await _invoker.InvokeAsync(registration.Integration,
                new IntegrationInput(inputs, _credentials.For(flow, step, registration.Descriptor)), timeout, item.IdempotencyKey, CancellationToken.None);
        }

        var result = invocation.Result;
        var descriptor = registration?.Descriptor;
        var billable = invoked && descriptor?.Class == IntegrationClass.AddOn && result.Outcome is Outcome.Success or Outcome.Failure;
        decimal? cost = billable ? descriptor!.CostPerTransaction : null;
        var settled = await _outbox.RecordAttemptAsync(item, new RetryAttempt
        {
            Attempt = number,
            FlowVersion = flow?.Definition.Version ?? item.FlowVersion,
            Type = step?.Kind == IntegrationKind.Enhancement ? "enhancement" : "delivery",
            Plugin = registration?.Plugin.Name,
            PluginVersion = registration?.Plugin.Version,
            Outcome = result.Outcome,
            Reason = result.Reason,
            Timestamp = timestamp,
            Duration = _time.GetElapsedTime(started),
            ProviderWait = invocation.ProviderWait,
            Appended = result.Appended,
            Price = result.Price,
            Cost = cost,
            Transcript = invocation.Transcript,
            Usage = invoked
                ? new UsageRecord(timestamp, UsageKind.StepInvocation, item.FlowId, item.SourceId, item.LeadId, item.StepKey, item.IntegrationId,
                    descriptor!.Class, result.Outcome, billable ? 1 : 0, cost ?? 0)
                : null,
        }, CancellationToken.None);
        LogAttempt(_logger, item.LeadId, item.StepKey, number, item.MaxAttempts, OutcomeNames.Of(result.Outcome), result.Reason);
        // A settled step is not retried, whatever Polly would make of its outcome.
        return settled && result.Outcome == Outcome.Error ? Outcome.Failure : result.Outcome;
    }

    private TimeSpan StepTimeout(IntegrationStepDefinition step)
    {
        var timeout = step.Timeout ?? _options.DefaultStepTimeout;
        return timeout > _options.MaxStepTimeout ? _options.MaxStepTimeout : timeout;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    [LoggerMessage(Level = LogLevel.Information, Message = "Lead {LeadId} step {StepKey}: attempt {Attempt} of {MaxAttempts}: {Outcome} {Reason}")]
    private static partial void LogAttempt(ILogger logger, string leadId, string stepKey, int attempt, int maxAttempts, string outcome, string? reason);
}
