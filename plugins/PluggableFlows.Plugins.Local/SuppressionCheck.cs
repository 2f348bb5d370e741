using System.Collections.Concurrent;
using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.Local;

/// <summary>
/// <c>suppression.check</c>: is a value (an email, a phone) on a suppression list file? Appends <c>found</c>;
/// a filter step decides what to do with it, as with LeadConduit's suppression lists.
/// </summary>
public sealed class SuppressionCheck : IHandlerIntegration
{
    // Lists are read once per file version: a lead must not pay for disk I/O.
    private static readonly ConcurrentDictionary<string, (DateTime Written, HashSet<string> Items)> Lists = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public IntegrationDescriptor Descriptor { get; } = new()
    {
        Id = "suppression.check",
        Name = "Suppression list check",
        Kind = IntegrationKind.Enhancement,
        Class = IntegrationClass.Byoc,
        RequestVariables =
        [
            new("value", "string", Required: true, "The value to look up, usually an email or phone field."),
            new("list", "string", Required: true, "Path of the list file: one value per line, # comments."),
        ],
        ResponseVariables =
        [
            new("found", "boolean", Description: "True when the value is on the list."),
            new("list", "string", Description: "The list file's name."),
        ],
    };

    /// <inheritdoc />
    public Task<IntegrationResult> HandleAsync(IntegrationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var value = context.Input.GetString("value");
        if (value is null)
        {
            return Task.FromResult(IntegrationResult.Skip("No value to look up"));
        }

        var path = context.Input.GetString("list");
        if (path is null || !File.Exists(path))
        {
            return Task.FromResult(IntegrationResult.Error($"Suppression list '{path}' not found"));
        }

        var found = Load(path).Contains(value.Trim());
        return Task.FromResult(IntegrationResult.Success(new Dictionary<string, object?>
        {
            ["found"] = found,
            ["list"] = Path.GetFileNameWithoutExtension(path),
        }));
    }

    private static HashSet<string> Load(string path)
    {
        var written = File.GetLastWriteTimeUtc(path);
        if (Lists.TryGetValue(path, out var cached) && cached.Written == written)
        {
            return cached.Items;
        }

        var items = File.ReadLines(path)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        Lists[path] = (written, items);
        return items;
    }
}
