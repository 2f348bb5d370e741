using PluggableFlows.Engine.Plugins;

namespace PluggableFlows.Engine.Tests.Plugins;

/// <summary>
/// A malformed .deps.json must be refused before it reaches the runtime's native dependency resolver, which aborts the
/// whole process on some of them (seen with an empty object): the host must survive any plugin folder.
/// </summary>
public sealed class PluginManifestTests : IDisposable
{
    private readonly string _plugins = Directory.CreateTempSubdirectory("pflow-manifest-").FullName;

    public void Dispose() => Directory.Delete(_plugins, recursive: true);

    [Theory]
    [InlineData("{}", "is not a .NET dependency manifest")]
    [InlineData("[]", "is not a .NET dependency manifest")]
    [InlineData("""{"runtimeTarget":{"name":"x"},"targets":{},"libraries":{}}""", "is not a .NET dependency manifest")]
    [InlineData("{ not json", "is not valid JSON")]
    public void A_malformed_deps_json_is_reported_and_the_host_keeps_running(string manifest, string expected)
    {
        var local = PluggableFlows.Testing.RepoPaths.Combine("artifacts", "plugins", "local");
        var broken = Path.Combine(_plugins, "broken");
        Directory.CreateDirectory(broken);
        foreach (var file in Directory.GetFiles(local))
        {
            File.Copy(file, Path.Combine(broken, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(broken, "PluggableFlows.Plugins.Local.deps.json"), manifest);
        Directory.CreateDirectory(Path.Combine(_plugins, "local"));
        foreach (var file in Directory.GetFiles(local))
        {
            File.Copy(file, Path.Combine(_plugins, "local", Path.GetFileName(file)));
        }

        using var catalog = new PluginCatalog(new PluginFolderOptions { Path = _plugins, Watch = false }, TimeProvider.System);
        catalog.Load();

        var error = catalog.Errors.ShouldHaveSingleItem();
        error.Plugin.ShouldBe("broken");
        error.Message.ShouldContain(expected);
        catalog.TryGet("file.jsonl", out var registration).ShouldBeTrue();
        registration.Plugin.Name.ShouldBe("local");
    }
}
