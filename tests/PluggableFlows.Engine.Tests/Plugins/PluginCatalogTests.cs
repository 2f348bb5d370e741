using System.Runtime.Loader;
using PluggableFlows.Engine.Plugins;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Tests.Plugins;

public sealed class PluginCatalogTests : IDisposable
{
    private readonly PluginsFolder _plugins = new();

    public void Dispose() => _plugins.Dispose();

    [Fact]
    public void Loads_the_first_party_local_plugin_and_its_integrations()
    {
        _plugins.Add(PluginsFolder.FirstParty("local"), "local");

        var catalog = _plugins.Load();

        catalog.Errors.ShouldBeEmpty();
        var plugin = catalog.Plugins.ShouldHaveSingleItem();
        plugin.Name.ShouldBe("local");
        plugin.Version.ShouldBe("0.1.0.0");
        plugin.Folder.ShouldBe(Path.Combine(_plugins.Path, "local"));
        catalog.All.Select(r => r.Descriptor.Id).ShouldBe(["file.jsonl"]);
        catalog.TryGet("file.jsonl", out var registration).ShouldBeTrue();
        registration.Plugin.ShouldBe(plugin);
    }

    [Fact]
    public void Each_plugin_gets_its_own_collectible_load_context_sharing_only_the_sdk()
    {
        _plugins.Add(PluginsFolder.FirstParty("local"), "local");

        var catalog = _plugins.Load();

        catalog.TryGet("file.jsonl", out var registration).ShouldBeTrue();
        var context = AssemblyLoadContext.GetLoadContext(registration.Integration.GetType().Assembly).ShouldNotBeNull();
        context.ShouldNotBe(AssemblyLoadContext.Default);
        context.IsCollectible.ShouldBeTrue();
        AssemblyLoadContext.GetLoadContext(registration.Descriptor.GetType().Assembly).ShouldBe(AssemblyLoadContext.Default);
    }

    [Fact]
    public async Task Two_plugins_use_different_versions_of_one_library_side_by_side()
    {
        _plugins.Add(PluginsFolder.TestPlugin("side-by-side-old"), "side-by-side-old");
        _plugins.Add(PluginsFolder.TestPlugin("side-by-side-new"), "side-by-side-new");

        var catalog = _plugins.Load();

        catalog.Errors.ShouldBeEmpty();
        catalog.TryGet("test.json_old", out var old).ShouldBeTrue();
        catalog.TryGet("test.json_new", out var current).ShouldBeTrue();
        var oldResult = await PluginsFolder.Run(old);
        var newResult = await PluginsFolder.Run(current);
        oldResult.Appended["newtonsoft"].ShouldBe("12.0.0.0");
        newResult.Appended["newtonsoft"].ShouldBe("13.0.0.0");
        oldResult.Appended["json"].ShouldBe("""{"n":1}""");
        newResult.Appended["json"].ShouldBe("""{"n":1}""");
    }

    [Fact]
    public void A_corrupt_assembly_is_reported_and_the_other_plugins_load()
    {
        _plugins.Add(PluginsFolder.FirstParty("local"), "local");
        var folder = _plugins.Add(PluginsFolder.TestPlugin("reload-v1"), "corrupt");
        File.WriteAllBytes(Path.Combine(folder, "Reloadable.dll"), [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251))]);

        var catalog = _plugins.Load();

        var error = catalog.Errors.ShouldHaveSingleItem();
        error.Plugin.ShouldBe("corrupt");
        error.Folder.ShouldBe(folder);
        error.Message.ShouldStartWith("Plugin 'corrupt' was skipped: Reloadable.dll is not a valid .NET assembly");
        ShouldStillLoadLocal(catalog);
    }

    [Fact]
    public void A_missing_dependency_is_reported_by_name()
    {
        _plugins.Add(PluginsFolder.FirstParty("local"), "local");
        _plugins.Add(PluginsFolder.TestPlugin("side-by-side-old"), "side-by-side-old", except: "Newtonsoft.Json.dll");

        var catalog = _plugins.Load();

        var error = catalog.Errors.ShouldHaveSingleItem();
        error.Plugin.ShouldBe("side-by-side-old");
        error.Message.ShouldBe("Plugin 'side-by-side-old' was skipped: missing dependency Newtonsoft.Json.dll (Newtonsoft.Json/12.0.3): " +
            "SideBySideOld.deps.json lists it but the folder does not have it. Copy the plugin's whole build output into the folder.");
        catalog.TryGet("test.json_old", out _).ShouldBeFalse();
        ShouldStillLoadLocal(catalog);
    }

    [Fact]
    public void A_throwing_constructor_is_reported_with_the_type_and_the_exception_message()
    {
        _plugins.Add(PluginsFolder.FirstParty("local"), "local");
        _plugins.Add(PluginsFolder.TestPlugin("throwing"), "throwing");

        var catalog = _plugins.Load();

        catalog.Errors.ShouldHaveSingleItem().Message.ShouldBe(
            "Plugin 'throwing' was skipped: the constructor of Throwing.ExplodingIntegration threw InvalidOperationException: The provider settings file is missing.");
        ShouldStillLoadLocal(catalog);
    }

    [Fact]
    public void A_plugin_built_against_a_newer_sdk_is_refused_before_it_runs()
    {
        _plugins.Add(PluginsFolder.FirstParty("local"), "local");
        _plugins.Add(PluginsFolder.TestPlugin("newer-sdk"), "newer-sdk");

        var catalog = _plugins.Load();

        catalog.Errors.ShouldHaveSingleItem().Message.ShouldBe(
            "Plugin 'newer-sdk' was skipped: NewerSdk.dll was built against PluggableFlows.Sdk 9.0.0.0 but this host has 1.0.0.0. " +
            "Use a plugin build for PluggableFlows.Sdk 1.0.0.0 or upgrade the host.");
        catalog.TryGet("test.future", out _).ShouldBeFalse();
        ShouldStillLoadLocal(catalog);
    }

    [Fact]
    public void An_invalid_descriptor_is_reported_with_every_problem()
    {
        _plugins.Add(PluginsFolder.FirstParty("local"), "local");
        _plugins.Add(PluginsFolder.TestPlugin("invalid-descriptor"), "invalid-descriptor");

        var catalog = _plugins.Load();

        catalog.Errors.ShouldHaveSingleItem().Message.ShouldBe(
            "Plugin 'invalid-descriptor' was skipped: InvalidDescriptor.Sloppy ('Sloppy Id') has an invalid descriptor: " +
            "id 'Sloppy Id' is not dotted lower-case like 'phone.verify' (a-z and 0-9, then one or more '.' parts of a-z, 0-9, '_' and '-'); name is missing.");
        ShouldStillLoadLocal(catalog);
    }

    [Fact]
    public void A_duplicate_integration_id_is_refused_naming_both_plugins()
    {
        _plugins.Add(PluginsFolder.TestPlugin("side-by-side-old"), "side-by-side-old");
        var catalog = _plugins.Load();
        _plugins.Add(PluginsFolder.TestPlugin("duplicate-id"), "duplicate-id");

        catalog.Reload();

        catalog.Errors.ShouldHaveSingleItem().Message.ShouldBe(
            "Integration 'test.json_old' of plugin 'duplicate-id' was refused: plugin 'side-by-side-old' already provides 'test.json_old'. " +
            "Integration ids are global; rename one of them or remove one of the plugins.");
        catalog.TryGet("test.json_old", out var kept).ShouldBeTrue();
        kept.Plugin.Name.ShouldBe("side-by-side-old");
        catalog.TryGet("test.unique", out var sibling).ShouldBeTrue();
        sibling.Plugin.Name.ShouldBe("duplicate-id");
    }

    [Fact]
    public void A_folder_without_a_plugin_assembly_is_reported()
    {
        _plugins.Add(PluginsFolder.FirstParty("local"), "local");
        Directory.CreateDirectory(Path.Combine(_plugins.Path, "empty"));

        var catalog = _plugins.Load();

        catalog.Errors.ShouldHaveSingleItem().Message.ShouldBe(
            "Plugin 'empty' was skipped: the folder has no plugin assembly: expected a .dll with a matching .deps.json (the build output of a plugin project).");
        ShouldStillLoadLocal(catalog);
    }

    [Fact]
    public void An_assembly_without_integrations_is_reported()
    {
        _plugins.Add(PluginsFolder.FirstParty("local"), "local");
        var folder = _plugins.Add(PluginsFolder.TestPlugin("side-by-side-old"), "library-only", except: ["SideBySideOld.dll", "SideBySideOld.deps.json", "SideBySideOld.pdb"]);
        File.WriteAllText(Path.Combine(folder, "Newtonsoft.Json.deps.json"), """{ "runtimeTarget": { "name": ".NETCoreApp,Version=v10.0" }, "targets": { ".NETCoreApp,Version=v10.0": {} }, "libraries": {} }""");

        var catalog = _plugins.Load();

        catalog.Errors.ShouldHaveSingleItem().Message.ShouldBe(
            "Plugin 'library-only' was skipped: no integrations found: Newtonsoft.Json.dll has no public, non-abstract class implementing IIntegration with a public parameterless constructor.");
        ShouldStillLoadLocal(catalog);
    }

    [Fact]
    public void Reload_picks_up_replaced_files_for_callers_that_do_not_watch()
    {
        var folder = _plugins.Add(PluginsFolder.TestPlugin("reload-v1"), "reloadable");
        var catalog = _plugins.Load();
        var changes = 0;
        catalog.Changed += (_, _) => changes++;

        _plugins.Add(PluginsFolder.TestPlugin("reload-v2"), "reloadable");
        catalog.Reload();

        catalog.TryGet("test.reloadable", out var registration).ShouldBeTrue();
        registration.Plugin.ShouldBe(new PluginInfo("reloadable", "2.0.0.0", folder));
        changes.ShouldBe(1);
    }

    [Fact]
    public void A_removed_folder_is_unloaded_by_reload()
    {
        _plugins.Add(PluginsFolder.FirstParty("local"), "local");
        var folder = _plugins.Add(PluginsFolder.TestPlugin("reload-v1"), "reloadable");
        var catalog = _plugins.Load();

        Directory.Delete(folder, recursive: true);
        catalog.Reload();

        catalog.TryGet("test.reloadable", out _).ShouldBeFalse();
        catalog.Plugins.Select(p => p.Name).ShouldBe(["local"]);
    }

    [Fact]
    public void Acquire_after_dispose_throws()
    {
        var catalog = _plugins.Load();

        catalog.Dispose();

        Should.Throw<ObjectDisposedException>(() => catalog.Acquire());
    }

    private static void ShouldStillLoadLocal(PluginCatalog catalog)
    {
        catalog.Plugins.Select(p => p.Name).ShouldBe(["local"]);
        catalog.TryGet("file.jsonl", out _).ShouldBeTrue();
    }
}
