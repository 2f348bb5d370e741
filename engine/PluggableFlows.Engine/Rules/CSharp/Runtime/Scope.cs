using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;

#pragma warning disable CA1707 // Members are named as in flow files (is_blank), so rules read the same in every language.

namespace PluggableFlows.Engine.Rules.CSharp.Runtime;

/// <summary>What a step appended, as <c>phone_check</c> reads in a C# rule: <c>outcome</c>, <c>reason</c>, <c>price</c>,
/// and appended data by path (<c>phone_check["line_type"]</c>, <c>phone_check["carrier.name"]</c>).</summary>
public readonly struct StepData
{
    private static readonly ConcurrentDictionary<(string Key, string Path), VarPath> Paths = new();
    private readonly LeadVars _vars;
    private readonly string _key;

    /// <summary>Reads step <paramref name="key"/> of a lead.</summary>
    public StepData(LeadVars vars, string key)
    {
        _vars = vars;
        _key = key;
    }

    /// <summary>Whether the step has run for this lead.</summary>
    public bool ran => _vars.TryGetStep(_key, out _);

    /// <summary>success, failure, error or skip; "" when the step has not run.</summary>
    public string outcome => _vars.TryGetStep(_key, out var step) ? step.OutcomeText : "";

    /// <summary>The step's reason, or "".</summary>
    public string reason => _vars.TryGetStep(_key, out var step) ? step.Reason ?? "" : "";

    /// <summary>The price the step reported, or null.</summary>
    public decimal? price => _vars.TryGetStep(_key, out var step) ? step.Price : null;

    /// <summary>What the step cost, or null.</summary>
    public decimal? cost => _vars.TryGetStep(_key, out var step) ? step.Cost : null;

    /// <summary>Appended data by dotted path below the step key.</summary>
    public Value this[string path]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(path);
            if (!_vars.TryGetStep(_key, out var step))
            {
                return default;
            }

            // One name (the common case) is one lookup and allocates nothing; a dotted path is parsed once.
            if (!path.Contains('.', StringComparison.Ordinal))
            {
                // As in every vars path: outcome and reason are the step's own; price and cost unless it appended them.
                return path switch
                {
                    "outcome" => new Value(step.OutcomeText),
                    "reason" => new Value(step.Reason),
                    _ when step.TryGetAppended(path, out var value) => new Value(value),
                    "price" => new Value(step.BoxedPrice),
                    "cost" => new Value(step.BoxedCost),
                    _ => default,
                };
            }

            var full = Paths.GetOrAdd((_key, path), static key => VarPath.Parse(key.Item1 + "." + key.Item2));
            return new Value(full.Resolve(_vars));
        }
    }
}

/// <summary><c>source</c> in a C# rule.</summary>
public readonly struct SourceData(LeadVars vars)
{
    /// <summary>The source id.</summary>
    public string id => vars.Source.Id;

    /// <summary>The source's display name.</summary>
    public string name => vars.Source.Name;
}

/// <summary><c>flow</c> in a C# rule.</summary>
public readonly struct FlowData(LeadVars vars)
{
    /// <summary>The flow id.</summary>
    public string id => vars.Flow.Id;

    /// <summary>The flow's display name.</summary>
    public string name => vars.Flow.Name;

    /// <summary>The flow version.</summary>
    public string version => vars.Flow.Version;
}

/// <summary><c>submission</c> in a C# rule.</summary>
public readonly struct SubmissionData(LeadVars vars)
{
    /// <summary>The submission id.</summary>
    public string id => vars.Submission.Id;

    /// <summary>When the lead was submitted.</summary>
    public DateTimeOffset timestamp => vars.Submission.Timestamp;

    /// <summary>The submitter's IP address, or "".</summary>
    public string ip => vars.Submission.Ip ?? "";
}

/// <summary>
/// The field a rule's <c>lead</c> read last, for fields it reads by id (standard fields the flow does not declare, and
/// any field of a lead built without the flow's layout; declared fields are read by slot, <see cref="LeadVars.FieldAt"/>).
/// A rule often reads one field several times in a row (<c>lead.dob.age &gt;= 18 &amp;&amp; lead.dob.age &lt;= 80</c>),
/// and each read by id is a dictionary lookup; the generated <c>lead</c> passes its field ids as literals, so the same
/// id is the same string.
/// </summary>
public struct FieldMemo
{
    private string? _id;
    private FieldValue? _value;

    /// <summary>Field <paramref name="id"/> of the lead, looked up unless it was the last one read.</summary>
    public FieldValue? Read(LeadVars vars, string id)
    {
        if (!ReferenceEquals(_id, id))
        {
            _value = RuleFunctions.FieldOf(vars, id);
            _id = id;
        }

        return _value;
    }
}

/// <summary>Functions every C# rule can call without a prefix.</summary>
public static class RuleFunctions
{
    // Rules call matches with a literal pattern, so a handful of patterns are matched for every lead: each is compiled
    // to IL once. A rule that builds its patterns from lead data would grow the caches without end, so past
    // MaxCachedPatterns further patterns are matched by Regex's own small cache of interpreted patterns instead.
    internal const int MaxCachedPatterns = 128;
    private static readonly ConcurrentDictionary<string, Regex> IgnoringCase = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, Regex> CaseSensitive = new(StringComparer.Ordinal);

    // A call site with a literal pattern passes the same (interned) string object every time, so a few slots looked up
    // by the pattern's identity find its Regex without hashing the pattern's text. A slot is taken once, by the first
    // literal that lands on it: patterns built per lead (a new string each time) never take one, and two literals on
    // one slot do not evict each other (the second is found in the dictionary, as before).
    private static readonly RecentPattern?[] Recent = new RecentPattern?[16];

    /// <summary>How long one regular expression match may run.</summary>
    public static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(50);

    /// <summary>Whether <paramref name="text"/> matches <paramref name="pattern"/> (ignoring case unless
    /// <paramref name="caseSensitive"/>), with a time limit; patterns are compiled once.</summary>
    public static bool matches(string? text, string pattern, bool caseSensitive = false)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var slot = RuntimeHelpers.GetHashCode(pattern) & (Recent.Length - 1);
        if (Recent[slot] is { } recent && ReferenceEquals(recent.Pattern, pattern) && recent.CaseSensitive == caseSensitive)
        {
            return recent.Regex.IsMatch(text ?? "");
        }

        var cache = caseSensitive ? CaseSensitive : IgnoringCase;
        var options = RegexOptions.CultureInvariant | (caseSensitive ? RegexOptions.None : RegexOptions.IgnoreCase);
        if (!cache.TryGetValue(pattern, out var regex))
        {
            if (cache.Count >= MaxCachedPatterns)
            {
                return Regex.IsMatch(text ?? "", pattern, options, PatternTimeout);
            }

            regex = cache.GetOrAdd(pattern, new Regex(pattern, options | RegexOptions.Compiled, PatternTimeout));
        }

        if (Recent[slot] is null && ReferenceEquals(string.IsInterned(pattern), pattern))
        {
            Recent[slot] = new RecentPattern(pattern, caseSensitive, regex);
        }

        return regex.IsMatch(text ?? "");
    }

    private sealed record RecentPattern(string Pattern, bool CaseSensitive, Regex Regex);

    /// <summary>The rule's answer (used by the generated wrapper).</summary>
    public static bool Truth(bool value) => value;

    /// <summary>The rule's answer: a missing boolean is false (used by the generated wrapper).</summary>
    public static bool Truth(bool? value) => value == true;

    /// <summary>A field or value as the rule's answer: true only for a true boolean (used by the generated wrapper).</summary>
    public static bool Truth(Value value) => value.boolean == true;

    /// <summary>A lead's field (used by the generated <c>lead</c>).</summary>
    public static FieldValue? FieldOf(LeadVars vars, string id)
    {
        ArgumentNullException.ThrowIfNull(vars);
        return vars.TryGetField(id, out var field) ? field : null;
    }
}
