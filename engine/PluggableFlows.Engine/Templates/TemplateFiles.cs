namespace PluggableFlows.Engine.Templates;

/// <summary>Template files under <c>scripts/templates/</c>: how flows refer to them and what format a name implies.</summary>
public static class TemplateFiles
{
    /// <summary>The folder, beside <c>flows/</c> and <c>lists/</c>, that holds template files.</summary>
    public const string Folder = "templates";

    private static readonly string[] Extensions = [".sbn", ".scriban"];

    /// <summary>Whether an input value names a template file (<c>templates/crm.json.sbn</c>) rather than being a template.</summary>
    public static bool IsReference(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        return !trimmed.Contains("{{", StringComparison.Ordinal) && !trimmed.Contains('\n', StringComparison.Ordinal)
            && !trimmed.Contains(' ', StringComparison.Ordinal)
            && Extensions.Any(e => trimmed.EndsWith(e, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The full path of a reference, or null when it points outside the templates folder.</summary>
    public static string? Resolve(string scriptsRoot, string reference)
    {
        ArgumentNullException.ThrowIfNull(scriptsRoot);
        ArgumentNullException.ThrowIfNull(reference);
        var folder = Path.GetFullPath(Path.Combine(scriptsRoot, Folder)) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.Combine(scriptsRoot, reference.Trim()));
        return full.StartsWith(folder, StringComparison.Ordinal) ? full : null;
    }

    /// <summary>The format a file name implies: <c>*.json.sbn</c> JSON, <c>*.xml.sbn</c>/<c>*.soap.sbn</c> XML,
    /// <c>*.form.sbn</c>/<c>*.query.sbn</c> form encoding; otherwise null.</summary>
    public static TemplateFormat? FormatOfFile(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var name = Path.GetFileName(reference.Trim()).ToLowerInvariant();
        return name.Contains(".json.", StringComparison.Ordinal) ? TemplateFormat.Json
            : name.Contains(".xml.", StringComparison.Ordinal) || name.Contains(".soap.", StringComparison.Ordinal) ? TemplateFormat.Xml
            : name.Contains(".form.", StringComparison.Ordinal) || name.Contains(".query.", StringComparison.Ordinal) ? TemplateFormat.Form
            : null;
    }

    /// <summary>The format of a step's <c>body</c> input from its integration (<c>http.json</c> JSON, <c>http.xml</c> and
    /// <c>http.soap</c> XML, <c>http.form</c> and <c>http.query</c> form); Text for every other input.</summary>
    public static TemplateFormat FormatOfInput(string integration, string input, string? reference = null)
    {
        ArgumentNullException.ThrowIfNull(integration);
        if (reference is not null && FormatOfFile(reference) is { } fromFile)
        {
            return fromFile;
        }

        if (input != "body")
        {
            return TemplateFormat.Text;
        }

        var kind = integration[(integration.LastIndexOf('.') + 1)..];
        return kind switch
        {
            "json" => TemplateFormat.Json,
            "xml" or "soap" => TemplateFormat.Xml,
            "form" or "query" => TemplateFormat.Form,
            _ => TemplateFormat.Text,
        };
    }
}
