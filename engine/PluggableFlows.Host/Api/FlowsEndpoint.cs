using System.Text.Json;
using PluggableFlows.Engine.Flows;
using PluggableFlows.Sdk;

namespace PluggableFlows.Host.Api;

/// <summary>
/// <c>GET /flows</c> and <c>GET /flows/{flowId}</c>: the flows served, each with its version (the content hash of its
/// file), the file, its sources (whether each has a key, never the key) and its steps.
/// </summary>
internal static class FlowsEndpoint
{
    public const string ListRoute = "/flows";
    public const string ItemRoute = "/flows/{flowId}";

    public static Task ListAsync(HttpContext context)
    {
        var flows = context.RequestServices.GetRequiredService<HostedFlows>().All.Values
            .OrderBy(f => f.Flow.Id, StringComparer.Ordinal)
            .ToArray();
        return ApiJson.WriteAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("flows");
            foreach (var flow in flows)
            {
                WriteFlow(writer, flow);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    public static Task GetAsync(HttpContext context)
    {
        var flowId = context.GetRouteValue("flowId") as string ?? "";
        return context.RequestServices.GetRequiredService<HostedFlows>().TryGet(flowId, out var flow)
            ? ApiJson.WriteAsync(context, StatusCodes.Status200OK, writer => WriteFlow(writer, flow))
            : ApiJson.WriteErrorAsync(context, StatusCodes.Status404NotFound, $"No flow '{flowId}' is served here.");
    }

    private static void WriteFlow(Utf8JsonWriter writer, HostedFlow hosted)
    {
        var definition = hosted.Flow.Definition;
        writer.WriteStartObject();
        writer.WriteString("id", definition.Id);
        writer.WriteString("name", definition.Name);
        writer.WriteString("version", definition.Version);
        writer.WriteString("file", hosted.File);
        writer.WriteStartArray("sources");
        foreach (var source in definition.Sources)
        {
            writer.WriteStartObject();
            writer.WriteString("id", source.Id);
            writer.WriteString("name", source.Name);
            writer.WriteBoolean("has_key", source.ApiKey is not null);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("steps");
        foreach (var step in definition.Steps)
        {
            writer.WriteStartObject();
            writer.WriteString("key", step.Key);
            switch (step)
            {
                case IntegrationStepDefinition integration:
                    writer.WriteString("type", integration.Kind == IntegrationKind.Delivery ? "delivery" : "enhancement");
                    writer.WriteString("integration", integration.Integration);
                    break;
                default:
                    writer.WriteString("type", "filter");
                    writer.WriteNull("integration");
                    break;
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
