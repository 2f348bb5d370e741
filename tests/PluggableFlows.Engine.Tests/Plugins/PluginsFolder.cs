using PluggableFlows.Engine.Plugins;
using PluggableFlows.Sdk;
using PluggableFlows.Testing;

namespace PluggableFlows.Engine.Tests.Plugins;

/// <summary>A fresh plugins folder in the temp directory, filled with real plugin builds from <c>artifacts/</c>.</summary>
internal sealed class PluginsFolder : IDisposable
{
    private static readonly HttpClient Http = new();

    private readonly List<PluginCatalog> _catalogs = [];

    public string Path { get; } = Directory.CreateTempSubdirectory("pflow-plugins-").FullName;

    /// <summary>A first-party plugin's build, <c>artifacts/plugins/&lt;name&gt;/</c>.</summary>
    public static string FirstParty(string name) => Built(RepoPaths.Combine("artifacts", "plugins", name));

    /// <summary>A test plugin's build, <c>artifacts/test-plugins/&lt;name&gt;/</c>.</summary>
    public static string TestPlugin(string name) => Built(RepoPaths.Combine("artifacts", "test-plugins", name));

    /// <summary>Copies a built plugin in as folder <paramref name="name"/> (over whatever is there), leaving out <paramref name="except"/>.</summary>
    public string Add(string build, string name, params string[] except)
    {
        var folder = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(build))
        {
            var fileName = System.IO.Path.GetFileName(file);
            if (!except.Contains(fileName))
            {
                File.Copy(file, System.IO.Path.Combine(folder, fileName), overwrite: true);
            }
        }

        return folder;
    }

    public PluginCatalog Catalog(bool watch = false)
    {
        var catalog = new PluginCatalog(new PluginFolderOptions { Path = Path, Watch = watch, ReloadDelay = TimeSpan.FromMilliseconds(100) }, TimeProvider.System);
        _catalogs.Add(catalog);
        return catalog;
    }

    public PluginCatalog Load(bool watch = false)
    {
        var catalog = Catalog(watch);
        catalog.Load();
        return catalog;
    }

    /// <summary>Runs a handler integration with no inputs.</summary>
    public static Task<IntegrationResult> Run(IntegrationRegistration registration) =>
        ((IHandlerIntegration)registration.Integration).HandleAsync(
            new IntegrationContext(new IntegrationInput(new Dictionary<string, object?> { ["n"] = 1 }), Http, TimeProvider.System), CancellationToken.None);

    /// <summary>Waits for something the file watcher causes. A generous limit: this waits for an event, it does not time anything.</summary>
    public static async Task Eventually(Func<bool> condition, string what)
    {
        for (var attempt = 0; attempt < 200 && !condition(); attempt++)
        {
            await Task.Delay(50);
        }

        condition().ShouldBeTrue($"Timed out waiting until {what}.");
    }

    public void Dispose()
    {
        foreach (var catalog in _catalogs)
        {
            catalog.Dispose();
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }

    private static string Built(string folder) =>
        Directory.Exists(folder) ? folder : throw new DirectoryNotFoundException($"{folder} is missing; build the solution first.");
}
