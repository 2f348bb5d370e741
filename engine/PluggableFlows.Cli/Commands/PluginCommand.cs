using System.CommandLine;
using System.Diagnostics;
using PluggableFlows.Cli.Scaffolding;

namespace PluggableFlows.Cli.Commands;

/// <summary><c>pflow plugin ...</c>: writing, listing and verifying plugins.</summary>
internal static class PluginCommand
{
    /// <summary>The <c>plugin</c> command group with <c>new</c> and any further <paramref name="subcommands"/>
    /// (<c>list</c>, <c>verify</c>).</summary>
    public static Command Create(CliContext context, params Command[] subcommands)
    {
        ArgumentNullException.ThrowIfNull(subcommands);
        var plugin = new Command("plugin", "Plugins: scaffold a new plugin and its conformance tests.") { New(context) };
        foreach (var subcommand in subcommands)
        {
            plugin.Subcommands.Add(subcommand);
        }

        return plugin;
    }

    /// <summary><c>pflow plugin new &lt;name&gt; [--output &lt;dir&gt;] [--no-sln]</c>.</summary>
    public static Command New(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The plugin's project name and namespace, e.g. Acme.Phone." };
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Folder for both projects (<dir>/<name>/ and <dir>/<name>.Tests/), inside the repository. " +
                "Default: plugins/<name>/ and tests/<name>.Tests/ under the repository root.",
        };
        var noSolution = new Option<bool>("--no-sln") { Description = "Do not add the projects to PluggableFlows.sln." };
        var command = new Command("new", "Scaffold a request/response plugin with samples, and a test project running every conformance check.")
        {
            name, output, noSolution,
        };
        command.SetAction((parsed, cancellationToken) =>
            NewAsync(context, parsed.GetValue(name)!, parsed.GetValue(output), parsed.GetValue(noSolution), cancellationToken));
        return command;
    }

    private static async Task<int> NewAsync(CliContext context, string name, string? output, bool noSolution, CancellationToken cancellationToken)
    {
        if (PluginScaffold.NameProblem(name) is { } problem)
        {
            await context.Error.WriteLineAsync(problem);
            return 2;
        }

        var outputFolder = output is null ? null : Path.GetFullPath(output);
        var from = outputFolder ?? Environment.CurrentDirectory;
        if (PluginScaffold.FindRepoRoot(from) is not { } repoRoot)
        {
            await context.Error.WriteLineAsync(
                $"No {PluginScaffold.SolutionFile} in {from} or any folder above it. pflow plugin new writes projects that build " +
                "against the repository's SDK and conformance kit: run it inside the PluggableFlows repository, or pass --output <dir> inside it.");
            return 2;
        }

        ScaffoldedPlugin scaffolded;
        try
        {
            scaffolded = PluginScaffold.Create(name, repoRoot, outputFolder);
        }
        catch (ScaffoldException exception)
        {
            await context.Error.WriteLineAsync(exception.Message);
            return 2;
        }

        foreach (var file in scaffolded.Files)
        {
            await context.Output.WriteLineAsync($"created {Path.GetRelativePath(repoRoot, file)}");
        }

        if (!noSolution)
        {
            var solution = Path.Combine(repoRoot, PluginScaffold.SolutionFile);
            foreach (var (project, folder) in new[] { (scaffolded.PluginProject, "plugins"), (scaffolded.TestProject, "tests") })
            {
                var (exit, text) = await DotnetAsync(repoRoot, cancellationToken, "sln", solution, "add", "--solution-folder", folder, project);
                if (exit != 0)
                {
                    await context.Error.WriteLineAsync($"dotnet sln add {Path.GetRelativePath(repoRoot, project)} failed ({exit}):\n{text}");
                    return 1;
                }

                await context.Output.WriteLineAsync($"added {Path.GetRelativePath(repoRoot, project)} to {PluginScaffold.SolutionFile}");
            }
        }

        await context.Output.WriteLineAsync(
            $"next: dotnet test {Path.GetRelativePath(repoRoot, scaffolded.TestProject)}   (see docs/plugins.md)");
        return 0;
    }

    private static async Task<(int Exit, string Output)> DotnetAsync(string workingDirectory, CancellationToken cancellationToken, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output + await error);
    }
}
