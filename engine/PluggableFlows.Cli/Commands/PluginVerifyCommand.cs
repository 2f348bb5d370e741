using System.CommandLine;
using PluggableFlows.Conformance;
using PluggableFlows.Engine.Plugins;
using PluggableFlows.Engine.Storage;

namespace PluggableFlows.Cli.Commands;

/// <summary>
/// <c>pflow plugin verify &lt;folder&gt;</c>: loads a built plugin folder exactly as the engine would (its own load
/// context, descriptor validation) and runs every conformance check against each of its integrations.
/// </summary>
internal static class PluginVerifyCommand
{
    public static Command Create(CliContext context)
    {
        var folder = new Argument<string>("folder") { Description = "A built plugin folder (its main assembly, dependencies and .deps.json)." };
        var command = new Command("verify", "Check that a built plugin is fit to drop in: it loads, and every integration passes the conformance kit.")
        {
            folder,
        };
        command.SetAction((parsed, cancellationToken) => RunAsync(context, parsed.GetValue(folder)!, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string folder, CancellationToken cancellationToken)
    {
        var source = Path.GetFullPath(folder.TrimEnd('/', '\\'));
        if (!Directory.Exists(source))
        {
            await context.Error.WriteLineAsync($"{folder}: no such folder.");
            return 2;
        }

        // The catalog loads plugins from the subfolders of a plugins folder: give this one a private plugins folder
        // so nothing else is loaded with it and the original files are never locked or touched.
        var name = Path.GetFileName(source);
        var scratch = Directory.CreateTempSubdirectory("pflow-verify-").FullName;
        try
        {
            Copy(source, Path.Combine(scratch, "plugins", name));
            using var catalog = new PluginCatalog(new PluginFolderOptions { Path = Path.Combine(scratch, "plugins"), Watch = false }, context.Time);
            catalog.Load();
            foreach (var problem in catalog.Errors)
            {
                await context.Output.WriteLineAsync($"FAIL load: {problem.Message}");
            }

            if (catalog.All.Count == 0)
            {
                await context.Output.WriteLineAsync($"{name}: no integration could be loaded; nothing to verify.");
                return 1;
            }

            var failed = catalog.Errors.Count;
            foreach (var registration in catalog.All.OrderBy(r => r.Descriptor.Id, StringComparer.Ordinal))
            {
                // Each integration gets an empty store of its own, as a fresh host would give it.
                using var store = new SqliteStore(new StoreOptions { Path = Path.Combine(scratch, registration.Descriptor.Id + ".db") });
                var runner = new ConformanceRunner(new ConformanceOptions { Lists = new SqliteValueLists(store, context.Time), Time = context.Time });
                var report = await runner.RunAsync(registration.Integration, cancellationToken);
                await context.Output.WriteLineAsync($"{registration.Descriptor.Id} ({registration.Plugin.Name} {registration.Plugin.Version})");
                await context.Output.WriteLineAsync(report.ToString());
                failed += report.Failures.Count;
            }

            await context.Output.WriteLineAsync(failed == 0
                ? $"{name}: fit to drop in: {catalog.All.Count} integration(s), every check passed."
                : $"{name}: NOT fit to drop in: {failed} problem(s).");
            return failed == 0 ? 0 : 1;
        }
        finally
        {
            try
            {
                Directory.Delete(scratch, recursive: true);
            }
            catch (IOException)
            {
                // A collectible context may still hold the copy for a moment; the temp folder is cleaned up eventually.
            }
        }
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.GetDirectories(from))
        {
            Copy(directory, Path.Combine(to, Path.GetFileName(directory)));
        }
    }
}
