using System.Text;
using System.Text.RegularExpressions;
using PluggableFlows.Engine.Fields;
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

/// <summary>Where an lhv comes from: a vars path (resolved without allocating) or a template. The commonest lhvs, a lead
/// field and one of its components, have their own sources: one or two lookups, no walk, no type test to read them.</summary>
internal abstract class LhvSource
{
    public abstract object? Resolve(LeadVars vars);

    /// <summary>The value and its <see cref="Scalar"/> reading.</summary>
    public virtual Scalar Read(LeadVars vars, out object? value)
    {
        value = Resolve(vars);
        return Scalar.Of(value);
    }

    /// <param name="path">The path.</param>
    /// <param name="layout">The flow's field layout: a declared field is read by slot from a lead built with it.</param>
    public static LhvSource Of(VarPath path, FieldLayout? layout = null) => path switch
    {
        { Root: VarRoot.LeadField, Rest.Count: 0 } => new FieldSource(new FieldRef(path.Head!, layout)),
        { Root: VarRoot.LeadField, Rest.Count: 1, Component: not ("raw" or "normal" or "valid") } =>
            new ComponentSource(new FieldRef(path.Head!, layout), path.Component!),
        _ => new PathSource(path),
    };

    public static LhvSource Of(RuleTemplate template) => new TemplateSource(template);

    /// <summary><c>lead.state</c>: the field value itself.</summary>
    private sealed class FieldSource(FieldRef field) : LhvSource
    {
        public override object? Resolve(LeadVars vars) => field.Read(vars);

        public override Scalar Read(LeadVars vars, out object? value)
        {
            if (field.Read(vars) is { } fieldValue)
            {
                value = fieldValue;
                return Scalar.OfField(fieldValue);
            }

            value = null;
            return default;
        }
    }

    /// <summary><c>lead.phone_1.area</c>: a component the field type parsed out.</summary>
    private sealed class ComponentSource(FieldRef field, string component) : LhvSource
    {
        public override object? Resolve(LeadVars vars) => field.Read(vars) is { } value ? ComponentMap.Read(value, component) : null;
    }

    private sealed class PathSource(VarPath path) : LhvSource
    {
        public override object? Resolve(LeadVars vars) => path.Resolve(vars);
    }

    private sealed class TemplateSource(RuleTemplate template) : LhvSource
    {
        public override object? Resolve(LeadVars vars) => template.Resolve(vars);
    }
}
