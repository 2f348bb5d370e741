using System.Collections.Concurrent;
using PluggableFlows.Engine.Flows;

namespace PluggableFlows.Engine.Pipeline;

/// <summary>Reads secrets referenced by flows. Secrets never live in flow files.</summary>
public interface ISecretResolver
{
    /// <summary>The secret's value, or null when it is not set.</summary>
    string? Resolve(SecretReference reference, string flowFile);
}

/// <summary>
/// Reads <c>{ env: NAME }</c> from the environment and <c>{ file: path }</c> from a file (relative to the flow file).
/// A secret file is read again once its value is older than the refresh interval (one second unless set), so a rotated
/// key takes effect within that interval without a file system round trip on every lead.
/// </summary>
public sealed class EnvironmentSecretResolver : ISecretResolver
{
    private readonly ConcurrentDictionary<(string FlowFile, string File), Cached> _files = new();
    private readonly TimeProvider _time;
    private readonly long _refreshTicks;

    /// <summary>Creates the resolver.</summary>
    /// <param name="refresh">How long a secret file's value is used before the file is read again; zero reads it every
    /// time.</param>
    /// <param name="time">The clock.</param>
    public EnvironmentSecretResolver(TimeSpan? refresh = null, TimeProvider? time = null)
    {
        var interval = refresh ?? TimeSpan.FromSeconds(1);
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero, nameof(refresh));
        _time = time ?? TimeProvider.System;
        _refreshTicks = (long)(interval.TotalSeconds * _time.TimestampFrequency);
    }

    /// <inheritdoc />
    public string? Resolve(SecretReference reference, string flowFile)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Env is { } name)
        {
            var value = Environment.GetEnvironmentVariable(name);
            return string.IsNullOrEmpty(value) ? null : value;
        }

        if (reference.File is { } file)
        {
            var now = _time.GetTimestamp();
            var key = (flowFile, file);
            if (_files.TryGetValue(key, out var cached) && now - cached.ReadAt < _refreshTicks)
            {
                return cached.Value;
            }

            var value = ReadFile(file, flowFile);
            _files[key] = new Cached(value, now);
            return value;
        }

        return null;
    }

    private static string? ReadFile(string file, string flowFile)
    {
        var path = Path.IsPathRooted(file) ? file : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(flowFile)) ?? ".", file);
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private sealed record Cached(string? Value, long ReadAt);
}
