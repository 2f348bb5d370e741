using System.Text.Json;
using PluggableFlows.Engine.Plugins;
using PluggableFlows.Sdk;

namespace PluggableFlows.Host.Api;

/// <summary>
/// <c>GET /plugins</c>: the loaded plugins (name, version, folder) with their integrations' descriptors (kind, class,
/// cost per transaction, credentials, request and response variables), and the plugins that failed to load, with why —
/// what <c>pflow plugin list</c> shows.
/// </summary>
internal static class PluginsEndpoint
{
    public const string Route = "/plugins";

    public static Task HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var registrations = services.GetRequiredService<IIntegrationRegistry>().All;
        var catalog = services.GetService<PluginCatalog>();
        var integrationsByPlugin = registrations
            .GroupBy(r => r.Plugin)
            .ToDictionary(g => g.Key, g => g.Select(r => r.Descriptor).OrderBy(d => d.Id, StringComparer.Ordinal).ToArray());
        // A catalog knows its plugins, including one that offers nothing; a registry built in process only knows integrations.
        var plugins = (catalog?.Plugins ?? [])
            .Concat(integrationsByPlugin.Keys)
            .Distinct()
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToArray();
        var errors = catalog?.Errors ?? [];

        return ApiJson.WriteAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("plugins");
            foreach (var plugin in plugins)
            {
                writer.WriteStartObject();
                writer.WriteString("name", plugin.Name);
                writer.WriteString("version", plugin.Version);
                writer.WriteString("folder", plugin.Folder);
                writer.WriteStartArray("integrations");
                foreach (var descriptor in integrationsByPlugin.GetValueOrDefault(plugin) ?? [])
                {
                    WriteIntegration(writer, descriptor);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("errors");
            foreach (var error in errors)
            {
                writer.WriteStartObject();
                writer.WriteString("plugin", error.Plugin);
                writer.WriteString("folder", error.Folder);
                writer.WriteString("message", error.Message);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static void WriteIntegration(Utf8JsonWriter writer, IntegrationDescriptor descriptor)
    {
        var addOn = descriptor.Class == IntegrationClass.AddOn;
        writer.WriteStartObject();
        writer.WriteString("id", descriptor.Id);
        writer.WriteString("name", descriptor.Name);
        writer.WriteString("kind", descriptor.Kind == IntegrationKind.Delivery ? "delivery" : "enhancement");
        writer.WriteString("class", addOn ? "add-on" : "byoc");
        // BYOC integrations are billed by the provider to the flow owner: the host charges nothing for them.
        if (addOn)
        {
            writer.WriteNumber("cost_per_transaction", descriptor.CostPerTransaction);
        }
        else
        {
            writer.WriteNull("cost_per_transaction");
        }

        writer.WriteStartArray("credentials");
        foreach (var credential in descriptor.Credentials)
        {
            writer.WriteStartObject();
            writer.WriteString("name", credential.Name);
            writer.WriteBoolean("required", credential.Required);
            writer.WriteString("description", credential.Description);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        WriteVariables(writer, "request_variables", descriptor.RequestVariables);
        WriteVariables(writer, "response_variables", descriptor.ResponseVariables);
        writer.WriteEndObject();
    }

    private static void WriteVariables(Utf8JsonWriter writer, string name, IReadOnlyList<VariableDescriptor> variables)
    {
        writer.WriteStartArray(name);
        foreach (var variable in variables)
        {
            writer.WriteStartObject();
            writer.WriteString("name", variable.Name);
            writer.WriteString("type", variable.Type);
            writer.WriteBoolean("required", variable.Required);
            writer.WriteString("description", variable.Description);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
