using System.Text.RegularExpressions;
using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Rules;

/// <summary>Compiles declarative rule sets to delegates, once, when a flow loads.</summary>
public sealed class RuleCompiler
{
    /// <summary>Roots every path may start with besides step keys.</summary>
    private static readonly string[] FixedRoots = ["lead", "source", "flow", "submission", "random"];

    private readonly RuleCompilationContext _context;
    private readonly CSharp.CSharpRuleBatch _csharp;

    /// <summary>Creates a compiler for one flow.</summary>
    public RuleCompiler(RuleCompilationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _csharp = new CSharp.CSharpRuleBatch(context);
    }

    /// <summary>Compiles <paramref name="ruleSet"/>; problems (unknown operator, unknown field, bad regex,
    /// missing list file, missing rhv) go to <paramref name="diagnostics"/> and the rule compiles to "false".</summary>
    public CompiledRuleSet Compile(RuleSetDefinition ruleSet, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(ruleSet);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var root = CompileSet(ruleSet, diagnostics);
        return new CompiledRuleSet(ruleSet, root);
    }

    /// <summary>Completes what <see cref="Compile"/> deferred: every C# rule of the rule sets compiled so far is
    /// compiled together, in one compilation. Call it once, after the last <see cref="Compile"/>; rule sets with C#
    /// rules evaluate to an error until it has run.</summary>
    public void Finish(DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        _csharp.Build(diagnostics);
    }

    private RuleSetEvaluator CompileSet(RuleSetDefinition ruleSet, DiagnosticBag diagnostics)
    {
        var rules = new RuleNodeEvaluator[ruleSet.Rules.Count];
        for (var i = 0; i < rules.Length; i++)
        {
            rules[i] = ruleSet.Rules[i] switch
            {
                RuleSetDefinition nested => new NestedSet(CompileSet(nested, diagnostics)),
                RuleDefinition rule => CompileRule(rule, diagnostics),
                ScriptRuleDefinition { Language: ScriptLanguage.JavaScript } script => CompileScript(script, diagnostics),
                ScriptRuleDefinition { Language: ScriptLanguage.CSharp } script => CompileCSharp(script),
                var other => Unsupported(other, diagnostics),
            };
        }

        return new RuleSetEvaluator(ruleSet.Operator, rules);
    }

    private RuleNodeEvaluator CompileScript(ScriptRuleDefinition script, DiagnosticBag diagnostics) =>
        Scripting.JavaScriptRule.Compile(script, _context, diagnostics) is { } rule
            ? new Scripting.ScriptRuleEvaluator(script, rule)
            : new RuleEvaluator(new RuleDefinition(script.Source, "js", null, script.Location), null, NeverCondition.Instance, false, null, null, null, null);

    private CSharp.CSharpRuleEvaluator CompileCSharp(ScriptRuleDefinition script) => new(script, _csharp.Add(script));

    private static RuleEvaluator Unsupported(RuleNode node, DiagnosticBag diagnostics)
    {
        diagnostics.Report(node.Location, RuleDiagnosticCodes.UnsupportedRule,
            $"'{node.GetType().Name}' cannot be compiled as a declarative rule.",
            "Write { lhv, op, rhv } or a nested { op, rules } rule set.");
        return new RuleEvaluator(new RuleDefinition("", "", null, node.Location), null, NeverCondition.Instance, false, null, null, null, null);
    }

    private RuleEvaluator CompileRule(RuleDefinition rule, DiagnosticBag diagnostics)
    {
        var errors = diagnostics.Items.Count;
        var (lhv, lhvFieldType, rhvParseType) = CompileLhv(rule, diagnostics);
        var op = CompileOperator(rule, diagnostics);
        var comparison = rule.CaseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        Func<string, FieldValue?> parseAsLhvType = rhvParseType is null ? static _ => null : text => ParseAs(rhvParseType, text);

        RuleCondition? condition = null;
        if (op is not null && CheckRhvPresence(rule, op, diagnostics))
        {
            if (rule.Rhv is { Kind: RuleValueKind.Template } template)
            {
                CheckTemplatePaths(template.Text ?? "", Where(template.Location, rule), diagnostics);
            }

            condition = CompileCondition(rule, op, comparison, parseAsLhvType, diagnostics);
        }

        var child = rule.RuleSet is null ? null : CompileSet(rule.RuleSet, diagnostics);
        var failed = diagnostics.Items.Count > errors || condition is null;
        // A trace must not leak an ssn or credential through a template, on either side, nor through the rhv it is
        // compared with (which, when it matches, is the same secret).
        var rhvTemplatePaths = rule.Rhv is { Kind: RuleValueKind.Template, Text: { } text } ? RuleTemplate.Parse(text).Paths : [];
        var lhvMaskType = lhvFieldType ?? (rule.Lhv.Contains("{{", StringComparison.Ordinal) ? SensitiveType(RuleTemplate.Parse(rule.Lhv).Paths) : null);
        var rhvMaskType = IsSensitive(lhvMaskType) ? lhvMaskType : SensitiveType(rhvTemplatePaths);
        return new RuleEvaluator(rule, lhv, failed ? NeverCondition.Instance : condition!, !failed && op!.Negated, child,
            DescribeWritten(rule.Rhv), lhvMaskType, rhvMaskType);
    }

    private (LhvSource? Source, string? FieldType, string? RhvParseType) CompileLhv(RuleDefinition rule, DiagnosticBag diagnostics)
    {
        var location = Where(rule.LhvLocation, rule);
        if (string.IsNullOrWhiteSpace(rule.Lhv))
        {
            diagnostics.Report(location, RuleDiagnosticCodes.EmptyLhv, "The rule has no lhv: nothing to compare.",
                "Write a vars path such as lead.email or phone_check.outcome.");
            return (null, null, null);
        }

        if (rule.Lhv.Contains("{{", StringComparison.Ordinal))
        {
            var template = CheckTemplatePaths(rule.Lhv, location, diagnostics);
            return (LhvSource.Of(template), null, null);
        }

        var path = VarPath.Parse(rule.Lhv);
        CheckPath(path, location, diagnostics);
        var fieldType = path.Root == VarRoot.LeadField ? _context.FieldTypeOf(path.Head!) : null;
        // Only the field's own value (not a component like lead.phone_1.area) reads the rhv as the field's type.
        var parseType = path.Component is null or "normal" ? fieldType : null;
        return (LhvSource.Of(path, _context.Layout), fieldType, parseType);
    }

    private RuleTemplate CheckTemplatePaths(string text, SourceLocation location, DiagnosticBag diagnostics)
    {
        var template = RuleTemplate.Parse(text);
        foreach (var path in template.Paths)
        {
            CheckPath(path, location, diagnostics);
        }

        return template;
    }

    private void CheckPath(VarPath path, SourceLocation location, DiagnosticBag diagnostics)
    {
        switch (path.Root)
        {
            case VarRoot.Invalid:
                diagnostics.Report(location, RuleDiagnosticCodes.EmptyLhv, $"'{path.Text}' names no value.",
                    "Write lead.<field id> (lead.email), or <step key>.<name>.");
                break;
            case VarRoot.LeadField when _context.FieldTypeOf(path.Head!) is null:
                var field = Suggestions.Nearest(path.Head!, _context.FieldIds);
                diagnostics.Report(location, RuleDiagnosticCodes.UnknownField, $"Unknown field {path.Head} in '{path.Text}'.",
                    field is not null
                        ? $"Did you mean lead.{field}?"
                        : "Declare the field under fields: in the flow, or use a standard field id.");
                break;
            case VarRoot.Step when !_context.StepKeys.Contains(path.Head!):
                var root = Suggestions.Nearest(path.Head!, FixedRoots.Concat(_context.StepKeys));
                diagnostics.Report(location, RuleDiagnosticCodes.UnknownStepKey, $"Unknown step key {path.Head} in '{path.Text}'.",
                    root is not null
                        ? $"Did you mean {root}?"
                        : $"Paths start with lead, source, flow, submission, random or a step key of this flow ({string.Join(", ", _context.StepKeys.Order(StringComparer.Ordinal))}).");
                break;
        }
    }

    private static RuleOperatorName? CompileOperator(RuleDefinition rule, DiagnosticBag diagnostics)
    {
        var op = RuleOperators.Find(rule.Operator);
        if (op is null)
        {
            var written = rule.Operator ?? "";
            var nearest = Suggestions.Nearest(RuleOperators.Normalize(written), RuleOperators.Names);
            diagnostics.Report(Where(rule.OperatorLocation, rule), RuleDiagnosticCodes.UnknownOperator,
                $"Unknown operator '{written}'.",
                nearest is not null ? $"Did you mean '{nearest}'?" : "Operators: " + string.Join(", ", RuleOperators.Names) + ".");
        }

        return op;
    }

    private static bool CheckRhvPresence(RuleDefinition rule, RuleOperatorName op, DiagnosticBag diagnostics)
    {
        var rhv = rule.Rhv;
        var missing = rhv is null
            || (rhv.Kind is RuleValueKind.Literal or RuleValueKind.Template or RuleValueKind.ListFile && string.IsNullOrWhiteSpace(rhv.Text))
            || (rhv.Kind == RuleValueKind.List && (rhv.Items is null || rhv.Items.All(string.IsNullOrWhiteSpace)));
        if (op.TakesRhv && missing)
        {
            diagnostics.Report(Where(rhv?.Location ?? default, rule), RuleDiagnosticCodes.MissingRhv,
                $"Operator '{op.Name}' needs an rhv to compare '{rule.Lhv}' with, but none is given.",
                op.Operator == RuleOperator.IsEqualTo
                    ? $"Add rhv: <value>; to test for an empty value use '{(op.Negated ? "is not blank" : "is blank")}'."
                    : "Add rhv: <value>.");
            return false;
        }

        if (!op.TakesRhv && !missing)
        {
            diagnostics.Report(Where(rhv!.Location, rule), RuleDiagnosticCodes.UnexpectedRhv,
                $"Operator '{op.Name}' takes no rhv, but '{DescribeWritten(rhv)}' is given.",
                "Remove the rhv, or use an operator that compares with a value, such as 'is equal to'.");
            return false;
        }

        return true;
    }

    private RuleCondition? CompileCondition(RuleDefinition rule, RuleOperatorName op, StringComparison comparison,
        Func<string, FieldValue?> parseAsLhvType, DiagnosticBag diagnostics)
    {
        var rhv = rule.Rhv;
        switch (op.Operator)
        {
            case RuleOperator.IsBlank: return new BlankCondition();
            case RuleOperator.IsTrue: return new TruthCondition(true);
            case RuleOperator.IsFalse: return new TruthCondition(false);
            case RuleOperator.FormatIsValid: return new ValidCondition();
            case RuleOperator.IsObscene: return new ObsceneCondition();
            case RuleOperator.IsBetween: return CompileBetween(rule, rhv!, comparison, parseAsLhvType, diagnostics);
            case RuleOperator.IsIncludedIn: return CompileIncludedIn(rule, rhv!, comparison, parseAsLhvType, diagnostics);
            case RuleOperator.MatchesPattern: return CompilePattern(rule, rhv!, diagnostics);
        }

        if (rhv!.Kind is RuleValueKind.List or RuleValueKind.ListFile)
        {
            diagnostics.Report(Where(rhv.Location, rule), RuleDiagnosticCodes.ListNotAllowed,
                $"Operator '{op.Name}' compares with one value, but the rhv is a list.",
                op.Operator == RuleOperator.IsEqualTo ? $"Use '{(op.Negated ? "is not included in" : "is included in")}' to test membership in a list." : "Give a single value.");
            return null;
        }

        var operand = rhv.Kind == RuleValueKind.Template
            ? OperandSource.Template(RuleTemplate.Parse(rhv.Text!), parseAsLhvType)
            : OperandSource.Constant(Operand.Parse(rhv.Text!, parseAsLhvType(rhv.Text!.Trim())));
        return op.Operator switch
        {
            RuleOperator.IsEqualTo => new EqualCondition(operand, comparison),
            RuleOperator.Includes => new IncludesCondition(operand, comparison),
            _ => new OrderCondition(operand, comparison, op.Operator),
        };
    }

    private static BetweenCondition? CompileBetween(RuleDefinition rule, RuleValue rhv, StringComparison comparison,
        Func<string, FieldValue?> parseAsLhvType, DiagnosticBag diagnostics)
    {
        if (rhv.Kind == RuleValueKind.Template)
        {
            return new BetweenCondition(RuleTemplate.Parse(rhv.Text!), parseAsLhvType, comparison);
        }

        var bounds = rhv.Kind switch
        {
            RuleValueKind.List when rhv.Items!.Count == 2 => RangeBounds.From(rhv.Items[0], rhv.Items[1], parseAsLhvType),
            RuleValueKind.Literal => RangeBounds.TryRead(rhv.Text, parseAsLhvType),
            _ => null,
        };
        if (bounds is null)
        {
            diagnostics.Report(Where(rhv.Location, rule), RuleDiagnosticCodes.NotARange,
                $"'{rule.Operator.Trim()}' needs a range, but the rhv is '{DescribeWritten(rhv)}'.",
                "Write min-max (18-65), 'min to max' (2020-01-01 to 2020-12-31) or a two-item list [18, 65].");
            return null;
        }

        return new BetweenCondition(bounds, comparison);
    }

    private IncludedInCondition? CompileIncludedIn(RuleDefinition rule, RuleValue rhv, StringComparison comparison,
        Func<string, FieldValue?> parseAsLhvType, DiagnosticBag diagnostics)
    {
        var comparer = comparison == StringComparison.Ordinal ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;
        switch (rhv.Kind)
        {
            case RuleValueKind.List:
                return new IncludedInCondition(new RhvList(rhv.Items!, comparer, parseAsLhvType));
            case RuleValueKind.Literal:
                return new IncludedInCondition(new RhvList(RhvList.SplitCommas(rhv.Text!), comparer, parseAsLhvType));
            case RuleValueKind.Template:
                return new IncludedInCondition(RuleTemplate.Parse(rhv.Text!), items => new RhvList(items, comparer, parseAsLhvType));
        }

        var items = ReadListFile(rule, rhv, diagnostics);
        return items is null
            ? null
            : new IncludedInCondition(new RhvList(items, comparer, parseAsLhvType, $"list {rhv.Text!.Trim()} ({items.Count} items)"));
    }

    private List<string>? ReadListFile(RuleDefinition rule, RuleValue rhv, DiagnosticBag diagnostics)
    {
        var name = rhv.Text!.Trim();
        var location = Where(rhv.Location, rule);
        if (_context.ListsDirectory is null)
        {
            diagnostics.Report(location, RuleDiagnosticCodes.MissingListFile,
                $"List file '{name}' cannot be read: no lists folder is configured.",
                "Run the flow from a workspace with a lists/ folder, or write the items as a YAML list.");
            return null;
        }

        var path = Path.GetFullPath(Path.Combine(_context.ListsDirectory, name + ".txt"));
        var folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(_context.ListsDirectory)) + Path.DirectorySeparatorChar;
        if (!path.StartsWith(folder, StringComparison.Ordinal) || !File.Exists(path))
        {
            diagnostics.Report(location, RuleDiagnosticCodes.MissingListFile, $"List file '{name}' not found.",
                $"Looked for {path}; create it with one item per line.");
            return null;
        }

        var items = new List<string>();
        foreach (var line in File.ReadLines(path))
        {
            var item = line.Trim();
            if (item.Length > 0 && !item.StartsWith('#'))
            {
                items.Add(item);
            }
        }

        return items;
    }

    private MatchesCondition? CompilePattern(RuleDefinition rule, RuleValue rhv, DiagnosticBag diagnostics)
    {
        var options = RegexOptions.CultureInvariant | (rule.CaseSensitive ? RegexOptions.None : RegexOptions.IgnoreCase);
        switch (rhv.Kind)
        {
            case RuleValueKind.Template:
                return new MatchesCondition(RuleTemplate.Parse(rhv.Text!), options, _context.RegexTimeout);
            case RuleValueKind.Literal:
                try
                {
                    return new MatchesCondition(new Regex(rhv.Text!, options | RegexOptions.Compiled, _context.RegexTimeout));
                }
                catch (ArgumentException e)
                {
                    diagnostics.Report(Where(rhv.Location, rule), RuleDiagnosticCodes.InvalidPattern,
                        $"Invalid pattern '{rhv.Text}': {e.Message}",
                        "Check the regular expression; escape characters meant literally with \\ (\\. \\( \\+).");
                    return null;
                }

            default:
                diagnostics.Report(Where(rhv.Location, rule), RuleDiagnosticCodes.ListNotAllowed,
                    $"Operator '{rule.Operator.Trim()}' takes one pattern, but the rhv is a list.",
                    "Join alternatives into one pattern: (a|b|c).");
                return null;
        }
    }

    private string? SensitiveType(IEnumerable<VarPath> paths) =>
        paths.Where(p => p.Root == VarRoot.LeadField).Select(p => _context.FieldTypeOf(p.Head!)).FirstOrDefault(IsSensitive);

    private static bool IsSensitive(string? type) => type is "ssn" or "credential";

    private FieldValue? ParseAs(string type, string text) =>
        _context.Types.TryGet(type, out var fieldType) ? fieldType.Parse(text) : null;

    /// <summary>The most precise known location: a part's own location when the reader recorded one, else the rule's.</summary>
    private static SourceLocation Where(SourceLocation part, RuleDefinition rule) =>
        part == default ? rule.Location : part;

    private static string? DescribeWritten(RuleValue? rhv) => rhv?.Kind switch
    {
        null => null,
        RuleValueKind.List => string.Join(", ", rhv.Items ?? []),
        RuleValueKind.ListFile => "{ list: " + rhv.Text + " }",
        _ => rhv.Text,
    };

    /// <summary>A rule set nested directly in another: its rules are one level deeper.</summary>
    private sealed class NestedSet(RuleSetEvaluator set) : RuleNodeEvaluator
    {
        public override RuleOutcome Evaluate(LeadVars vars, RuleTrace? trace, int depth, ref string? error) =>
            set.Evaluate(vars, trace, depth + 1, ref error);
    }
}

/// <summary>Stable codes of rule compilation diagnostics (PF02xx).</summary>
internal static class RuleDiagnosticCodes
{
    public const string UnknownOperator = "PF0201";
    public const string MissingRhv = "PF0202";
    public const string UnexpectedRhv = "PF0203";
    public const string InvalidPattern = "PF0204";
    public const string MissingListFile = "PF0205";
    public const string NotARange = "PF0206";
    public const string EmptyLhv = "PF0207";
    public const string UnknownField = "PF0208";
    public const string UnknownStepKey = "PF0209";
    public const string ListNotAllowed = "PF0210";
    public const string UnsupportedRule = "PF0211";
    public const string ScriptSyntaxError = "PF0220";
    public const string CSharpSyntaxError = "PF0221";
    public const string CSharpCompileError = "PF0222";
    public const string CSharpForbidden = "PF0223";
}
