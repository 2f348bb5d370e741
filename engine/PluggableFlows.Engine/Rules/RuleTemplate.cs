using System.Text;
using System.Text.RegularExpressions;
using PluggableFlows.Engine.Vars;

namespace PluggableFlows.Engine.Rules;

/// <summary>
/// Text with <c>{{ path }}</c> placeholders, split once. A template that is exactly one placeholder resolves to the
/// value itself (a field value, a number, a list); otherwise each placeholder's text is substituted.
/// Deliberately tiny: full Scriban templates arrive with the templates capability.
/// </summary>
internal sealed class RuleTemplate
{
    private static readonly Regex Placeholder = new(@"\{\{\s*(.*?)\s*\}\}", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private readonly object[] _parts;
    private readonly VarPath? _single;

    private RuleTemplate(string text, object[] parts, VarPath? single)
    {
        Text = text;
        _parts = parts;
        _single = single;
    }

    public string Text { get; }

    /// <summary>The paths of every placeholder, for checking at compile time.</summary>
    public IEnumerable<VarPath> Paths => _parts.OfType<VarPath>();

    public static RuleTemplate Parse(string text)
    {
        var parts = new List<object>();
        var at = 0;
        foreach (Match match in Placeholder.Matches(text))
        {
            if (match.Index > at)
            {
                parts.Add(text[at..match.Index]);
            }

            parts.Add(VarPath.Parse(match.Groups[1].Value));
            at = match.Index + match.Length;
        }

        if (at < text.Length)
        {
            parts.Add(text[at..]);
        }

        var placeholders = parts.OfType<VarPath>().ToList();
        var onlyOne = placeholders.Count == 1 && parts.All(p => p is VarPath || string.IsNullOrWhiteSpace((string)p));
        return new RuleTemplate(text, [.. parts], onlyOne ? placeholders[0] : null);
    }

    public object? Resolve(LeadVars vars)
    {
        if (_single is not null)
        {
            return _single.Resolve(vars);
        }

        var text = new StringBuilder();
        foreach (var part in _parts)
        {
            text.Append(part is VarPath path ? RuleText.Of(path.Resolve(vars)) : (string)part);
        }

        return text.ToString();
    }
}

/// <summary>Where an lhv comes from: a vars path (resolved without allocating) or a template.</summary>
internal abstract class LhvSource
{
    public abstract object? Resolve(LeadVars vars);

    public static LhvSource Of(VarPath path) => new PathSource(path);

    public static LhvSource Of(RuleTemplate template) => new TemplateSource(template);

    private sealed class PathSource(VarPath path) : LhvSource
    {
        public override object? Resolve(LeadVars vars) => path.Resolve(vars);
    }

    private sealed class TemplateSource(RuleTemplate template) : LhvSource
    {
        public override object? Resolve(LeadVars vars) => template.Resolve(vars);
    }
}
