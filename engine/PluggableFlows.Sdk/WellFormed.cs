using System.Text;
using System.Text.Json;
using System.Xml;

namespace PluggableFlows.Sdk;

/// <summary>Where a body stops being well-formed: a 1-based line and column, the UTF-8 byte offset, and why.</summary>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column within the line.</param>
/// <param name="ByteOffset">Offset from the start of the body's UTF-8 bytes (JSON), or -1 when the parser does not say (XML).</param>
/// <param name="Message">What the parser found.</param>
public sealed record WellFormedError(int Line, int Column, long ByteOffset, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"line {Line}, column {Column}: {Message}";
}

/// <summary>
/// Checks that a rendered body is well-formed before it is sent, so a lead value that broke a template becomes an
/// <c>error</c> outcome naming the spot instead of a request the recipient cannot read.
/// </summary>
public static class WellFormed
{
    private static readonly XmlReaderSettings XmlSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        ConformanceLevel = ConformanceLevel.Document,
        CheckCharacters = true,
    };

    /// <summary>Null when <paramref name="body"/> is one well-formed JSON value; otherwise where it is not.</summary>
    public static WellFormedError? Json(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var bytes = Encoding.UTF8.GetBytes(body);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            while (reader.Read())
            {
            }

            return null;
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? 0) + 1;
            var column = (int)(e.BytePositionInLine ?? 0) + 1;
            return new WellFormedError(line, column, reader.BytesConsumed, FirstSentence(e.Message));
        }
    }

    /// <summary>Null when <paramref name="body"/> is a well-formed XML document; otherwise where it is not.</summary>
    public static WellFormedError? Xml(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            using var reader = XmlReader.Create(new StringReader(body), XmlSettings);
            while (reader.Read())
            {
            }

            return null;
        }
        catch (XmlException e)
        {
            return new WellFormedError(Math.Max(1, e.LineNumber), Math.Max(1, e.LinePosition), -1, FirstSentence(e.Message));
        }
    }

    // Parser messages repeat the position ("LineNumber: 0 | BytePositionInLine: 3."); ours says it once.
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" Line ", StringComparison.Ordinal);
        }

        return (cut > 0 ? message[..cut] : message).TrimEnd(' ', '.', ',') + ".";
    }
}
