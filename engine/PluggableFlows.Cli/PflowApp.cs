using System.CommandLine;
using PluggableFlows.Cli.Commands;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Plugins;
using Spectre.Console;

namespace PluggableFlows.Cli;

/// <summary>The <c>pflow</c> command line. Streams are passed in so tests run it in process.</summary>
internal sealed class PflowApp
{
    private readonly CliContext _context;

    /// <param name="pluginsPath">The plugins folder when <c>--plugins</c> is not given (default: <c>plugins/</c> next to pflow).</param>
    public PflowApp(TextReader input, TextWriter output, TextWriter error, IAnsiConsole console, string? pluginsPath = null)
    {
        _context = new CliContext(input, output, error, console, FieldTypeRegistry.Default, TimeProvider.System)
        {
            PluginsPath = pluginsPath ?? CliContext.DefaultPluginsPath,
        };
    }

    /// <param name="args">The command line.</param>
    /// <param name="cancellationToken">Stops a long-running command (<c>serve</c>) as Ctrl+C does.</param>
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var plugins = new Option<string?>("--plugins")
        {
            Description = "The plugins folder: one subfolder per plugin (default: plugins/ next to pflow, or $PFLOW_PLUGINS).",
            Recursive = true,
        };
        var root = new RootCommand("pflow: check flows, parse field values, try rules and push lead files through a flow.")
        {
            plugins,
            CheckCommand.Create(_context),
            TypesCommand.Create(_context),
            RulesCommand.Create(_context),
            RunCommand.Create(_context),
            ServeCommand.Create(_context),
            UsageCommand.Create(_context),
            ListsCommand.Create(_context),
            EventsCommand.Create(_context),
            PluginCommand.Create(_context, PluginListCommand.Create(_context), PluginVerifyCommand.Create(_context)),
        };
        var parsed = root.Parse(args);
        if (parsed.GetValue(plugins) is { Length: > 0 } pluginsPath)
        {
            _context.PluginsPath = pluginsPath;
        }

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = _context.Output, Error = _context.Error }, cancellationToken);
        }
        finally
        {
            _context.Dispose();
        }
    }
}

/// <summary>What every command needs. Plugins are loaded on first use, so commands that need none start fast.</summary>
internal sealed class CliContext(
    TextReader input,
    TextWriter output,
    TextWriter error,
    IAnsiConsole console,
    FieldTypeRegistry types,
    TimeProvider time) : IDisposable
{
    private PluginCatalog? _catalog;

    /// <summary>plugins/ next to pflow, unless PFLOW_PLUGINS says otherwise.</summary>
    public static string DefaultPluginsPath =>
        Environment.GetEnvironmentVariable("PFLOW_PLUGINS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "plugins");

    public TextReader Input { get; } = input;

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public IAnsiConsole Console { get; } = console;

    public FieldTypeRegistry Types { get; } = types;

    public TimeProvider Time { get; } = time;

    public string PluginsPath { get; set; } = DefaultPluginsPath;

    /// <summary>The plugins folder, loaded once (not watched: a pflow command is short-lived).</summary>
    public PluginCatalog Plugins
    {
        get
        {
            if (_catalog is null)
            {
                _catalog = new PluginCatalog(new PluginFolderOptions { Path = PluginsPath, Watch = false }, Time);
                _catalog.Load();
                foreach (var problem in _catalog.Errors)
                {
                    Error.WriteLine($"warning: plugin '{problem.Plugin}' was not loaded: {problem.Message}");
                }
            }

            return _catalog;
        }
    }

    public IIntegrationRegistry Integrations => Plugins;

    public void Dispose() => _catalog?.Dispose();
}
