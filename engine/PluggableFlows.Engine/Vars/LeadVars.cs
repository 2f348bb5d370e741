using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Vars;

/// <summary>Who sent the lead.</summary>
public sealed record SourceVars(string Id, string Name);

/// <summary>The flow the lead runs through; <paramref name="Version"/> is the flow file's content hash.</summary>
public sealed record FlowVars(string Id, string Name, string Version);

/// <summary>The submission that carried the lead.</summary>
public sealed record SubmissionVars(string Id, DateTimeOffset Timestamp, string? Ip);

/// <summary>What one step left behind: its outcome, reason, price and cost, and the data it appended.</summary>
public sealed class StepVars
{
    private static readonly IReadOnlyDictionary<string, object?> Nothing = new Dictionary<string, object?>(0);

    // As LeadVars does for fields: a Dictionary (what plugins and the pipeline hand over) is read without an
    // interface dispatch.
    private readonly Dictionary<string, object?>? _appendedTable;

    /// <summary>Creates the record of one step.</summary>
    public StepVars(Outcome outcome, string? reason, IReadOnlyDictionary<string, object?>? appended = null,
        decimal? price = null, decimal? cost = null)
    {
        Outcome = outcome;
        Reason = reason;
        Appended = appended ?? Nothing;
        _appendedTable = Appended as Dictionary<string, object?>;
        Price = price;
        Cost = cost;
        // Boxed once here so rules reading them never allocate.
        BoxedPrice = price;
        BoxedCost = cost;
    }

    /// <summary>The step's outcome.</summary>
    public Outcome Outcome { get; }

    /// <summary>The outcome as flows spell it (<c>success</c>, <c>failure</c>, <c>error</c>, <c>skip</c>).</summary>
    public string OutcomeText => OutcomeNames.Of(Outcome);

    /// <summary>Why.</summary>
    public string? Reason { get; }

    /// <summary>Appended data (nested dictionaries for dotted names).</summary>
    public IReadOnlyDictionary<string, object?> Appended { get; }

    /// <summary>Reads one appended name (the same as <c>Appended.TryGetValue</c>, for hot paths).</summary>
    public bool TryGetAppended(string name, out object? value) =>
        _appendedTable is { } table ? table.TryGetValue(name, out value) : Appended.TryGetValue(name, out value);

    /// <summary>Price reported by a delivery recipient.</summary>
    public decimal? Price { get; }

    /// <summary>What the step cost (add-ons).</summary>
    public decimal? Cost { get; }

    internal object? BoxedPrice { get; }

    internal object? BoxedCost { get; }
}

/// <summary>Outcome names as they appear in flows, events and answers.</summary>
public static class OutcomeNames
{
    /// <summary>The lower-case name of an outcome.</summary>
    public static string Of(Outcome outcome) => outcome switch
    {
        Outcome.Success => "success",
        Outcome.Failure => "failure",
        Outcome.Error => "error",
        Outcome.Skip => "skip",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    /// <summary>Parses a name; case-insensitive.</summary>
    public static bool TryParse(string? text, out Outcome outcome)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "success": outcome = Outcome.Success; return true;
            case "failure": outcome = Outcome.Failure; return true;
            case "error": outcome = Outcome.Error; return true;
            case "skip": outcome = Outcome.Skip; return true;
            default: outcome = default; return false;
        }
    }
}

/// <summary>
/// Everything known about one lead at a point in its flow: what rules and templates read.
/// Lead fields are fixed once parsed and mapped; each step adds its <see cref="StepVars"/> under its key.
/// </summary>
public sealed class LeadVars
{
    private static readonly object[] BoxedRandoms = Enumerable.Range(0, 101).Select(i => (object)i).ToArray();

    // Steps are only ever appended, in run order, so a snapshot shares the array and remembers how many entries it saw:
    // taking one per event costs nothing, and later steps never show through it.
    private KeyValuePair<string, StepVars>[] _steps;
    private int _stepCount;

    // The pipeline hands over a Dictionary; reading it as one is a direct call rather than an interface dispatch, so
    // rule reads do not depend on the JIT's profile-guided devirtualization to be fast.
    private readonly Dictionary<string, FieldValue>? _fieldTable;

    // The lead's declared fields by slot of its flow's layout (null when the vars were built without one).
    private readonly FieldLayout? _layout;
    private readonly FieldValue?[] _slots = [];

    /// <summary>Creates the vars of a lead before any step has run.</summary>
    public LeadVars(string leadId, IReadOnlyDictionary<string, FieldValue> fields, SourceVars source, FlowVars flow,
        SubmissionVars submission, int random)
        : this(leadId, fields, source, flow, submission, random, null, null)
    {
    }

    /// <summary>Creates the vars of a lead whose fields are also stored by slot of <paramref name="layout"/> (the
    /// layout its flow's rules were compiled against), so those rules read a field without looking its id up.</summary>
    public LeadVars(string leadId, IReadOnlyDictionary<string, FieldValue> fields, SourceVars source, FlowVars flow,
        SubmissionVars submission, int random, FieldLayout layout)
        : this(leadId, fields, source, flow, submission, random, layout, layout?.SlotsOf(fields))
    {
        ArgumentNullException.ThrowIfNull(layout);
    }

    /// <summary>Creates the vars with slots the caller filled (the pipeline, as it parses the fields).</summary>
    internal LeadVars(string leadId, IReadOnlyDictionary<string, FieldValue> fields, SourceVars source, FlowVars flow,
        SubmissionVars submission, int random, FieldLayout? layout, FieldValue?[]? slots)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentOutOfRangeException.ThrowIfLessThan(random, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(random, 100);
        LeadId = leadId;
        Fields = fields;
        _fieldTable = fields as Dictionary<string, FieldValue>;
        if (layout is not null && slots is not null)
        {
            ArgumentOutOfRangeException.ThrowIfNotEqual(slots.Length, layout.Count, nameof(slots));
            _layout = layout;
            _slots = slots;
        }

        Source = source;
        Flow = flow;
        Submission = submission;
        Random = random;
        BoxedRandom = BoxedRandoms[random];
        BoxedTimestamp = submission.Timestamp;
        _steps = [];
    }

    private LeadVars(LeadVars other)
    {
        LeadId = other.LeadId;
        Fields = other.Fields;
        _fieldTable = other._fieldTable;
        _layout = other._layout;
        _slots = other._slots;
        Source = other.Source;
        Flow = other.Flow;
        Submission = other.Submission;
        Random = other.Random;
        BoxedRandom = other.BoxedRandom;
        BoxedTimestamp = other.BoxedTimestamp;
        _steps = other._steps;
        _stepCount = other._stepCount;
        IsSnapshot = true;
    }

    /// <summary>The lead's id (<c>lead.id</c>).</summary>
    public string LeadId { get; }

    /// <summary>Typed field values by field id (<c>lead.&lt;field&gt;</c>).</summary>
    public IReadOnlyDictionary<string, FieldValue> Fields { get; }

    /// <summary><c>source.*</c></summary>
    public SourceVars Source { get; }

    /// <summary><c>flow.*</c></summary>
    public FlowVars Flow { get; }

    /// <summary><c>submission.*</c></summary>
    public SubmissionVars Submission { get; }

    /// <summary><c>random</c>: 1..100, drawn once per lead for A/B splits.</summary>
    public int Random { get; }

    /// <summary>Steps that have run so far, by step key, in run order.</summary>
    public IReadOnlyDictionary<string, StepVars> Steps =>
        new Dictionary<string, StepVars>(_steps.AsSpan(0, _stepCount).ToArray(), StringComparer.Ordinal);

    private bool IsSnapshot { get; }

    internal object BoxedRandom { get; }

    internal object BoxedTimestamp { get; }

    /// <summary>Finds field <paramref name="id"/> of the lead (the same as <c>Fields.TryGetValue</c>, for hot paths).</summary>
    public bool TryGetField(string id, [NotNullWhen(true)] out FieldValue? field) =>
        _fieldTable is { } table ? table.TryGetValue(id, out field) : Fields.TryGetValue(id, out field);

    /// <summary>Field <paramref name="id"/>, which is slot <paramref name="slot"/> of <paramref name="layout"/>: read by
    /// slot when these vars were built with that layout, else looked up by id. For compiled rules.</summary>
    public FieldValue? FieldAt(FieldLayout layout, int slot, string id) =>
        ReferenceEquals(_layout, layout) && layout is not null ? _slots[slot] : FieldOrNull(id);

    // Apart from FieldAt, so that the slot read inlines into the rules that call it.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private FieldValue? FieldOrNull(string id) => TryGetField(id, out var field) ? field : null;

    /// <summary>Finds what a step left behind; false when it has not run (yet).</summary>
    public bool TryGetStep(string stepKey, [NotNullWhen(true)] out StepVars? step)
    {
        var steps = _steps;
        for (var i = 0; i < _stepCount; i++)
        {
            // Keys usually are the very string the flow definition holds, so the reference check settles most lookups.
            if (ReferenceEquals(steps[i].Key, stepKey) || string.Equals(steps[i].Key, stepKey, StringComparison.Ordinal))
            {
                step = steps[i].Value;
                return true;
            }
        }

        step = null;
        return false;
    }

    /// <summary>Records what a step left behind. Each step key is recorded once per lead.</summary>
    public void SetStep(string stepKey, StepVars step)
    {
        ArgumentNullException.ThrowIfNull(stepKey);
        if (IsSnapshot)
        {
            throw new InvalidOperationException("A snapshot is immutable.");
        }

        if (TryGetStep(stepKey, out _))
        {
            throw new InvalidOperationException($"Step '{stepKey}' has already recorded its result for this lead.");
        }

        if (_stepCount == _steps.Length)
        {
            // A new array, never a resize in place: snapshots keep reading the old one.
            var grown = new KeyValuePair<string, StepVars>[Math.Max(4, _steps.Length * 2)];
            Array.Copy(_steps, grown, _stepCount);
            _steps = grown;
        }

        _steps[_stepCount] = KeyValuePair.Create(stepKey, step);
        _stepCount++;
    }

    /// <summary>An independent copy for an event: later steps do not change it.</summary>
    public LeadVars Snapshot() => new(this);

    /// <summary>Reads a dotted path (<c>lead.phone_1.area</c>, <c>phone_check.line_type</c>); null when missing.</summary>
    public object? Resolve(string path) => VarPath.Parse(path).Resolve(this);
}
