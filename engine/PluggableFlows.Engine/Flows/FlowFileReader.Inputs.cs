using PluggableFlows.Engine.Rules;
using YamlDotNet.RepresentationModel;

namespace PluggableFlows.Engine.Flows;

// Conditional inputs: an input written as alternatives [{ value, when }, ...], the first that applies gives the value.
internal sealed partial class FlowFileReader
{
    private static readonly string[] InputAlternativeKeys = ["value", "when"];

    /// <summary>Reads the alternatives that could be read; every problem is reported.</summary>
    private List<InputAlternative> ReadInputAlternatives(YamlSequenceNode sequence, string name)
    {
        var alternatives = new List<InputAlternative>();
        if (sequence.Children.Count == 0)
        {
            Report(sequence, FlowDiagnosticCodes.InvalidValue, $"Input '{name}' has an empty list of alternatives, so it is never set.",
                $"List at least one alternative, e.g. - {{ value: \"{{{{ lead.{name} }}}}\" }}, or remove the input.");
            return alternatives;
        }

        var where = $"an alternative of input '{name}'";
        YamlNode? fallback = null;
        var reportedUnreachable = false;
        foreach (var item in sequence)
        {
            if (ExpectMapping(item, name, "a list of alternatives { value, when }") is not { } mapping)
            {
                continue;
            }

            if (fallback is not null && !reportedUnreachable)
            {
                reportedUnreachable = true;
                Report(mapping, FlowDiagnosticCodes.InvalidValue,
                    $"Input '{name}' has an alternative without when at line {fallback.Start.Line}, so this alternative and those after it are never used.",
                    "An alternative without when always applies: give it a when, or move it to the end as the fallback.");
            }

            var section = ReadSection(mapping, where, InputAlternativeKeys);
            var valueNode = section.Required("value", where, $"Give the alternative the input's value, e.g. value: \"{{{{ lead.{name} }}}}\".");
            var value = valueNode is null ? null : ReadTemplate(valueNode, "value");
            var whenNode = section["when"];
            var when = whenNode is null ? null : ReadCondition(whenNode);
            if (whenNode is null)
            {
                fallback ??= mapping;
            }

            if (value is not null && (whenNode is null || when is not null))
            {
                alternatives.Add(new InputAlternative(value, when, At(mapping)));
            }
        }

        return alternatives;
    }

    /// <summary>
    /// An alternative's <c>when</c>: a rule set, a script or rule file, or, since an alternative's condition is often
    /// one comparison, a single rule <c>{ lhv, op, rhv }</c>.
    /// </summary>
    private RuleSetDefinition? ReadCondition(YamlNode node)
    {
        if (node is YamlMappingNode mapping && HasKey(mapping, "lhv") && !HasKey(mapping, "rules"))
        {
            return ReadRuleNode(mapping) is { } rule ? new RuleSetDefinition(RuleSetOperator.And, [rule], At(mapping)) : null;
        }

        return ReadRuleSet(node, "when");
    }
}
