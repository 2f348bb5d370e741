using System.Text.Json;
using PluggableFlows.Engine.Plugins;

namespace PluggableFlows.Host.Api;

/// <summary><c>GET /health</c>: 200 with what is being served (flows, flow files that failed, plugins, integrations);
/// 503 with status <c>stopping</c> once the server is stopping, so a load balancer stops sending leads here.</summary>
internal static class HealthEndpoint
{
    public const string Route = "/health";

    public static async Task HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var flows = services.GetRequiredService<HostedFlows>();
        var integrations = services.GetRequiredService<IIntegrationRegistry>();
        var plugins = services.GetService<PluginCatalog>();
        var stopping = services.GetRequiredService<SubmissionDrain>().IsDraining;
        context.Response.StatusCode = stopping ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("status", stopping ? "stopping" : "healthy");
        writer.WriteNumber("flows", flows.Count);
        writer.WriteNumber("flow_errors", flows.FailedFiles);
        writer.WriteNumber("plugins", plugins?.Plugins.Count ?? 0);
        writer.WriteNumber("integrations", integrations.All.Count);
        writer.WriteEndObject();
    }
}
