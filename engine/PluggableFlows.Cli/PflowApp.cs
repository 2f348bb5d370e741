using System.CommandLine;
using PluggableFlows.Cli.Commands;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Plugins;
using PluggableFlows.Plugins.Local;
using Spectre.Console;

namespace PluggableFlows.Cli;

/// <summary>The <c>pflow</c> command line. Streams are passed in so tests run it in process.</summary>
internal sealed class PflowApp
{
    private readonly CliContext _context;

    public PflowApp(TextReader input, TextWriter output, TextWriter error, IAnsiConsole console)
    {
        // Plugin folders are loaded by a later part of the engine; until then the first-party offline
        // integrations are registered in process.
        var integrations = new IntegrationRegistry([new SuppressionCheck(), new JsonLinesDelivery()]);
        _context = new CliContext(input, output, error, console, FieldTypeRegistry.Default, integrations, TimeProvider.System);
    }

    public async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("pflow: check flows, parse field values and push lead files through a flow.")
        {
            CheckCommand.Create(_context),
            TypesCommand.Create(_context),
            RunCommand.Create(_context),
            PluginCommand.Create(_context),
        };
        var parsed = root.Parse(args);
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = _context.Output, Error = _context.Error });
    }
}

/// <summary>What every command needs.</summary>
internal sealed record CliContext(
    TextReader Input,
    TextWriter Output,
    TextWriter Error,
    IAnsiConsole Console,
    FieldTypeRegistry Types,
    IIntegrationRegistry Integrations,
    TimeProvider Time);
