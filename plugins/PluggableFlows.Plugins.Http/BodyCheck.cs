using System.Text.Json;
using System.Xml;

namespace PluggableFlows.Plugins.Http;

/// <summary>
/// Whether a pre-rendered body (the <c>body</c> input, from a template) is well-formed before it is sent: a recipient
/// given half a document answers with something unhelpful, or worse, stores it.
/// </summary>
internal static class BodyCheck
{
    private static readonly JsonDocumentOptions Json = new() { MaxDepth = 128 };

    /// <summary>What is wrong with <paramref name="body"/> as JSON, naming line and column; null when it is well-formed.</summary>
    public static string? JsonProblem(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body, Json);
            return null;
        }
        catch (JsonException e)
        {
            var line = (e.LineNumber ?? 0) + 1;
            var column = (e.BytePositionInLine ?? 0) + 1;
            return $"The body is not well-formed JSON at line {line}, column {column}: {Cut(e.Message, " LineNumber:")}. Nothing was sent.";
        }
    }

    /// <summary>What is wrong with <paramref name="body"/> as an XML document, naming line and column; null when it is well-formed.</summary>
    public static string? XmlProblem(string body)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(body), XmlReading.Settings);
            while (reader.Read())
            {
            }

            return null;
        }
        catch (XmlException e)
        {
            return $"The body is not well-formed XML at line {e.LineNumber}, column {e.LinePosition}: {Cut(e.Message, " Line ")}. Nothing was sent.";
        }
    }

    // The parsers repeat the position in their own words; the reason gives it once.
    private static string Cut(string message, string from) =>
        (message.IndexOf(from, StringComparison.Ordinal) is > 0 and var at ? message[..at] : message).TrimEnd('.', ' ');
}

/// <summary>How the plugin reads XML it did not write: no DTDs (no entity expansion), no external resources.</summary>
internal static class XmlReading
{
    public static XmlReaderSettings Settings { get; } = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };
}
