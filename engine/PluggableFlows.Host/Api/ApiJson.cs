using System.Buffers;
using System.Text.Json;
using PluggableFlows.Engine.Storage;

namespace PluggableFlows.Host.Api;

/// <summary>Writes the read APIs' JSON answers, and their errors as <c>{ "error": reason }</c>.</summary>
internal static class ApiJson
{
    public const string ContentType = "application/json; charset=utf-8";

    public static async Task WriteAsync(HttpResponse response, int status, Action<Utf8JsonWriter> write, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, LeadJson.WriterOptions))
        {
            write(writer);
        }

        response.StatusCode = status;
        response.ContentType = ContentType;
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken);
    }

    public static Task WriteErrorAsync(HttpResponse response, int status, string error, CancellationToken cancellationToken) =>
        WriteAsync(response, status, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("error", error);
            writer.WriteEndObject();
        }, cancellationToken);

    public static Task WriteAsync(HttpContext context, int status, Action<Utf8JsonWriter> write) =>
        WriteAsync(context.Response, status, write, context.RequestAborted);

    public static Task WriteErrorAsync(HttpContext context, int status, string error) =>
        WriteErrorAsync(context.Response, status, error, context.RequestAborted);
}
