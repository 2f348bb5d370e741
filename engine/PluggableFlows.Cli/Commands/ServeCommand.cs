using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using PluggableFlows.Host;

namespace PluggableFlows.Cli.Commands;

/// <summary>
/// <c>pflow serve</c>: the lead server (the same as <c>dotnet run --project engine/PluggableFlows.Host</c>), with its
/// main settings as options. Runs until Ctrl+C, then stops gracefully: leads in flight finish (docs/server.md).
/// </summary>
internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var urls = new Option<string?>("--urls")
        {
            Description = $"Where to listen, ';'-separated (default: {LeadServerOptions.DefaultUrls}, or Urls in appsettings.json / $URLS).",
        };
        var flows = new Option<string?>("--flows")
        {
            Description = "The folder of flow files to serve, watched for changes (default: scripts/flows).",
        };
        var data = new Option<string?>("--data")
        {
            Description = "The folder of the SQLite store, pflow.db (default: data).",
        };
        var command = new Command("serve", "Run the lead server: sources post leads to the flows over HTTP.") { urls, flows, data };
        command.SetAction((parsed, cancellationToken) =>
            RunAsync(context, Arguments(parsed.GetValue(urls), parsed.GetValue(flows), parsed.GetValue(data), context.PluginsPath), cancellationToken));
        return command;
    }

    /// <summary>The server's configuration arguments for the options given: each option is one configuration key, so
    /// appsettings.json and environment variables still apply to what the command line leaves out.</summary>
    internal static string[] Arguments(string? urls, string? flows, string? data, string pluginsPath)
    {
        var arguments = new List<string> { $"--{LeadServerOptions.SectionName}:PluginsPath={pluginsPath}" };
        if (urls is { Length: > 0 })
        {
            arguments.Add($"--urls={urls}");
        }

        if (flows is { Length: > 0 })
        {
            arguments.Add($"--{LeadServerOptions.SectionName}:FlowsPath={flows}");
        }

        if (data is { Length: > 0 })
        {
            arguments.Add($"--{LeadServerOptions.SectionName}:DataPath={data}");
        }

        return [.. arguments];
    }

    private static async Task<int> RunAsync(CliContext context, string[] arguments, CancellationToken cancellationToken)
    {
        // Before the server opens its first socket (pflow's other commands keep .NET's default).
        InlineSocketCompletions.PreferByDefault();
        WebApplication app;
        try
        {
            app = LeadServer.Build(arguments);
        }
        catch (InvalidOperationException problem)
        {
            // A missing flows folder or a bad setting: the message names the setting to fix.
            context.Error.WriteLine(problem.Message);
            return 2;
        }

        await using (app)
        {
            await app.StartAsync(cancellationToken);
            await context.Output.WriteLineAsync($"Serving leads on {string.Join(", ", app.Urls)}. Press Ctrl+C to stop.");
            await context.Output.FlushAsync(CancellationToken.None);
            // Ctrl+C (or the caller's cancellation) stops the host; stopping lets leads in flight finish.
            await app.WaitForShutdownAsync(cancellationToken);
        }

        return 0;
    }
}
