using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using PluggableFlows.Engine.Plugins;

namespace PluggableFlows.Benchmarks;

/// <summary>
/// Start-up cost of plugins: discovering and loading every first-party plugin folder under <c>artifacts/plugins/</c>
/// into a new catalog (own load contexts, descriptors validated), then unloading it. Target: at most 1 s in total.
/// Cold start, because a host pays this once, with nothing warmed up.
/// </summary>
[SimpleJob(RunStrategy.ColdStart, iterationCount: 10)]
[MemoryDiagnoser]
public class PluginBenchmarks
{
    private string _plugins = null!;

    [GlobalSetup]
    public void Setup()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "PluggableFlows.sln")))
        {
            directory = directory.Parent;
        }

        _plugins = Path.Combine(directory?.FullName ?? throw new InvalidOperationException("Run the benchmarks from the repository."), "artifacts", "plugins");
        // Only check the folder: loading here would warm up what the cold start measures.
        if (!Directory.Exists(_plugins) || Directory.GetDirectories(_plugins).Length == 0)
        {
            throw new InvalidOperationException($"No first-party plugins in {_plugins}; build the solution first.");
        }
    }

    [Benchmark(Description = "discover and load the first-party plugins")]
    public int LoadFirstPartyPlugins()
    {
        using var catalog = new PluginCatalog(new PluginFolderOptions { Path = _plugins, Watch = false }, TimeProvider.System);
        catalog.Load();
        if (catalog.Errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, catalog.Errors));
        }

        return catalog.All.Count;
    }
}
