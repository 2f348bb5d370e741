using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Templates;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PluggableFlows.Engine.Flows;

// Reading YAML nodes with a diagnostic for every way a value can be the wrong shape.
internal sealed partial class FlowFileReader
{
    private Section ReadSection(YamlMappingNode node, string where, IReadOnlyList<string> allowed)
    {
        var entries = new Dictionary<string, (YamlScalarNode Key, YamlNode Value)>(StringComparer.Ordinal);
        var suggested = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in node.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } name } scalar)
            {
                Report(keyNode, FlowDiagnosticCodes.InvalidValue, $"Keys in {where} must be text, but found {Describe(keyNode)}.");
                continue;
            }

            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                var nearest = Suggestions.Nearest(name, allowed);
                if (nearest is not null)
                {
                    suggested.Add(nearest);
                }

                Report(keyNode, FlowDiagnosticCodes.UnknownKey, $"Unknown key '{name}' in {where}.",
                    nearest is null ? $"Valid keys here: {string.Join(", ", allowed)}." : $"Did you mean '{nearest}'?");
                continue;
            }

            entries[name] = (scalar, valueNode);
        }

        return new Section(this, node, entries, suggested);
    }

    private YamlMappingNode? ExpectMapping(YamlNode node, string key, string expected)
    {
        if (node is YamlMappingNode mapping)
        {
            return mapping;
        }

        Report(node, FlowDiagnosticCodes.InvalidValue, $"'{key}' must be {expected}, but found {Describe(node)}.");
        return null;
    }

    private YamlSequenceNode? ExpectSequence(YamlNode node, string key, string expected)
    {
        if (node is YamlSequenceNode sequence)
        {
            return sequence;
        }

        Report(node, FlowDiagnosticCodes.InvalidValue, $"'{key}' must be {expected}, but found {Describe(node)}.",
            $"Write a list: one '- item' per line, or [a, b] on one line.");
        return null;
    }

    private string? ReadText(YamlNode node, string key)
    {
        if (node is YamlScalarNode scalar && !IsNull(scalar))
        {
            return scalar.Value;
        }

        Report(node, FlowDiagnosticCodes.InvalidValue, $"'{key}' must be text, but found {Describe(node)}.",
            node is YamlScalarNode ? $"Give '{key}' a value." : "Write a single value; quote it if it contains ': ' or starts with '{' or '['.");
        return null;
    }

    private string? ReadTemplate(YamlNode node, string key)
    {
        var text = ReadText(node, key);
        if (text is not null)
        {
            _templates.Add((YamlScalarNode)node);
        }

        return text;
    }

    /// <summary><c>{ template: crm.json.sbn }</c>: a file under <c>templates/</c>; returns the reference from the scripts folder.</summary>
    private string? ReadTemplateFile(YamlMappingNode mapping, string key)
    {
        var section = ReadSection(mapping, $"input '{key}'", ["template"]);
        if (section["template"] is not { } node || ReadText(node, "template") is not { } name)
        {
            return null;
        }

        var reference = $"{TemplateFiles.Folder}/{name.Trim()}";
        _templateFiles.Add(((YamlScalarNode)node, reference));
        return reference;
    }

    private string? ReadChoice(YamlNode node, string key, IReadOnlyList<string> choices)
    {
        if (ReadText(node, key) is not { } text)
        {
            return null;
        }

        if (choices.Contains(text, StringComparer.Ordinal))
        {
            return text;
        }

        var nearest = Suggestions.Nearest(text, choices);
        Report(node, FlowDiagnosticCodes.InvalidValue, $"'{key}' must be one of {string.Join(", ", choices)}, but found '{text}'.",
            nearest is null ? null : $"Did you mean '{nearest}'?");
        return null;
    }

    private string? ReadId(YamlNode node, string key, string label, System.Text.RegularExpressions.Regex pattern, string hint)
    {
        if (ReadText(node, key) is not { } text)
        {
            return null;
        }

        if (pattern.IsMatch(text))
        {
            return text;
        }

        Report(node, FlowDiagnosticCodes.InvalidId, $"{label} '{text}' is not valid.", hint);
        return null;
    }

    private static string? PeekText(YamlMappingNode mapping, string key) =>
        mapping.Children.FirstOrDefault(pair => pair.Key is YamlScalarNode { Value: var name } && name == key).Value is YamlScalarNode { Value: var value }
            ? value
            : null;

    private static bool HasKey(YamlMappingNode mapping, string key) => KeyNode(mapping, key) is not null;

    private static YamlScalarNode? KeyNode(YamlMappingNode mapping, string key) =>
        mapping.Children.Keys.OfType<YamlScalarNode>().FirstOrDefault(k => k.Value == key);

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode scalar when IsNull(scalar) => "nothing",
        YamlScalarNode scalar => $"'{scalar.Value}'",
        _ => "an alias",
    };

    private void Report(YamlNode node, string code, string message, string? hint = null) =>
        _diagnostics.Report(At(node), code, message, hint);

    private SourceLocation At(YamlNode node) => At(node.Start);

    private SourceLocation At(Mark mark) => new(_file, checked((int)mark.Line), checked((int)mark.Column));

    private SourceLocation AtIndex(int index)
    {
        _lineStarts ??= [0, .. _yaml.Select((c, i) => (c, i)).Where(x => x.c == '\n').Select(x => x.i + 1)];
        var line = Array.BinarySearch(_lineStarts, index);
        if (line < 0)
        {
            line = ~line - 1;
        }

        return new SourceLocation(_file, line + 1, index - _lineStarts[line] + 1);
    }

    /// <summary>The keys of one mapping that were allowed in its place.</summary>
    private sealed class Section(
        FlowFileReader reader,
        YamlMappingNode node,
        Dictionary<string, (YamlScalarNode Key, YamlNode Value)> entries,
        HashSet<string> suggested)
    {
        public YamlMappingNode Node => node;

        public YamlNode? this[string key] => entries.TryGetValue(key, out var entry) ? entry.Value : null;

        /// <summary>Whether an unknown key was reported with <paramref name="key"/> as its "did you mean".</summary>
        public bool WasSuggested(string key) => suggested.Contains(key);

        public YamlScalarNode? KeyOf(string key) => entries.TryGetValue(key, out var entry) ? entry.Key : null;

        public YamlNode? Required(string key, string where, string hint)
        {
            if (entries.TryGetValue(key, out var entry))
            {
                return entry.Value;
            }

            // A misspelled key was already reported as unknown with this key as its hint: one mistake, one error.
            if (!suggested.Contains(key))
            {
                reader.Report(node, FlowDiagnosticCodes.MissingKey, $"Missing required key '{key}' in {where}.", hint);
            }

            return null;
        }
    }
}
