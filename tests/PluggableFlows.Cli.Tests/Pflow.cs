using System.Diagnostics;
using PluggableFlows.Cli;
using Spectre.Console;

namespace PluggableFlows.Cli.Tests;

/// <summary>Runs pflow in process (fast) or as a real child process in a scratch workspace (as users run it).</summary>
internal static class Pflow
{
    public static string RepoRoot => PluggableFlows.Testing.RepoPaths.Root;

    /// <summary>
    /// pflow's own output folder, with the plugins/ folder its build places beside it: tests run pflow exactly as the
    /// README's command does, first-party plugins discovered from that folder.
    /// </summary>
    public static string CliBin { get; } = PluggableFlows.Testing.RepoPaths.Combine("engine", "PluggableFlows.Cli", "bin",
#if DEBUG
        "Debug",
#else
        "Release",
#endif
        "net10.0");

    public static async Task<(int Exit, string Out, string Err)> InProcessAsync(string stdin, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        var exit = await new PflowApp(new StringReader(stdin), output, error, console, Path.Combine(CliBin, "plugins")).RunAsync(args);
        return (exit, output.ToString(), error.ToString());
    }

    public static Task<(int Exit, string Out, string Err)> ProcessAsync(string workingDirectory, params string[] args) =>
        ProcessAsync(workingDirectory, new Dictionary<string, string>(), args);

    /// <summary>Runs pflow as a child process with <paramref name="environment"/> added to its environment.</summary>
    public static async Task<(int Exit, string Out, string Err)> ProcessAsync(string workingDirectory,
        IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(CliBin, "pflow.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    /// <summary>A scratch copy of the repository's scripts/ folder, so runs can write data/ without touching the repo.</summary>
    public static string Workspace()
    {
        var root = Path.Combine(Path.GetTempPath(), "pflow-tests", Guid.NewGuid().ToString("N"));
        Copy(Path.Combine(RepoRoot, "scripts"), Path.Combine(root, "scripts"));
        return root;
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var folder in Directory.GetDirectories(from))
        {
            Copy(folder, Path.Combine(to, Path.GetFileName(folder)));
        }
    }

}
