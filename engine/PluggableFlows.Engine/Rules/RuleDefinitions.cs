using PluggableFlows.Engine.Diagnostics;

namespace PluggableFlows.Engine.Rules;

/// <summary>How a rule set combines its rules.</summary>
public enum RuleSetOperator
{
    /// <summary>Every rule must pass (<c>and</c>, alias <c>all</c>).</summary>
    And,

    /// <summary>At least one rule must pass (<c>or</c>, alias <c>any</c>).</summary>
    Or,
}

/// <summary>Anything that can stand where a rule stands.</summary>
/// <param name="Location">Where it starts in its file.</param>
public abstract record RuleNode(SourceLocation Location);

/// <summary><c>{ op: and|or, rules: [...] }</c>. An empty rule set passes.</summary>
public sealed record RuleSetDefinition(RuleSetOperator Operator, IReadOnlyList<RuleNode> Rules, SourceLocation Location)
    : RuleNode(Location);

/// <summary>
/// <c>{ lhv, op, rhv }</c>, optionally with a child <c>rule_set</c> that must also pass.
/// </summary>
public sealed record RuleDefinition : RuleNode
{
    /// <summary>Creates a rule.</summary>
    public RuleDefinition(string lhv, string op, RuleValue? rhv, SourceLocation location) : base(location)
    {
        Lhv = lhv;
        Operator = op;
        Rhv = rhv;
        LhvLocation = location;
        OperatorLocation = location;
    }

    /// <summary>The left-hand value: a vars path, or a template.</summary>
    public string Lhv { get; init; }

    /// <summary>The operator exactly as written (<c>is equal to</c>).</summary>
    public string Operator { get; init; }

    /// <summary>The right-hand value; null for operators that take none (<c>is blank</c>).</summary>
    public RuleValue? Rhv { get; init; }

    /// <summary>Compare text case-sensitively (off by default, as in LeadConduit).</summary>
    public bool CaseSensitive { get; init; }

    /// <summary>A child rule set that must pass too.</summary>
    public RuleSetDefinition? RuleSet { get; init; }

    /// <summary>Where the lhv is written.</summary>
    public SourceLocation LhvLocation { get; init; }

    /// <summary>Where the operator is written.</summary>
    public SourceLocation OperatorLocation { get; init; }
}

/// <summary>How a right-hand value is written.</summary>
public enum RuleValueKind
{
    /// <summary>Literal text (numbers and booleans in YAML arrive as their text).</summary>
    Literal,

    /// <summary>A YAML list of literals.</summary>
    List,

    /// <summary>Text with <c>{{ path }}</c> placeholders, rendered per lead.</summary>
    Template,

    /// <summary><c>{ list: name }</c>: the lines of <c>scripts/lists/&lt;name&gt;.txt</c>.</summary>
    ListFile,
}

/// <summary>A right-hand value.</summary>
/// <param name="Kind">How it is written.</param>
/// <param name="Text">The literal, template text or list-file name (not for <see cref="RuleValueKind.List"/>).</param>
/// <param name="Items">The items of a <see cref="RuleValueKind.List"/>.</param>
/// <param name="Location">Where it is written.</param>
public sealed record RuleValue(RuleValueKind Kind, string? Text, IReadOnlyList<string>? Items, SourceLocation Location)
{
    /// <summary>A literal.</summary>
    public static RuleValue Literal(string text, SourceLocation location = default) =>
        new(text.Contains("{{", StringComparison.Ordinal) ? RuleValueKind.Template : RuleValueKind.Literal, text, null, location);

    /// <summary>A list literal.</summary>
    public static RuleValue List(IReadOnlyList<string> items, SourceLocation location = default) =>
        new(RuleValueKind.List, null, items, location);

    /// <summary>A named list file.</summary>
    public static RuleValue ListFile(string name, SourceLocation location = default) =>
        new(RuleValueKind.ListFile, name, null, location);
}

/// <summary>The language of a scripted rule.</summary>
public enum ScriptLanguage
{
    /// <summary><c>{ js: "&lt;expression&gt;" }</c>, run by Jint in a sandbox.</summary>
    JavaScript,

    /// <summary><c>{ csharp: "&lt;expression&gt;" }</c>, compiled by Roslyn with the flow's other C# rules, checked against an allow-list and run with loop and recursion budgets.</summary>
    CSharp,
}

/// <summary>
/// A rule written in a script language, inline (<c>{ js: ... }</c>) or in a rule file (<c>{ rule: high-intent }</c>);
/// it passes when the script's value is truthy.
/// </summary>
/// <param name="Language">The script language.</param>
/// <param name="Source">The script as written: the inline text, or the rule file's whole text.</param>
/// <param name="Location">Where the script's first character is: in the flow file, or line 1, column 1 of the rule file.</param>
public sealed record ScriptRuleDefinition(ScriptLanguage Language, string Source, SourceLocation Location) : RuleNode(Location)
{
    /// <summary>For a rule read from a rule file, its path in the scripts folder (<c>rules/high-intent.js</c>); null for a script written inline.</summary>
    public string? RuleFile { get; init; }
}
