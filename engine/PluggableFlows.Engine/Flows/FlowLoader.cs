using System.Security.Cryptography;
using System.Text;
using PluggableFlows.Engine.Diagnostics;

namespace PluggableFlows.Engine.Flows;

/// <summary>
/// Reads flow files (<c>scripts/flows/*.yaml</c>) into <see cref="FlowDefinition"/>s, checking their shape and
/// every reference they make (fields, step keys, integrations, list and template files), and reporting every
/// problem with its file, line and column rather than stopping at the first.
/// </summary>
public sealed class FlowLoader
{
    private readonly FlowLoaderOptions _options;

    /// <summary>Creates a loader.</summary>
    public FlowLoader(FlowLoaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>Loads and checks the flow file at <paramref name="path"/>.</summary>
    public FlowLoadResult Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new FlowLoadResult(null,
            [
                new FlowDiagnostic(SourceLocation.StartOf(path), FlowDiagnosticCodes.FileUnreadable,
                    $"The flow file cannot be read: {e.Message}"),
            ]);
        }

        // The version hashes the bytes on disk, so the same file always has the same flow.version.
        var text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetString(bytes).TrimStart('\uFEFF');
        return Read(text, path, HashOf(bytes));
    }

    /// <summary>Checks flow YAML held in memory; <paramref name="file"/> names it in diagnostics and anchors relative paths.</summary>
    public FlowLoadResult Parse(string yaml, string file)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(file);
        return Read(yaml, file, HashOf(Encoding.UTF8.GetBytes(yaml)));
    }

    private FlowLoadResult Read(string yaml, string file, string version)
    {
        var scriptsRoot = _options.ScriptsRoot ?? DefaultScriptsRoot(file);
        var reader = new FlowFileReader(yaml, file, version, scriptsRoot, _options);
        return reader.Read();
    }

    private static string DefaultScriptsRoot(string file)
    {
        var flowsFolder = Path.GetDirectoryName(Path.GetFullPath(file));
        return (flowsFolder is null ? null : Path.GetDirectoryName(flowsFolder)) ?? flowsFolder ?? Directory.GetCurrentDirectory();
    }

    private static string HashOf(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes))[..12];
}
