using System.Text.Json;

namespace PluggableFlows.Host.Api;

/// <summary>Writes the read APIs' answers: JSON with snake_case names, written straight to the response body.</summary>
internal static class ApiJson
{
    public const string ContentType = "application/json; charset=utf-8";

    public static async Task WriteAsync(HttpContext context, int statusCode, Action<Utf8JsonWriter> write)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = ContentType;
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        write(writer);
        await writer.FlushAsync(context.RequestAborted);
    }

    /// <summary>An error with its reason, <c>{"error": "…"}</c>, as the intake writes them.</summary>
    public static Task WriteErrorAsync(HttpContext context, int statusCode, string reason) =>
        WriteAsync(context, statusCode, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("error", reason);
            writer.WriteEndObject();
        });
}
