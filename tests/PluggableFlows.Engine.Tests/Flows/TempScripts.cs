namespace PluggableFlows.Engine.Tests.Flows;

/// <summary>A scripts folder of its own (flows/, rules/, lists/) in a temp folder, deleted afterwards.</summary>
internal sealed class TempScripts : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("pflow-scripts-").FullName;

    /// <summary>Writes <c>rules/&lt;fileName&gt;</c> and returns its path.</summary>
    public string WriteRule(string fileName, string text) => Write(Path.Combine("rules", fileName), text);

    /// <summary>Writes <c>flows/&lt;fileName&gt;</c> and returns its path.</summary>
    public string WriteFlow(string fileName, string yaml) => Write(Path.Combine("flows", fileName), yaml);

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private string Write(string relative, string text)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }
}
