using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Xml;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Vars;

namespace PluggableFlows.Host.Intake;

/// <summary>What the source is told, as JSON or XML by its <c>Accept</c> header: the lead's answer, or why the request
/// was refused.</summary>
internal static class Answers
{
    public const string Json = "application/json";
    public const string ApplicationXml = "application/xml";
    public const string TextXml = "text/xml";

    // The answer is read by programs, never rendered as HTML, so quotes and apostrophes in reasons stay readable.
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly XmlWriterSettings XmlSettings = new() { Encoding = new UTF8Encoding(false), OmitXmlDeclaration = true };

    /// <summary>The media type to answer in, or null when <c>Accept</c> names none this server writes. No <c>Accept</c>,
    /// <c>*/*</c> and <c>application/*</c> get JSON; the highest quality wins, the first written on a tie.</summary>
    public static string? Negotiate(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count == 0)
        {
            return Json;
        }

        string? best = null;
        double bestQuality = 0;
        foreach (var range in accept)
        {
            var quality = range.Quality ?? 1;
            if (quality > bestQuality && Served(range.MediaType.Value) is { } served)
            {
                (best, bestQuality) = (served, quality);
            }
        }

        return best;
    }

    private static string? Served(string? range) => range?.ToLowerInvariant() switch
    {
        "application/json" or "text/json" or "*/*" or "application/*" => Json,
        "application/xml" => ApplicationXml,
        "text/xml" or "text/*" => TextXml,
        _ => null,
    };

    public static Task WriteLeadAsync(HttpResponse response, string mediaType, LeadAnswer lead, CancellationToken cancellationToken)
    {
        var outcome = OutcomeNames.Of(lead.Outcome);
        var body = mediaType == Json
            ? WriteJson(writer =>
            {
                writer.WriteString("outcome", outcome);
                writer.WriteString("reason", lead.Reason);
                writer.WriteStartObject("lead");
                writer.WriteString("id", lead.LeadId);
                writer.WriteEndObject();
                writer.WriteNumber("price", lead.Price);
            })
            : WriteXml("result", writer =>
            {
                writer.WriteElementString("outcome", outcome);
                writer.WriteElementString("reason", lead.Reason ?? "");
                writer.WriteStartElement("lead");
                writer.WriteElementString("id", lead.LeadId);
                writer.WriteEndElement();
                writer.WriteElementString("price", lead.Price.ToString(CultureInfo.InvariantCulture));
            });
        return WriteAsync(response, StatusCodes.Status201Created, mediaType, body, cancellationToken);
    }

    public static Task WriteErrorAsync(HttpResponse response, string mediaType, int status, string error, CancellationToken cancellationToken)
    {
        var body = mediaType == Json
            ? WriteJson(writer => writer.WriteString("error", error))
            : WriteXml("error", writer => writer.WriteString(error));
        return WriteAsync(response, status, mediaType, body, cancellationToken);
    }

    private static async Task WriteAsync(HttpResponse response, int status, string mediaType, byte[] body, CancellationToken cancellationToken)
    {
        response.StatusCode = status;
        response.ContentType = $"{mediaType}; charset=utf-8";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, cancellationToken);
    }

    private static byte[] WriteJson(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, JsonOptions))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static byte[] WriteXml(string root, Action<XmlWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, XmlSettings))
        {
            writer.WriteStartElement(root);
            write(writer);
            writer.WriteEndElement();
        }

        return stream.ToArray();
    }
}
