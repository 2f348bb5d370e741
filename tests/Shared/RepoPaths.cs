namespace PluggableFlows.Testing;

/// <summary>Where the repository is, for tests that read its docs and sample scripts. Linked into every test project.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "PluggableFlows.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"No PluggableFlows.sln above {AppContext.BaseDirectory}.");
    });

    /// <summary>The folder holding PluggableFlows.sln.</summary>
    public static string Root => RootPath.Value;

    /// <summary>A path under the repository root.</summary>
    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);
}
