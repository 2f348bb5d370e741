namespace PluggableFlows.Engine.Pipeline;

/// <summary>When a step's first retry is due: its backoff, give or take a fifth, so leads that failed together
/// (a recipient that was down) do not all come back at the same moment. Later retries are spaced by the outbox
/// worker's Polly pipeline (exponential, with jitter).</summary>
public static class RetryDelays
{
    /// <summary>The delay before the first retry, in milliseconds.</summary>
    public static long First(TimeSpan backoff) => (long)(backoff.TotalMilliseconds * (0.8 + (0.4 * Random.Shared.NextDouble())));
}
