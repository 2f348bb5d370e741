using PluggableFlows.Engine.Flows;

namespace PluggableFlows.Engine.Pipeline;

/// <summary>Reads secrets referenced by flows. Secrets never live in flow files.</summary>
public interface ISecretResolver
{
    /// <summary>The secret's value, or null when it is not set.</summary>
    string? Resolve(SecretReference reference, string flowFile);
}

/// <summary>Reads <c>{ env: NAME }</c> from the environment and <c>{ file: path }</c> from a file (relative to the flow file).</summary>
public sealed class EnvironmentSecretResolver : ISecretResolver
{
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
            var path = Path.IsPathRooted(file) ? file : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(flowFile)) ?? ".", file);
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }

        return null;
    }
}
