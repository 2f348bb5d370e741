using System.Globalization;
using System.Text;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Templates;

/// <summary>
/// Text with <c>{{ path }}</c> placeholders (step inputs, reasons), split once when the flow loads.
/// A text that is exactly one placeholder yields the typed value itself, so an input mapped as
/// <c>"{{ lead.phone_1 }}"</c> reaches the integration as the parsed phone, not as text.
/// </summary>
public sealed class TextTemplate
{
    private readonly Segment[] _segments;

    private TextTemplate(string text, Segment[] segments)
    {
        Text = text;
        _segments = segments;
    }

    /// <summary>The template as written.</summary>
    public string Text { get; }

    /// <summary>Paths the template reads.</summary>
    public IEnumerable<VarPath> Paths => _segments.Where(s => s.Path is not null).Select(s => s.Path!);

    /// <summary>True when the template has no placeholders.</summary>
    public bool IsConstant => _segments.All(s => s.Path is null);

    /// <summary>Splits <paramref name="text"/> into literal text and placeholders. An unclosed <c>{{</c> stays literal.</summary>
    public static TextTemplate Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var segments = new List<Segment>();
        var position = 0;
        while (position < text.Length)
        {
            var open = text.IndexOf("{{", position, StringComparison.Ordinal);
            var close = open < 0 ? -1 : text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (open < 0 || close < 0)
            {
                segments.Add(new Segment(text[position..], null));
                break;
            }

            if (open > position)
            {
                segments.Add(new Segment(text[position..open], null));
            }

            segments.Add(new Segment(null, VarPath.Parse(text[(open + 2)..close])));
            position = close + 2;
        }

        return new TextTemplate(text, [.. segments]);
    }

    /// <summary>Renders to text.</summary>
    public string Render(LeadVars vars)
    {
        if (_segments.Length == 1)
        {
            return _segments[0].Literal ?? Format(_segments[0].Path!.Resolve(vars));
        }

        var builder = new StringBuilder();
        foreach (var segment in _segments)
        {
            builder.Append(segment.Literal ?? Format(segment.Path!.Resolve(vars)));
        }

        return builder.ToString();
    }

    /// <summary>Renders to a value: the typed value when the template is exactly one placeholder, otherwise text.</summary>
    public object? RenderValue(LeadVars vars) =>
        _segments is [{ Path: { } path }] ? path.Resolve(vars) : Render(vars);

    /// <summary>How a value reads when put into text.</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        string text => text,
        FieldValue field => field.Normal,
        bool flag => flag ? "true" : "false",
        DateTimeOffset instant => instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private sealed record Segment(string? Literal, VarPath? Path);
}
