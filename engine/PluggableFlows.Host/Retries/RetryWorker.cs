using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Storage;

namespace PluggableFlows.Host.Retries;

/// <summary>
/// Drains the retry outbox off the request path: every poll it claims the rows that are due (up to a cap on rows held at
/// once) and works each with the <see cref="RetryRunner"/> against the flow as served now. On shutdown it stops waiting;
/// rows keep their due time and the next start resumes them.
/// </summary>
internal sealed partial class RetryWorker(SqliteOutbox outbox, RetryRunner runner, HostedFlows flows, TimeProvider time,
    IOptions<LeadServerOptions> options, ILogger<RetryWorker> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<long, Task> _running = new();
    private readonly LeadServerOptions _settings = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_settings.RetryPollInterval, time);
        try
        {
            do
            {
                await ClaimAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }

        await Task.WhenAll(_running.Values);
    }

    private async Task ClaimAsync(CancellationToken stoppingToken)
    {
        var room = _settings.MaxRetriesInFlight - _running.Count;
        if (room <= 0)
        {
            return;
        }

        IReadOnlyList<OutboxItem> due;
        try
        {
            due = await outbox.ClaimDueAsync(time.GetUtcNow(), runner.Lease, room, stoppingToken);
        }
        catch (Microsoft.Data.Sqlite.SqliteException exception)
        {
            LogClaimFailed(logger, exception);
            return;
        }

        foreach (var item in due)
        {
            _running[item.Id] = RunAsync(item, stoppingToken);
        }
    }

    private async Task RunAsync(OutboxItem item, CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            var flow = flows.TryGet(item.FlowId, out var served) ? served.Flow : null;
            await runner.RunAsync(item, flow, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The row stays pending, due when it was going to be; the next start resumes it.
        }
#pragma warning disable CA1031 // One row's failure must not stop the worker; the row comes back when its lease runs out.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogRetryFailed(logger, exception, item.LeadId, item.StepKey);
        }
        finally
        {
            _running.TryRemove(item.Id, out _);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The retry outbox could not be read; trying again at the next poll.")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retrying lead {LeadId} step {StepKey} failed; the row is taken up again when its lease runs out.")]
    private static partial void LogRetryFailed(ILogger logger, Exception exception, string leadId, string stepKey);
}
