using System.Text;
using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Rules;

namespace PluggableFlows.Engine.Flows;

/// <summary>
/// A rule or rule set written on its own, outside a flow file (<c>pflow rules eval --rule "..."</c>), in flow file
/// syntax: <c>{ lhv: lead.state, op: is equal to, rhv: TX }</c>, <c>{ op: or, rules: [...] }</c> or <c>{ js: ... }</c>.
/// </summary>
/// <remarks>
/// The snippet is read by the flow file reader itself, placed as the only rule of an acceptance criteria in a
/// document that declares the flow's fields and step keys, so it accepts exactly what a flow file accepts and
/// reports the same problems in the same words. Every location (in diagnostics and in the rules read) is moved back
/// into the snippet's own text: line and column within it, under the name the caller gives it.
/// </remarks>
public sealed class RuleSnippet
{
    // The snippet's lines sit under "rules:" as one list item; this is how far each is pushed right.
    private const string ItemPrefix = "      - ";
    private static readonly string ContinuationPrefix = new(' ', ItemPrefix.Length);

    private readonly string _name;
    private readonly int _headerLines;
    private readonly string[] _lines;

    private RuleSnippet(string text, string name, int headerLines)
    {
        Text = text;
        _name = name;
        _headerLines = headerLines;
        _lines = text.Split('\n');
    }

    /// <summary>The snippet as given.</summary>
    public string Text { get; }

    /// <summary>The rule set read: the snippet itself when it is a rule set, otherwise an <c>and</c> of its one rule.
    /// Holds what could be read even when there are <see cref="Diagnostics"/>, so a compiler can report its
    /// problems too; null when nothing could be read.</summary>
    public RuleSetDefinition? RuleSet { get; private set; }

    /// <summary>Every problem the reader found, located within the snippet.</summary>
    public IReadOnlyList<FlowDiagnostic> Diagnostics { get; private set; } = [];

    /// <summary>Reads <paramref name="text"/> as a rule or rule set of <paramref name="flow"/>.</summary>
    /// <param name="text">The snippet, in flow file (YAML) syntax.</param>
    /// <param name="name">What diagnostics call the snippet in place of a file name (<c>--rule</c>).</param>
    /// <param name="flow">The flow whose fields and step keys the rule may name.</param>
    /// <param name="options">The reader's options; when they name no scripts root, the flow file's is used.</param>
    public static RuleSnippet Read(string text, string name, FlowDefinition flow, FlowLoaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(options);
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd();

        var (document, headerLines) = Document(text, flow);
        var snippet = new RuleSnippet(text, name, headerLines);
        var loaded = new FlowLoader(WithScriptsRoot(options, flow)).Parse(document, name);
        var ruleSet = loaded.Partial?.AcceptanceCriteria?.RuleSet;
        // A rule set given as the snippet is the rule set evaluated (its rules at depth 0), not a rule of the wrapper.
        var read = ruleSet is { Rules: [RuleSetDefinition given] } ? given : ruleSet;
        snippet.RuleSet = read is null ? null : snippet.Move(read);
        snippet.Diagnostics = loaded.Diagnostics.Select(d => d with { Location = snippet.Move(d.Location) }).ToArray();
        return snippet;
    }

    /// <summary>The flow document the reader reads: the flow's fields, a stand-in filter for each step key, and the
    /// snippet as the one rule of its acceptance criteria.</summary>
    private static (string Document, int HeaderLines) Document(string text, FlowDefinition flow)
    {
        var header = new StringBuilder();
        header.Append("id: ").Append(flow.Id).Append('\n');
        header.Append(flow.Fields.Count == 0 ? "fields: []\n" : "fields:\n");
        foreach (var field in flow.Fields)
        {
            header.Append("  - { id: ").Append(field.Id).Append(", type: ").Append(field.Type).Append(" }\n");
        }

        // Only the keys matter: paths and placeholders may start with them.
        header.Append(flow.Steps.Count == 0 ? "steps: []\n" : "steps:\n");
        foreach (var step in flow.Steps)
        {
            header.Append("  - { key: ").Append(step.Key).Append(", type: filter, stop_if: { js: \"false\" } }\n");
        }

        header.Append("acceptance_criteria:\n  rule_set:\n    op: and\n    rules:\n");
        var headerText = header.ToString();
        var lines = text.Split('\n');
        var document = new StringBuilder(headerText);
        for (var i = 0; i < lines.Length; i++)
        {
            document.Append(i == 0 ? ItemPrefix : ContinuationPrefix).Append(lines[i]).Append('\n');
        }

        return (document.ToString(), headerText.Count(c => c == '\n'));
    }

    private static FlowLoaderOptions WithScriptsRoot(FlowLoaderOptions options, FlowDefinition flow) =>
        options.ScriptsRoot is not null
            ? options
            : new FlowLoaderOptions
            {
                ResolveIntegration = options.ResolveIntegration,
                KnownIntegrationIds = options.KnownIntegrationIds,
                Types = options.Types,
                // Flows live in <scripts>/flows/.
                ScriptsRoot = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(flow.File))) ?? ".",
            };

    /// <summary>A location in the document, as a location in the snippet. Locations elsewhere are left alone.</summary>
    private SourceLocation Move(SourceLocation location)
    {
        if (location.File != _name)
        {
            return location;
        }

        var line = location.Line - _headerLines;
        if (line < 1)
        {
            return new SourceLocation(_name, 1, 1);
        }

        if (line > _lines.Length)
        {
            // Past the end (an unclosed '{' is found there): the end of the last line.
            return new SourceLocation(_name, _lines.Length, _lines[^1].Length + 1);
        }

        return new SourceLocation(_name, line, Math.Max(1, location.Column - ItemPrefix.Length));
    }

    private RuleSetDefinition Move(RuleSetDefinition set) =>
        new(set.Operator, set.Rules.Select(Move).ToArray(), Move(set.Location));

    private RuleNode Move(RuleNode node) => node switch
    {
        RuleSetDefinition set => Move(set),
        RuleDefinition rule => rule with
        {
            Location = Move(rule.Location),
            LhvLocation = Move(rule.LhvLocation),
            OperatorLocation = Move(rule.OperatorLocation),
            Rhv = rule.Rhv is null ? null : rule.Rhv with { Location = Move(rule.Rhv.Location) },
            RuleSet = rule.RuleSet is null ? null : Move(rule.RuleSet),
        },
        _ => node with { Location = Move(node.Location) },
    };
}
