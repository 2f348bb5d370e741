namespace PluggableFlows.Sdk;

/// <summary>
/// Named lists of values kept in the engine's store: suppression lists, "have we seen this lead" checks.
/// Values are compared exactly as given, so normalize first (a phone's digits, an email lower-cased).
/// </summary>
public interface IValueLists
{
    /// <summary>Whether <paramref name="value"/> is on <paramref name="list"/>, counting only entries added within
    /// <paramref name="lookback"/> when one is given.</summary>
    Task<bool> ContainsAsync(string list, string value, TimeSpan? lookback, CancellationToken cancellationToken);

    /// <summary>Adds <paramref name="value"/> (or refreshes when it was added before).</summary>
    Task AddAsync(string list, string value, CancellationToken cancellationToken);

    /// <summary>Removes <paramref name="value"/>; true when it was there.</summary>
    Task<bool> DeleteAsync(string list, string value, CancellationToken cancellationToken);

    /// <summary>
    /// One atomic step: adds <paramref name="value"/> unless it is already on the list (within
    /// <paramref name="lookback"/> when given). True when it was added, i.e. the value is unique. Two concurrent calls
    /// with the same value never both return true.
    /// </summary>
    Task<bool> AddIfAbsentAsync(string list, string value, TimeSpan? lookback, CancellationToken cancellationToken);
}
