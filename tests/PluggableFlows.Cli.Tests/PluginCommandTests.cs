using System.Diagnostics;

namespace PluggableFlows.Cli.Tests;

public sealed class PluginCommandTests : IDisposable
{
    // Scaffolded projects must sit inside the repository (they build against its SDK and kit); artifacts/ is ignored by
    // git, and each test removes its own folder.
    private readonly string _scratch = Path.Combine(Pflow.RepoRoot, "artifacts", "scaffold-tests", Guid.NewGuid().ToString("N"));
    private readonly string _outside = Path.Combine(Path.GetTempPath(), "pflow-plugin-new", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        foreach (var folder in new[] { _scratch, _outside })
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            var parent = Path.GetDirectoryName(folder)!;
            if (Directory.Exists(parent) && !Directory.EnumerateFileSystemEntries(parent).Any())
            {
                Directory.Delete(parent);
            }
        }
    }

    [Fact]
    public async Task Plugin_new_scaffolds_projects_that_build_and_pass_their_conformance_tests()
    {
        var name = "Scaffolded.P" + Guid.NewGuid().ToString("N")[..8];

        var (exit, output, error) = await Pflow.InProcessAsync("", "plugin", "new", name, "--output", _scratch, "--no-sln");

        exit.ShouldBe(0, error);
        output.ShouldContain($"created {Path.GetRelativePath(Pflow.RepoRoot, Path.Combine(_scratch, name, name + ".csproj"))}");
        var pluginsOutput = Path.Combine(_scratch, "plugins-out") + Path.DirectorySeparatorChar;
        var build = await DotnetAsync(pluginsOutput, "build", Path.Combine(_scratch, name, name + ".csproj"));
        build.Exit.ShouldBe(0, build.Output);
        build.Output.ShouldContain("0 Warning(s)");
        var pluginName = name.ToLowerInvariant().Replace('.', '-');
        File.Exists(Path.Combine(pluginsOutput, pluginName, name + ".dll")).ShouldBeTrue();
        File.Exists(Path.Combine(pluginsOutput, pluginName, "PluggableFlows.Sdk.dll")).ShouldBeFalse();

        var test = await DotnetAsync(pluginsOutput, "test", Path.Combine(_scratch, name + ".Tests", name + ".Tests.csproj"));

        test.Exit.ShouldBe(0, test.Output);
        test.Output.ShouldMatch(@"Passed!\s+- Failed:\s+0, Passed:\s+17, Skipped:\s+0, Total:\s+17");
    }

    [Fact]
    public async Task Plugin_new_adds_both_projects_to_the_solution_under_plugins_and_tests()
    {
        Directory.CreateDirectory(_outside);
        var solution = Path.Combine(_outside, "PluggableFlows.sln");
        await File.WriteAllTextAsync(solution, """

            Microsoft Visual Studio Solution File, Format Version 12.00
            # Visual Studio Version 17
            VisualStudioVersion = 17.0.31903.59
            MinimumVisualStudioVersion = 10.0.40219.1
            Global
            EndGlobal

            """);

        var (exit, output, error) = await Pflow.InProcessAsync("", "plugin", "new", "Acme.Phone", "--output", Path.Combine(_outside, "src"));

        exit.ShouldBe(0, error);
        output.ShouldContain("added src/Acme.Phone/Acme.Phone.csproj to PluggableFlows.sln");
        var text = await File.ReadAllTextAsync(solution);
        text.ShouldContain(@"""Acme.Phone"", ""src\Acme.Phone\Acme.Phone.csproj""");
        text.ShouldContain(@"""Acme.Phone.Tests"", ""src\Acme.Phone.Tests\Acme.Phone.Tests.csproj""");
        text.ShouldContain(@"""plugins"", ""plugins""");
        text.ShouldContain(@"""tests"", ""tests""");
    }

    [Fact]
    public async Task Plugin_new_computes_references_from_where_the_projects_land()
    {
        var (exit, _, error) = await Pflow.InProcessAsync("", "plugin", "new", "Acme.Phone", "--output", _scratch, "--no-sln");

        exit.ShouldBe(0, error);
        var up = string.Concat(Enumerable.Repeat("../", 4));
        (await File.ReadAllTextAsync(Path.Combine(_scratch, "Acme.Phone", "Acme.Phone.csproj")))
            .ShouldContain($"""<ProjectReference Include="{up}engine/PluggableFlows.Sdk/PluggableFlows.Sdk.csproj" Private="false" ExcludeAssets="runtime" />""");
        var tests = await File.ReadAllTextAsync(Path.Combine(_scratch, "Acme.Phone.Tests", "Acme.Phone.Tests.csproj"));
        tests.ShouldContain($"""<ProjectReference Include="{up}engine/PluggableFlows.Conformance/PluggableFlows.Conformance.csproj" />""");
        tests.ShouldContain("""<ProjectReference Include="../Acme.Phone/Acme.Phone.csproj" />""");
        (await File.ReadAllTextAsync(Path.Combine(_scratch, "Acme.Phone", "PhoneLookup.cs"))).ShouldContain("""Id = "acme.phone.lookup",""");
    }

    [Fact]
    public async Task Plugin_new_outside_the_repository_says_where_to_run_it()
    {
        Directory.CreateDirectory(_outside);

        var (exit, _, error) = await Pflow.InProcessAsync("", "plugin", "new", "Acme.Phone", "--output", _outside);

        exit.ShouldBe(2);
        error.ShouldContain($"No PluggableFlows.sln in {_outside} or any folder above it.");
        error.ShouldContain("run it inside the PluggableFlows repository, or pass --output <dir> inside it");
        Directory.EnumerateFileSystemEntries(_outside).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("acme phone", "'acme phone' is not a valid plugin name")]
    [InlineData("1Acme", "'1Acme' is not a valid plugin name")]
    [InlineData("Acme..Phone", "'Acme..Phone' is not a valid plugin name")]
    [InlineData("Acme.Tests", "'Acme.Tests' ends with .Tests")]
    public async Task Plugin_new_rejects_a_name_that_cannot_be_a_project(string name, string message)
    {
        var (exit, _, error) = await Pflow.InProcessAsync("", "plugin", "new", name, "--output", _scratch, "--no-sln");

        exit.ShouldBe(2);
        error.ShouldContain(message);
        Directory.Exists(_scratch).ShouldBeFalse();
    }

    [Fact]
    public async Task Plugin_new_never_overwrites_an_existing_project()
    {
        (await Pflow.InProcessAsync("", "plugin", "new", "Acme.Phone", "--output", _scratch, "--no-sln")).Exit.ShouldBe(0);

        var (exit, _, error) = await Pflow.InProcessAsync("", "plugin", "new", "Acme.Phone", "--output", _scratch, "--no-sln");

        exit.ShouldBe(2);
        error.ShouldContain($"{Path.Combine(_scratch, "Acme.Phone")} already exists and is not empty");
    }

    /// <summary>Runs dotnet as a child process, with the plugin folder output redirected out of the repository.</summary>
    private static async Task<(int Exit, string Output)> DotnetAsync(string pluginsOutput, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Pflow.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args.Append("--disable-build-servers"))
        {
            start.ArgumentList.Add(arg);
        }

        // The parent test run's MSBuild and test-host settings are not the child's business.
        foreach (var variable in start.Environment.Keys.Where(key =>
                     key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(variable);
        }

        // An environment variable, not -p: a global property would flow into the engine projects and rebuild them.
        start.Environment["PluginsOutput"] = pluginsOutput;
        start.Environment["NO_COLOR"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output + await error);
    }
}
