using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.XPath;

namespace PluggableFlows.Plugins.Http;

/// <summary>
/// Where in the answer a value is: a dot path (<c>result.id</c>; a number picks an array item or a repeated element:
/// <c>leads.0.id</c>) read in JSON and XML answers alike, or an XPath expression (<c>/response/lead/@id</c>) for XML answers.
/// A dot path into XML starts below the root element and ignores namespaces, so the same path reads
/// <c>{"result":{"id":1}}</c> and <c>&lt;response&gt;&lt;result&gt;&lt;id&gt;1&lt;/id&gt;&lt;/result&gt;&lt;/response&gt;</c>.
/// A pattern between slashes (<c>/F9errDesc" value="([^"]*)"/</c>) reads any answer's text, HTML and plain text too.
/// </summary>
internal sealed record ResponsePath(string Name, string Path, string[]? Parts, XPathExpression? Compiled, Regex? Pattern = null)
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(250);

    private XPathExpression? _xpath = Compiled;

    // A dot path is compiled to XPath only when an XML answer is read: most answers are JSON.
    private XPathExpression XPath => _xpath ??= XPathExpression.Compile(ToXPath(Parts!));

    /// <summary>Whether the path was written as XPath (and so cannot read a JSON answer).</summary>
    public bool IsXPath => Parts is null && Pattern is null;

    /// <summary>Whether the path is a pattern, which reads the answer's text whatever its format.</summary>
    public bool IsPattern => Pattern is not null;

    /// <summary>The path the input names, or what is wrong with it.</summary>
    public static (ResponsePath? Path, string? Problem) Read(string name, string path)
    {
        // "/.../" is never an XPath expression (a location path cannot end with a slash): it is a pattern.
        if (path.Length >= 3 && path[0] == '/' && path[^1] == '/')
        {
            try
            {
                var pattern = new Regex(path[1..^1], RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, MatchTimeout);
                return (new ResponsePath(name, path, null, null, pattern), null);
            }
            catch (ArgumentException e)
            {
                return (null, $"'{name}' {InputText.Shorten(path)} is not a valid regular expression: {e.Message}");
            }
        }

        if (path.IndexOfAny(['/', '[', '@', '(', '*', ':', '$']) < 0)
        {
            return InputText.PathParts(path) is { } parts
                ? (new ResponsePath(name, path, parts, null), null)
                : (null, $"'{name}' '{InputText.Shorten(path)}' is not a dot path (parts such as result.id, none empty) or an XPath expression (/response/result)");
        }

        try
        {
            return (new ResponsePath(name, path, null, XPathExpression.Compile(path)), null);
        }
        catch (XPathException e)
        {
            return (null, $"'{name}' '{InputText.Shorten(path)}' is not a valid XPath expression: {e.Message}");
        }
    }

    /// <summary>
    /// What this pattern finds in the answer's text: the first capture group of the first match (the whole match when the
    /// pattern has no group), trimmed, with HTML character references decoded when <paramref name="html"/>; null when
    /// nothing matches.
    /// </summary>
    /// <exception cref="RegexMatchTimeoutException">The pattern took too long on this text.</exception>
    public string? Find(string text, bool html)
    {
        var match = Pattern!.Match(text);
        if (!match.Success)
        {
            return null;
        }

        var value = (match.Groups.Count > 1 ? match.Groups[1].Value : match.Value).Trim();
        return html ? WebUtility.HtmlDecode(value) : value;
    }

    /// <summary>The JSON value at this dot path, or null when the answer has none there.</summary>
    public JsonElement? Find(JsonElement root)
    {
        if (Parts is null)
        {
            return null;
        }

        var element = root;
        foreach (var part in Parts)
        {
            if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(part, out var property))
            {
                element = property;
            }
            else if (element.ValueKind == JsonValueKind.Array
                && int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < element.GetArrayLength())
            {
                element = element[index];
            }
            else
            {
                return null;
            }
        }

        return element;
    }

    /// <summary>The text this path selects in an XML answer (the first node's text), or null when it selects nothing.</summary>
    public string? Find(XPathNavigator root)
    {
        try
        {
            return root.Evaluate(XPath) switch
            {
                XPathNodeIterator nodes => nodes.MoveNext() && nodes.Current is { } node ? node.Value : null,
                string text => text,
                double number => double.IsNaN(number) ? null : number.ToString(CultureInfo.InvariantCulture),
                bool flag => flag ? "true" : "false",
                _ => null,
            };
        }
        catch (XPathException)
        {
            // An expression needing a namespace prefix the answer does not declare reads nothing.
            return null;
        }
    }

    // result.0.id → /*/*[local-name()='result'][1]/*[local-name()='id']
    private static string ToXPath(string[] parts)
    {
        var xpath = new System.Text.StringBuilder("/*");
        foreach (var part in parts)
        {
            if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && xpath.Length > 2)
            {
                xpath.Append('[').Append(index + 1).Append(']');
            }
            else
            {
                xpath.Append("/*[local-name()='").Append(part.Replace("'", "", StringComparison.Ordinal)).Append("']");
            }
        }

        return xpath.ToString();
    }
}
