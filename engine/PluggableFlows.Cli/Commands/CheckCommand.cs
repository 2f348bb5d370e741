using System.CommandLine;
using PluggableFlows.Engine.Pipeline;

namespace PluggableFlows.Cli.Commands;

/// <summary><c>pflow check [path ...]</c>: loads and compiles flows, lists every problem, exits 1 on any.</summary>
internal static class CheckCommand
{
    public static Command Create(CliContext context)
    {
        var paths = new Argument<string[]>("path")
        {
            Description = "Flow files or folders of flow files (default: scripts/flows).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("check", "Check flow files: shape, references, rules and templates.") { paths };
        command.SetAction(parsed => Run(context, parsed.GetValue(paths) ?? []));
        return command;
    }

    private static int Run(CliContext context, string[] paths)
    {
        var files = new List<string>();
        foreach (var path in paths.Length == 0 ? [Path.Combine("scripts", "flows")] : paths)
        {
            if (Directory.Exists(path))
            {
                files.AddRange(FlowCatalog.FlowFiles(path));
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                context.Error.WriteLine($"{path}: no such file or folder.");
                return 2;
            }
        }

        if (files.Count == 0)
        {
            context.Error.WriteLine("No flow files found (*.yaml, *.yml).");
            return 2;
        }

        var catalog = new FlowCatalog(context.Types, context.Integrations);
        var errors = 0;
        foreach (var file in files)
        {
            var load = catalog.LoadFile(file);
            foreach (var diagnostic in load.Diagnostics)
            {
                context.Output.WriteLine(diagnostic.ToString());
            }

            errors += load.Diagnostics.Count;
            if (load.Succeeded)
            {
                context.Output.WriteLine($"{file}: ok ({load.Flow!.Definition.Steps.Count} steps, {load.Flow.Definition.Sources.Count} sources)");
            }
        }

        context.Output.WriteLine(errors == 0
            ? $"{files.Count} flow(s) checked, no problems."
            : $"{files.Count} flow(s) checked, {errors} problem(s).");
        return errors == 0 ? 0 : 1;
    }
}
