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
        _segments = TrySplit(text, stepKeys, engine.Functions);
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
        _segments is [{ Path: { } path, Pipeline: [] }] && Format == TemplateFormat.Text ? Resolve(path, vars) : Render(vars);

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
            return segments[0].Literal ?? Write(segments[0], vars);
        }

        var builder = new StringBuilder(Text.Length + 64);
        foreach (var segment in segments)
        {
            builder.Append(segment.Literal ?? Write(segment, vars));
        }

        return builder.ToString();
    }

    // Exactly what a Scriban render writes: the value through its functions, escaped unless a function already encoded it.
    private string Write(Segment segment, LeadVars vars)
    {
        var value = Resolve(segment.Path!, vars);
        foreach (var call in segment.Pipeline)
        {
            var arguments = new object?[call.Arguments.Length + 1];
            arguments[0] = value;
            call.Arguments.CopyTo(arguments, 1);
            try
            {
                value = call.Function.Call(arguments);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or PhoneNumbers.NumberParseException)
            {
                throw new TemplateRenderException($"Template failed: {e.Message}", e);
            }
        }

        return value is RawText raw ? raw.Text : TemplateEscaping.Escape(Format, TextTemplate.Format(value));
    }

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

    /// <summary>
    /// Splits text made only of literals and placeholders that are a known path, optionally piped through the engine's
    /// own functions with quoted arguments (<c>{{ lead.email | md5 'salt' }}</c>); null for anything else.
    /// </summary>
    private static Segment[]? TrySplit(string text, IReadOnlySet<string> stepKeys, IReadOnlyDictionary<string, TemplateFunction> functions)
    {
        var segments = new List<Segment>();
        var position = 0;
        foreach (Match match in PlaceholderPattern().Matches(text))
        {
            if (match.Index > position)
            {
                segments.Add(new Segment(text[position..match.Index], null, []));
            }

            var written = match.Groups["path"].Value;
            var path = VarPath.Parse(written);
            var root = written.Split('.')[0];
            if (path.Root == VarRoot.Invalid || !(FixedRoots.Contains(root) || stepKeys.Contains(root)))
            {
                return null;
            }

            var calls = new List<Call>();
            var names = match.Groups["fn"].Captures;
            var arguments = match.Groups["args"].Captures;
            for (var i = 0; i < names.Count; i++)
            {
                var literals = ArgumentPattern().Matches(arguments[i].Value).Select(a => (object?)a.Groups["text"].Value).ToArray();
                if (!functions.TryGetValue(names[i].Value, out var function) || !function.Accepts(literals.Length + 1))
                {
                    return null;
                }

                calls.Add(new Call(function, literals));
            }

            segments.Add(new Segment(null, path, [.. calls]));
            position = match.Index + match.Length;
        }

        if (position < text.Length)
        {
            segments.Add(new Segment(text[position..], null, []));
        }

        // Literal text must hold no code markers: anything else is Scriban's to render.
        return segments.Any(s => s.Literal is { } literal && (literal.Contains("{{", StringComparison.Ordinal) || literal.Contains("}}", StringComparison.Ordinal)))
            ? null
            : [.. segments];
    }

    [GeneratedRegex(@"\{\{[ \t]*(?<path>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)[ \t]*(?:\|[ \t]*(?<fn>[a-z][a-z0-9_]*)(?<args>(?:[ \t]+'[^'\\\r\n{}]*')*)[ \t]*)*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex(@"'(?<text>[^']*)'", RegexOptions.CultureInvariant)]
    private static partial Regex ArgumentPattern();

    private sealed record Call(TemplateFunction Function, object?[] Arguments);

    private sealed record Segment(string? Literal, VarPath? Path, Call[] Pipeline);
}
