using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace PluggableFlows.Plugins.Http;

/// <summary>
/// The body of <c>http.xml</c> and <c>http.soap</c>: each <c>xml_path.&lt;path&gt;</c> input is an element at that dot path,
/// the first part naming the root (<c>xml_path.lead.contact.email</c> → <c>&lt;lead&gt;&lt;contact&gt;&lt;email&gt;</c>);
/// <c>@name</c> at the end names an attribute instead (<c>xml_path.lead@version</c>), and <c>@xmlns</c> gives an element
/// (and the elements under it) a namespace. Elements appear in input order.
/// </summary>
internal static class XmlBody
{
    private static readonly XmlWriterSettings Writing = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        OmitXmlDeclaration = false,
        Indent = false,
        // A carriage return in a value is written as &#xD;: a parser turns a raw one into a line feed.
        NewLineHandling = NewLineHandling.Entitize,
    };

    private static readonly XmlWriterSettings WritingFragment = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        OmitXmlDeclaration = true,
        Indent = false,
        NewLineHandling = NewLineHandling.Entitize,
    };

    /// <summary>Builds the document's root element, or says which inputs cannot be written.</summary>
    public static (XElement? Root, string? Problem) Build(IReadOnlyList<(string Path, object? Value)> values, string prefix)
    {
        if (values.Count == 0)
        {
            return (null, $"No {prefix}<path> input: map at least one (the first part of the path names the root element)");
        }

        XElement? root = null;
        var written = new HashSet<string>(StringComparer.Ordinal);
        var namespaces = new List<(XElement Element, XNamespace Namespace)>();
        foreach (var (path, value) in values)
        {
            var at = path.IndexOf('@', StringComparison.Ordinal);
            var elementPath = at < 0 ? path : path[..at];
            var attribute = at < 0 ? null : path[(at + 1)..];
            if (InputText.PathParts(elementPath) is not { } parts || attribute is { Length: 0 } || attribute?.Contains('@', StringComparison.Ordinal) == true)
            {
                return (null, $"'{prefix}{path}' is not an XML path (elements such as lead.contact.email, optionally @attribute at the end)");
            }

            if (parts.Concat(attribute is null ? [] : [attribute]).FirstOrDefault(name => !IsName(name)) is { } badName)
            {
                return (null, $"'{prefix}{path}': '{badName}' is not an XML name (a letter or _ first, then letters, digits, '-', '_' or '.'; no prefixes)");
            }

            root ??= new XElement(parts[0]);
            if (root.Name.LocalName != parts[0])
            {
                return (null, $"'{prefix}{path}' starts at '{parts[0]}' but the root element is '{root.Name.LocalName}': a document has one root");
            }

            var element = root;
            foreach (var part in parts.Skip(1))
            {
                element = element.Element(part) ?? Added(element, new XElement(part));
            }

            if (!written.Add(path))
            {
                return (null, $"'{prefix}{path}' is mapped twice");
            }

            var text = Text(InputText.Of(value));
            if (attribute == "xmlns")
            {
                namespaces.Add((element, XNamespace.Get(text)));
            }
            else if (attribute is not null)
            {
                element.SetAttributeValue(attribute, text);
            }
            else if (element.Nodes().OfType<XText>().Any())
            {
                return (null, $"'{prefix}{path}' writes the text of '{elementPath}' twice; map one of them");
            }
            else
            {
                element.AddFirst(new XText(text));
            }
        }

        foreach (var (element, ns) in namespaces)
        {
            foreach (var named in element.DescendantsAndSelf().Where(e => e.Name.Namespace == XNamespace.None))
            {
                named.Name = ns + named.Name.LocalName;
            }
        }

        return (root, null);
    }

    /// <summary>The document as text, with an XML declaration (UTF-8).</summary>
    public static string Write(XElement root) => Write(root, Writing);

    /// <summary>The element as text without a declaration, to be placed inside another document.</summary>
    public static string WriteFragment(XElement root) => Write(root, WritingFragment);

    /// <summary>
    /// <paramref name="text"/> without the characters XML 1.0 cannot carry at all, even escaped (NUL, most other C0
    /// controls, unpaired surrogates): a recipient's parser would refuse the whole document for one of them.
    /// </summary>
    public static string Text(string text)
    {
        StringBuilder? kept = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                kept?.Append(c).Append(text[i + 1]);
                i++;
            }
            else if (XmlConvert.IsXmlChar(c))
            {
                kept?.Append(c);
            }
            else
            {
                kept ??= new StringBuilder(text.Length).Append(text, 0, i);
            }
        }

        return kept?.ToString() ?? text;
    }

    /// <summary>Text escaped for use anywhere in an XML document's character data or attribute values.</summary>
    public static string Escape(string text) => Text(text)
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\"", "&quot;", StringComparison.Ordinal)
        .Replace("'", "&apos;", StringComparison.Ordinal);

    private static XElement Added(XElement parent, XElement child)
    {
        parent.Add(child);
        return child;
    }

    private static bool IsName(string name)
    {
        try
        {
            return XmlConvert.VerifyNCName(name) == name;
        }
        catch (XmlException)
        {
            return false;
        }
    }

    private static string Write(XElement root, XmlWriterSettings settings)
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, settings))
        {
            root.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }
}
