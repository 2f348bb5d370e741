using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Rules;
using YamlDotNet.RepresentationModel;

namespace PluggableFlows.Engine.Flows;

internal sealed partial class FlowFileReader
{
    private static readonly string[] RuleSetKeys = ["op", "rules"];
    private static readonly string[] RuleKeys = ["lhv", "op", "rhv", "case_sensitive", "rule_set"];
    private static readonly string[] RuleSetOperators = ["and", "or", "all", "any"];
    private static readonly string[] ScriptKeys = ["js", "csharp", "rule"];

    private RuleSetDefinition? ReadRuleSet(YamlNode node, string key)
    {
        if (ExpectMapping(node, key, "a rule set { op: and|or, rules: [...] }") is not { } mapping)
        {
            return null;
        }

        if (IsScripted(mapping))
        {
            // A script alone where a rule set belongs is a rule set of that one rule.
            return ReadScriptRule(mapping) is { } script ? new RuleSetDefinition(RuleSetOperator.And, [script], At(mapping)) : null;
        }

        if (HasKey(mapping, "lhv") && !HasKey(mapping, "rules"))
        {
            Report(mapping, FlowDiagnosticCodes.InvalidValue, $"'{key}' must be a rule set, but found a single rule.",
                $"Wrap the rule in a rule set: {key}: {{ op: and, rules: [ {{ lhv: ..., op: ... }} ] }}.");
            return null;
        }

        var section = ReadSection(mapping, "a rule set", RuleSetKeys);
        var op = RuleSetOperator.And;
        if (section["op"] is { } opNode && ReadChoice(opNode, "op", RuleSetOperators) is { } opText)
        {
            op = opText is "or" or "any" ? RuleSetOperator.Or : RuleSetOperator.And;
        }

        if (section.Required("rules", "a rule set", "List the rules, e.g. rules: [ { lhv: lead.email, op: format is valid } ].") is not { } rulesNode
            || ExpectSequence(rulesNode, "rules", "a list of rules") is not { } sequence)
        {
            return null;
        }

        var rules = new List<RuleNode>();
        var complete = true;
        foreach (var item in sequence)
        {
            if (ReadRuleNode(item) is { } rule)
            {
                rules.Add(rule);
            }
            else
            {
                complete = false;
            }
        }

        // A rule set missing a broken rule must not look empty (a filter would report "no rules" on top).
        return complete || rules.Count > 0 ? new RuleSetDefinition(op, rules, At(mapping)) : null;
    }

    private RuleNode? ReadRuleNode(YamlNode node)
    {
        if (ExpectMapping(node, "rules", "a rule { lhv, op, rhv } or a nested rule set { op, rules }") is not { } mapping)
        {
            return null;
        }

        if (IsScripted(mapping))
        {
            return ReadScriptRule(mapping);
        }

        if (HasKey(mapping, "rules"))
        {
            return ReadRuleSet(mapping, "rules");
        }

        var section = ReadSection(mapping, "a rule", RuleKeys);
        var lhvNode = section.Required("lhv", "a rule", "Name what the rule tests, e.g. lhv: lead.email.");
        var lhv = lhvNode is null ? null : ReadText(lhvNode, "lhv");
        var opNode = section.Required("op", "a rule", "Name the operator, e.g. op: is equal to.");
        var op = opNode is null ? null : ReadText(opNode, "op");
        var rhv = section["rhv"] is { } rhvNode ? ReadRuleValue(rhvNode) : null;
        var caseSensitive = section["case_sensitive"] is { } caseNode && ReadBoolean(caseNode, "case_sensitive");
        var child = section["rule_set"] is { } childNode ? ReadRuleSet(childNode, "rule_set") : null;

        if (lhv is null || op is null)
        {
            return null;
        }

        return new RuleDefinition(lhv, op, rhv, At(mapping))
        {
            LhvLocation = At(lhvNode!),
            OperatorLocation = At(opNode!),
            CaseSensitive = caseSensitive,
            RuleSet = child,
        };
    }

    private RuleValue? ReadRuleValue(YamlNode node)
    {
        switch (node)
        {
            case YamlScalarNode scalar:
                if (IsNull(scalar))
                {
                    return null;
                }

                var value = RuleValue.Literal(scalar.Value!, At(scalar));
                if (value.Kind == RuleValueKind.Template)
                {
                    _templates.Add(scalar);
                }

                return value;

            case YamlSequenceNode sequence:
                var items = new List<string>();
                foreach (var item in sequence)
                {
                    if (ReadText(item, "rhv") is { } text)
                    {
                        items.Add(text);
                    }
                }

                return RuleValue.List(items, At(sequence));

            default:
                var mapping = (YamlMappingNode)node;
                var section = ReadSection(mapping, "rhv", ["list"]);
                if (section.Required("list", "rhv", "Name a list file under lists/, e.g. rhv: { list: blocked-states }.") is not { } nameNode
                    || ReadText(nameNode, "list") is not { } name)
                {
                    return null;
                }

                CheckListFile(nameNode, name);
                return RuleValue.ListFile(name, At(mapping));
        }
    }

    private void CheckListFile(YamlNode node, string name)
    {
        if (!IdPatterns.ListName.IsMatch(name) || name.Contains("..", StringComparison.Ordinal))
        {
            Report(node, FlowDiagnosticCodes.InvalidId, $"List name '{name}' is not valid.",
                "Name a file in the lists folder without its .txt extension or a path, e.g. blocked-states.");
            return;
        }

        var listsFolder = Path.Combine(_scriptsRoot, "lists");
        if (File.Exists(Path.Combine(listsFolder, name + ".txt")))
        {
            return;
        }

        var existing = Directory.Exists(listsFolder)
            ? Directory.EnumerateFiles(listsFolder, "*.txt").Select(Path.GetFileNameWithoutExtension).OfType<string>().ToList()
            : [];
        var nearest = Suggestions.Nearest(name, existing);
        Report(node, FlowDiagnosticCodes.ListFileNotFound, $"List file 'lists/{name}.txt' does not exist.",
            nearest is not null ? $"Did you mean '{nearest}'?" : $"Create {Path.Combine(listsFolder, name + ".txt")} with one item per line.");
    }

    // A 'rule' key beside lhv or rules is a misspelled rule_set or rules (reported as an unknown key), not a rule file.
    private static bool IsScripted(YamlMappingNode mapping) =>
        HasKey(mapping, "js") || HasKey(mapping, "csharp") || (HasKey(mapping, "rule") && !HasKey(mapping, "lhv") && !HasKey(mapping, "rules"));

    private ScriptRuleDefinition? ReadScriptRule(YamlMappingNode mapping)
    {
        var section = ReadSection(mapping, "a scripted rule", ScriptKeys);
        var written = ScriptKeys.Where(key => section[key] is not null).ToList();
        if (written.Count > 1)
        {
            Report(KeyNode(mapping, written[1])!, FlowDiagnosticCodes.InvalidValue,
                $"A scripted rule is one of js:, csharp: or rule:, but this one has both {written[0]}: and {written[1]}:.",
                "Split it into two rules in the same rule set.");
            return null;
        }

        if (section["rule"] is { } ruleNode)
        {
            return ReadRuleFile(ruleNode);
        }

        var (key, language, name, example) = section["csharp"] is not null
            ? ("csharp", ScriptLanguage.CSharp, "C#", "csharp: \"lead.state == \\\"TX\\\"\"")
            : ("js", ScriptLanguage.JavaScript, "JavaScript", "js: \"lead.state == 'TX'\"");
        if (section[key] is not { } node || ReadText(node, key) is not { } source)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(source))
        {
            Report(node, FlowDiagnosticCodes.InvalidValue, $"The {name} rule is empty.", $"Write an expression, e.g. {example}.");
            return null;
        }

        return Script(language, source, ExpressionStart(node));
    }

    private static ScriptRuleDefinition Script(ScriptLanguage language, string source, SourceLocation location)
    {
        if (language == ScriptLanguage.JavaScript)
        {
            // The flow runs JavaScript: the first engine of the process (~100 ms of JIT) is made on a thread of its own
            // while the rest of the flow is read and compiled, rather than when its first lead arrives.
            Rules.Scripting.JavaScriptRule.WarmUpInBackground();
        }

        return new ScriptRuleDefinition(language, source, location);
    }

    /// <summary>
    /// Where the expression's first character is: after the opening quote of a quoted scalar; on the line after the
    /// <c>|</c> or <c>&gt;</c> of a block scalar, at the block's indentation.
    /// </summary>
    private SourceLocation ExpressionStart(YamlNode node)
    {
        var at = At(node);
        switch (node)
        {
            case YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.DoubleQuoted or YamlDotNet.Core.ScalarStyle.SingleQuoted }:
                return at with { Column = at.Column + 1 };
            case YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Literal or YamlDotNet.Core.ScalarStyle.Folded }:
                var lineEnd = _yaml.IndexOf('\n', checked((int)node.Start.Index));
                if (lineEnd < 0)
                {
                    return at;
                }

                return new SourceLocation(_file, at.Line + 1, BlockIndentation(lineEnd + 1) + 1);
            default:
                return at;
        }
    }

    /// <summary>The indentation of a block scalar starting at <paramref name="index"/>: that of its first line holding more than spaces.</summary>
    private int BlockIndentation(int index)
    {
        var indent = 0;
        for (var i = index; i < _yaml.Length; i++)
        {
            switch (_yaml[i])
            {
                case ' ':
                    indent++;
                    break;
                case '\r' or '\n':
                    indent = 0;
                    break;
                default:
                    return indent;
            }
        }

        return 0;
    }

    private bool ReadBoolean(YamlNode node, string key)
    {
        if (ReadText(node, key) is not { } text)
        {
            return false;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        Report(node, FlowDiagnosticCodes.InvalidValue, $"'{key}' must be true or false, but found '{text}'.");
        return false;
    }
}
