using System.Collections.Concurrent;
using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.Suppression.Tests;

/// <summary>The engine's value-list store as the SDK describes it, in memory, on a clock the test controls.</summary>
internal sealed class InMemoryValueLists(TimeProvider time) : IValueLists
{
    private readonly ConcurrentDictionary<(string List, string Value), DateTimeOffset> _entries = new();

    public int Count => _entries.Count;

    public Task<bool> ContainsAsync(string list, string value, TimeSpan? lookback, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_entries.TryGetValue((list, value), out var added) && Within(added, lookback));
    }

    public Task AddAsync(string list, string value, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _entries[(list, value)] = time.GetUtcNow();
        return Task.CompletedTask;
    }

    public Task<bool> DeleteAsync(string list, string value, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_entries.TryRemove((list, value), out _));
    }

    public Task<bool> AddIfAbsentAsync(string list, string value, TimeSpan? lookback, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var key = (list, value);
        while (true)
        {
            var now = time.GetUtcNow();
            if (_entries.TryAdd(key, now))
            {
                return Task.FromResult(true);
            }

            if (!_entries.TryGetValue(key, out var added))
            {
                continue;
            }

            if (Within(added, lookback))
            {
                return Task.FromResult(false);
            }

            // An entry older than the lookback does not count: refresh it, unless another call just did.
            if (_entries.TryUpdate(key, now, added))
            {
                return Task.FromResult(true);
            }
        }
    }

    public bool Holds(string list, string value) => _entries.ContainsKey((list, value));

    private bool Within(DateTimeOffset added, TimeSpan? lookback) => lookback is not { } window || time.GetUtcNow() - added <= window;
}
