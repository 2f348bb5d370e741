using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PluggableFlows.Engine.Storage;

namespace PluggableFlows.Host.Intake;

/// <summary>
/// Submissions with an <c>Idempotency-Key</c>: a key seen from the same flow and source within the window gets the
/// answer its first submission got, and the lead is not run again. The key is recorded with the lead, in the same
/// transaction, so a restart keeps it; a repeat that arrives while the first is still running waits for its answer.
/// </summary>
internal sealed class IdempotentSubmissions(SqliteLeadQueries queries, TimeProvider time, IOptions<LeadServerOptions> options)
{
    /// <summary>The request header.</summary>
    public const string Header = "Idempotency-Key";

    /// <summary>The answer header that marks a repeated answer.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>The longest key accepted.</summary>
    public const int MaxKeyLength = 255;

    private readonly TimeSpan _window = options.Value.IdempotencyWindow;
    private readonly ConcurrentDictionary<(string Flow, string Source, string Key), Task<LeadAnswer>> _running = new();

    /// <summary>Runs <paramref name="process"/> unless the key already has an answer; returns the answer and whether it
    /// is a repeat.</summary>
    public async Task<(LeadAnswer Answer, bool Replayed)> RunAsync(string flowId, string sourceId, string key, Func<Task<LeadAnswer>> process)
    {
        var id = (flowId, sourceId, key);
        while (true)
        {
            if (_running.TryGetValue(id, out var running))
            {
                return (await running, true);
            }

            if (await FindAsync(id) is { } stored)
            {
                return (stored, true);
            }

            var own = new TaskCompletionSource<LeadAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_running.TryAdd(id, own.Task))
            {
                continue;
            }

            try
            {
                // A first submission may have finished between the look-up and the claim: look again, now that no
                // other request with this key can start.
                var answer = await FindAsync(id) is { } settled ? (settled, true) : (await process(), false);
                own.SetResult(answer.Item1);
                return answer;
            }
            catch (Exception exception)
            {
                own.SetException(exception);
                _ = own.Task.Exception; // observed: the waiting repeats, if any, get it too.
                throw;
            }
            finally
            {
                _running.TryRemove(id, out _);
            }
        }
    }

    private async Task<LeadAnswer?> FindAsync((string Flow, string Source, string Key) id) =>
        await queries.FindAnswerAsync(id.Flow, id.Source, id.Key, time.GetUtcNow() - _window, CancellationToken.None) is { } stored
            ? LeadAnswer.From(stored)
            : null;
}
