using System.Text;
using System.Text.RegularExpressions;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;
using Scriban;
using Scriban.Parsing;
using Scriban.Syntax;

namespace PluggableFlows.Engine.Templates;

/// <summary>
/// A Scriban template from a flow (a step input, a delivery body, a reason), parsed once when the flow loads.
/// Text that is only literal text and plain <c>{{ path }}</c> placeholders renders by substitution, without Scriban;
/// a template that is exactly one placeholder yields the typed value (the parsed phone, not its text).
/// </summary>
public sealed partial class FlowTemplate
{
    private static readonly string[] FixedRoots = ["lead", "source", "flow", "submission", "random"];
    private readonly TemplateEngine _engine;
    private readonly IReadOnlySet<string> _stepKeys;
    private readonly Template? _scriban;
    private readonly Segment[]? _segments;

    internal FlowTemplate(TemplateEngine engine, string text, TemplateFormat format, IReadOnlySet<string> stepKeys)
    {
        _engine = engine;
        _stepKeys = stepKeys;
        Text = text;
        Format = format;
        _segments = TrySplit(text, stepKeys);
        if (_segments is null)
        {
            _scriban = Template.Parse(text, lexerOptions: new LexerOptions { Mode = ScriptMode.Default });
            Errors = _scriban.HasErrors
                ? _scriban.Messages
                    .Where(m => m.Type == ParserMessageType.Error)
                    .Select(m => new TemplateError(m.Message, m.Span.Start.Line + 1, m.Span.Start.Column + 1))
                    .ToArray()
                : [];
        }
        else
        {
            Errors = [];
        }
    }

    /// <summary>The template as written.</summary>
    public string Text { get; }

    /// <summary>What the template renders; values are escaped for it.</summary>
    public TemplateFormat Format { get; }

    /// <summary>Syntax errors, at lines and columns of <see cref="Text"/>; empty when the template can render.</summary>
    public IReadOnlyList<TemplateError> Errors { get; }

    /// <summary>True when the template has no code at all.</summary>
    public bool IsConstant => _segments is not null && _segments.All(s => s.Path is null);

    /// <summary>True when the template renders by plain substitution (no Scriban evaluation).</summary>
    internal bool IsSubstitution => _segments is not null;

    /// <summary>Checks a template's syntax only: what <see cref="Errors"/> would hold.</summary>
    public static IReadOnlyList<TemplateError> CheckSyntax(string text) =>
        TemplateEngine.Default.Parse(text).Errors;

    /// <summary>Renders to text. Throws <see cref="TemplateRenderException"/> when the template fails (unknown
    /// member, a limit reached, a helper given a bad value).</summary>
    public string Render(LeadVars vars)
    {
        ArgumentNullException.ThrowIfNull(vars);
        return _segments is not null ? Substitute(_segments, vars) : RenderScriban(vars);
    }

    /// <summary>Renders to a value: the typed value when the template is exactly one placeholder, otherwise text.</summary>
    public object? RenderValue(LeadVars vars) =>
        _segments is [{ Path: { } path }] && Format == TemplateFormat.Text ? Resolve(path, vars) : Render(vars);

    private string RenderScriban(LeadVars vars)
    {
        if (Errors.Count > 0)
        {
            throw new TemplateRenderException($"The template does not parse: {Errors[0].Message}");
        }

        var pool = _engine.Pool;
        var context = pool.Rent();
        string output;
        try
        {
            context.Begin(vars, _stepKeys, Format);
            output = _scriban!.Render(context);
        }
        catch (ScriptRuntimeException e)
        {
            throw new TemplateRenderException(Describe(e));
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or OverflowException
                                      or RegexMatchTimeoutException or PhoneNumbers.NumberParseException)
        {
            throw new TemplateRenderException($"Template failed: {e.Message}", e);
        }

        pool.Return(context);
        return output;
    }

    private string Substitute(Segment[] segments, LeadVars vars)
    {
        if (segments.Length == 1)
        {
            return segments[0].Literal ?? Write(Resolve(segments[0].Path!, vars));
        }

        var builder = new StringBuilder(Text.Length + 64);
        foreach (var segment in segments)
        {
            builder.Append(segment.Literal ?? Write(Resolve(segment.Path!, vars)));
        }

        return builder.ToString();
    }

    private string Write(object? value) => TemplateEscaping.Escape(Format, TextTemplate.Format(value));

    // Same strictness as a Scriban render: a component a field type does not have is an error, not a blank.
    private static object? Resolve(VarPath path, LeadVars vars)
    {
        var value = path.Resolve(vars);
        if (value is null && path is { Root: VarRoot.LeadField, Component: { } component }
            && component is not ("raw" or "normal" or "valid" or "type")
            && vars.Fields.TryGetValue(path.Head!, out var field) && !field.Components.ContainsKey(component))
        {
            throw new TemplateRenderException(
                $"{path.Text}: a {field.Type} value has no component '{component}'; it has raw, normal, valid{string.Concat(field.Components.Keys.Select(k => ", " + k))}.");
        }

        return value;
    }

    private static string Describe(ScriptRuntimeException e)
    {
        var span = e.Span;
        return $"Template error at line {span.Start.Line + 1}, column {span.Start.Column + 1}: {e.OriginalMessage}";
    }

    /// <summary>Splits text made only of literals and plain placeholders whose roots are known; null otherwise.</summary>
    private static Segment[]? TrySplit(string text, IReadOnlySet<string> stepKeys)
    {
        var segments = new List<Segment>();
        var position = 0;
        foreach (Match match in PlaceholderPattern().Matches(text))
        {
            if (match.Index > position)
            {
                segments.Add(new Segment(text[position..match.Index], null));
            }

            var path = VarPath.Parse(match.Groups["path"].Value);
            var root = match.Groups["path"].Value.Split('.')[0];
            if (path.Root == VarRoot.Invalid || !(FixedRoots.Contains(root) || stepKeys.Contains(root)))
            {
                return null;
            }

            segments.Add(new Segment(null, path));
            position = match.Index + match.Length;
        }

        if (position < text.Length)
        {
            var rest = text[position..];
            if (rest.Contains("{{", StringComparison.Ordinal) || rest.Contains("}}", StringComparison.Ordinal))
            {
                return null;
            }

            segments.Add(new Segment(rest, null));
        }

        // Literal text between placeholders must hold no code markers either.
        return segments.Any(s => s.Literal is { } literal && (literal.Contains("{{", StringComparison.Ordinal) || literal.Contains("}}", StringComparison.Ordinal)))
            ? null
            : [.. segments];
    }

    [GeneratedRegex(@"\{\{[ \t]*(?<path>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)[ \t]*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex PlaceholderPattern();

    private sealed record Segment(string? Literal, VarPath? Path);
}
