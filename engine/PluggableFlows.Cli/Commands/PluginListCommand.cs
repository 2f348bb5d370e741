using System.CommandLine;
using System.Globalization;
using PluggableFlows.Engine.Plugins;
using PluggableFlows.Sdk;
using Spectre.Console;

namespace PluggableFlows.Cli.Commands;

/// <summary><c>pflow plugin list</c>: every integration the loaded plugins offer, with what it costs and what it reads and appends.</summary>
internal static class PluginListCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("list", "List the integrations of every loaded plugin: id, kind, class, cost, version, inputs and appended fields.");
        command.SetAction(_ => Run(context));
        return command;
    }

    private static int Run(CliContext context)
    {
        var integrations = context.Integrations.All.OrderBy(r => r.Descriptor.Id, StringComparer.Ordinal).ToArray();
        var table = new Table();
        foreach (var heading in new[] { "integration", "kind", "class", "cost", "plugin", "version" })
        {
            table.AddColumn(new TableColumn(heading).NoWrap());
        }

        foreach (var registration in integrations)
        {
            var descriptor = registration.Descriptor;
            table.AddRow(
                Markup.Escape(descriptor.Id),
                descriptor.Kind == IntegrationKind.Delivery ? "delivery" : "enhancement",
                descriptor.Class == IntegrationClass.AddOn ? "add-on" : "BYOC",
                descriptor.Class == IntegrationClass.AddOn ? descriptor.CostPerTransaction.ToString("0.####", CultureInfo.InvariantCulture) : "-",
                Markup.Escape(registration.Plugin.Name),
                Markup.Escape(registration.Plugin.Version));
        }

        context.Console.Write(table);
        foreach (var registration in integrations)
        {
            var descriptor = registration.Descriptor;
            context.Console.WriteLine();
            context.Console.WriteLine($"{descriptor.Id}: {descriptor.Name}");
            context.Console.WriteLine($"  inputs:  {Variables(descriptor.RequestVariables)}");
            context.Console.WriteLine($"  appends: {Variables(descriptor.ResponseVariables)}");
            if (Credentials(descriptor) is { Length: > 0 } credentials)
            {
                context.Console.WriteLine($"  credentials: {credentials}");
            }
        }
        if (context.Integrations is PluginCatalog catalog)
        {
            foreach (var error in catalog.Errors)
            {
                context.Console.MarkupLineInterpolated($"[yellow]plugin {error.Plugin}: {error.Message}[/]");
            }
        }

        return 0;
    }

    private static string Variables(IReadOnlyList<VariableDescriptor> variables) =>
        variables.Count == 0
            ? "(none)"
            : string.Join(", ", variables.Select(v => v.Name == "*" ? "any other name" : $"{v.Name} ({v.Type}{(v.Required ? ", required" : "")})"));

    // Add-ons run on the host's account: their credentials are the operator's business, not the flow's.
    private static string Credentials(IntegrationDescriptor descriptor) =>
        descriptor.Credentials.Count == 0 || descriptor.Class == IntegrationClass.AddOn
            ? ""
            : string.Join(", ", descriptor.Credentials.Select(c => c.Required ? c.Name : c.Name + " (optional)"));
}
