using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using PluggableFlows.Engine.Plugins;

namespace PluggableFlows.Engine.Tests.Plugins;

/// <summary>Hot reload through the file watcher, with real plugin builds copied in and out of a real folder.</summary>
public sealed class PluginHotReloadTests : IDisposable
{
    private readonly PluginsFolder _plugins = new();

    public void Dispose() => _plugins.Dispose();

    [Fact]
    public async Task Replacing_a_plugins_files_swaps_it_in_while_a_lead_in_flight_finishes_on_the_old_version()
    {
        _plugins.Add(PluginsFolder.TestPlugin("reload-v1"), "reloadable");
        var catalog = _plugins.Load(watch: true);
        var inFlight = catalog.Acquire();
        var oldContext = LoadContextServing(inFlight);

        _plugins.Add(PluginsFolder.TestPlugin("reload-v2"), "reloadable");
        await PluginsFolder.Eventually(() => VersionOf(catalog) == "2.0.0.0", "the catalog serves version 2");

        (await VersionServedBy(inFlight)).ShouldBe("1");
        using (var next = catalog.Acquire())
        {
            (await VersionServedBy(next)).ShouldBe("2");
        }

        inFlight.Dispose();
        ShouldBeCollected(oldContext);
    }

    [Fact]
    public async Task Adding_a_folder_makes_its_integration_available()
    {
        _plugins.Add(PluginsFolder.FirstParty("local"), "local");
        var catalog = _plugins.Load(watch: true);
        var changed = 0;
        catalog.Changed += (_, _) => Interlocked.Increment(ref changed);

        _plugins.Add(PluginsFolder.TestPlugin("reload-v1"), "reloadable");

        await PluginsFolder.Eventually(() => catalog.TryGet("test.reloadable", out _), "the new plugin is loaded");
        catalog.Plugins.Select(p => p.Name).ShouldBe(["local", "reloadable"], ignoreOrder: true);
        Volatile.Read(ref changed).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Removing_a_folder_removes_its_integration()
    {
        _plugins.Add(PluginsFolder.FirstParty("local"), "local");
        var folder = _plugins.Add(PluginsFolder.TestPlugin("reload-v1"), "reloadable");
        var catalog = _plugins.Load(watch: true);
        catalog.TryGet("test.reloadable", out _).ShouldBeTrue();

        Directory.Delete(folder, recursive: true);

        await PluginsFolder.Eventually(() => !catalog.TryGet("test.reloadable", out _), "the removed plugin is gone");
        catalog.Plugins.Select(p => p.Name).ShouldBe(["local"]);
        catalog.TryGet("file.jsonl", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task A_failed_reload_keeps_the_previous_version_running_and_reports_why()
    {
        var folder = _plugins.Add(PluginsFolder.TestPlugin("reload-v1"), "reloadable");
        var catalog = _plugins.Load(watch: true);

        await File.WriteAllBytesAsync(Path.Combine(folder, "Reloadable.dll"), new byte[2048]);

        await PluginsFolder.Eventually(() => catalog.Errors.Any(e => e.Plugin == "reloadable"), "the failed reload is reported");
        var error = catalog.Errors.ShouldHaveSingleItem();
        error.Message.ShouldStartWith("Plugin 'reloadable' was skipped: Reloadable.dll is not a valid .NET assembly");
        error.Message.ShouldEndWith("Version 1.0.0.0 keeps running.");
        VersionOf(catalog).ShouldBe("1.0.0.0");
        using var lease = catalog.Acquire();
        (await VersionServedBy(lease)).ShouldBe("1");
    }

    private static string? VersionOf(PluginCatalog catalog) =>
        catalog.TryGet("test.reloadable", out var registration) ? registration.Plugin.Version : null;

    private static async Task<string?> VersionServedBy(IntegrationLease lease)
    {
        lease.TryGet("test.reloadable", out var registration).ShouldBeTrue();
        var result = await PluginsFolder.Run(registration);
        return result.Appended["version"] as string;
    }

    // Not inlined, so no reference to the old plugin's types outlives this frame.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference LoadContextServing(IntegrationLease lease)
    {
        lease.TryGet("test.reloadable", out var registration).ShouldBeTrue();
        var context = AssemblyLoadContext.GetLoadContext(registration.Integration.GetType().Assembly).ShouldNotBeNull();
        context.IsCollectible.ShouldBeTrue();
        return new WeakReference(context);
    }

    private static void ShouldBeCollected(WeakReference context)
    {
        for (var attempt = 0; attempt < 20 && context.IsAlive; attempt++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        context.IsAlive.ShouldBeFalse("The old plugin's load context should be collected once no lease pins it.");
    }
}
