using System.Text.Json;
using System.Xml;
using System.Xml.XPath;
using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.Http;

/// <summary>
/// The recipient's answer: its text, and its JSON or XML document when it is one. A body labelled JSON or XML is read as
/// that; one labelled HTML is text; anything else (text/plain, no label, a wrong label) is read as JSON or XML when it
/// parses as one. <c>content_type_override</c> replaces the label.
/// </summary>
internal sealed class ResponseBody : IDisposable
{
    private readonly JsonDocument? _json;
    private readonly XPathNavigator? _xml;

    private ResponseBody(string text, JsonDocument? json, XPathNavigator? xml, string? problem, bool html = false)
    {
        Text = text;
        IsHtml = html;
        _json = json;
        _xml = xml;
        Problem = problem;
    }

    /// <summary>The body as received.</summary>
    public string Text { get; }

    /// <summary>Whether the body is labelled HTML (patterns decode its character references).</summary>
    public bool IsHtml { get; }

    /// <summary>The parsed JSON body, or null when it is not JSON.</summary>
    public JsonElement? Json => _json?.RootElement;

    /// <summary>The parsed XML body, or null when it is not XML.</summary>
    public XPathNavigator? Xml => _xml;

    /// <summary>Why the body cannot be read at a path, for a reason; null when it is JSON or XML.</summary>
    public string? Problem { get; }

    /// <summary>Reads the answer as labelled by <paramref name="contentType"/> (the override, or the answer's own).</summary>
    public static ResponseBody Read(IntegrationResponse response, string? contentType)
    {
        var text = response.Body ?? "";
        var type = (contentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        var labelled = type.Length == 0 ? "" : $" ({type})";
        var kind = type switch
        {
            "text/html" or "application/xhtml+xml" => Kind.Html,
            "application/json" or "text/json" => Kind.Json,
            _ when type.EndsWith("+json", StringComparison.Ordinal) => Kind.Json,
            "application/xml" or "text/xml" => Kind.Xml,
            _ when type.EndsWith("+xml", StringComparison.Ordinal) => Kind.Xml,
            _ => Kind.Unknown,
        };

        if (kind == Kind.Html)
        {
            return new ResponseBody(text, null, null,
                $"the answer{labelled} is HTML, not JSON or XML (set content_type_override if the recipient mislabels it)", html: true);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return new ResponseBody(text, null, null, $"the answer{labelled} is empty, not {(kind == Kind.Xml ? "XML" : "JSON")}");
        }

        var (json, jsonProblem) = kind is Kind.Json or Kind.Unknown ? ParseJson(text) : (null, null);
        if (json is not null)
        {
            return new ResponseBody(text, json, null, null);
        }

        var looksLikeXml = text.AsSpan().TrimStart().StartsWith("<");
        var (xml, xmlProblem) = kind == Kind.Xml || (kind == Kind.Unknown && looksLikeXml) ? ParseXml(text) : (null, null);
        if (xml is not null)
        {
            return new ResponseBody(text, null, xml, null);
        }

        var problem = kind == Kind.Xml || (kind == Kind.Unknown && looksLikeXml)
            ? $"the answer{labelled} is not well-formed XML ({xmlProblem})"
            : $"the answer{labelled} is not valid JSON ({jsonProblem})";
        return new ResponseBody(text, null, null, problem);
    }

    /// <summary>The value at <paramref name="path"/> as text (JSON objects and arrays as JSON), or null when there is none.</summary>
    /// <exception cref="System.Text.RegularExpressions.RegexMatchTimeoutException">A pattern took too long on this answer.</exception>
    public string? TextAt(ResponsePath path) =>
        path.IsPattern ? path.Find(Text, IsHtml)
        : Json is { } root ? (path.Find(root) is { } element ? TextOf(element) : null)
        : Xml is { } document ? path.Find(document)
        : null;

    /// <summary>
    /// What the answer appends: each top-level property of a JSON object, or each attribute and child element of an XML
    /// answer's root (an element with children as a nested map, a repeated element as a list), except <paramref name="skipped"/>.
    /// </summary>
    public Dictionary<string, object?> Appended(IReadOnlySet<string> skipped)
    {
        var appended = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (Json is { ValueKind: JsonValueKind.Object } root)
        {
            foreach (var property in root.EnumerateObject())
            {
                if (!skipped.Contains(property.Name))
                {
                    appended[property.Name] = ValueOf(property.Value);
                }
            }
        }
        else if (Xml?.Clone() is { } document && document.MoveToFirstChild())
        {
            while (document.NodeType != XPathNodeType.Element && document.MoveToNext())
            {
            }

            foreach (var (name, value) in ElementMap(document))
            {
                if (!skipped.Contains(name))
                {
                    appended[name] = value;
                }
            }
        }

        return appended;
    }

    public void Dispose() => _json?.Dispose();

    private static (JsonDocument?, string?) ParseJson(string text)
    {
        try
        {
            return (JsonDocument.Parse(text), null);
        }
        catch (JsonException e)
        {
            return (null, e.Message);
        }
    }

    private static (XPathNavigator?, string?) ParseXml(string text)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), XmlReading.Settings);
            return (new XPathDocument(reader).CreateNavigator(), null);
        }
        catch (XmlException e)
        {
            return (null, e.Message);
        }
    }

    private static Dictionary<string, object?> ElementMap(XPathNavigator element)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        var node = element.Clone();
        if (node.MoveToFirstAttribute())
        {
            do
            {
                map[node.LocalName] = node.Value;
            }
            while (node.MoveToNextAttribute());
            node.MoveToParent();
        }

        if (node.MoveToFirstChild())
        {
            do
            {
                if (node.NodeType != XPathNodeType.Element)
                {
                    continue;
                }

                var value = node.SelectSingleNode("*") is not null || node.HasAttributes ? (object?)ElementMap(node) : node.Value;
                if (!map.TryGetValue(node.LocalName, out var earlier))
                {
                    map[node.LocalName] = value;
                }
                else if (earlier is List<object?> repeated)
                {
                    repeated.Add(value);
                }
                else
                {
                    map[node.LocalName] = new List<object?> { earlier, value };
                }
            }
            while (node.MoveToNext());
        }

        return map;
    }

    private static string? TextOf(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => element.GetString(),
        _ => element.GetRawText(),
    };

    private static object? ValueOf(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var whole) ? whole
            : element.TryGetDouble(out var number) && double.IsFinite(number) ? number : element.GetRawText(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Array => element.EnumerateArray().Select(ValueOf).ToList(),
        JsonValueKind.Object => ObjectOf(element),
        _ => null,
    };

    // A repeated name keeps its last value, as JavaScript's JSON.parse does.
    private static Dictionary<string, object?> ObjectOf(JsonElement element)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            map[property.Name] = ValueOf(property.Value);
        }

        return map;
    }

    private enum Kind
    {
        Unknown,
        Json,
        Xml,
        Html,
    }
}
