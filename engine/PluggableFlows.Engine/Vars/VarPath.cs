using PluggableFlows.Engine.Fields;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Vars;

/// <summary>What a path's first segment names.</summary>
public enum VarRoot
{
    /// <summary><c>lead.&lt;field&gt;[.component]</c></summary>
    LeadField,

    /// <summary><c>lead.id</c></summary>
    LeadId,

    /// <summary><c>source.id</c>, <c>source.name</c></summary>
    Source,

    /// <summary><c>flow.id</c>, <c>flow.name</c>, <c>flow.version</c></summary>
    Flow,

    /// <summary><c>submission.id</c>, <c>submission.timestamp</c>, <c>submission.ip</c></summary>
    Submission,

    /// <summary><c>random</c></summary>
    Random,

    /// <summary><c>&lt;step key&gt;.*</c></summary>
    Step,

    /// <summary><c>lead</c> with nothing after it, or an empty path.</summary>
    Invalid,
}

/// <summary>
/// A dotted vars path, split once (when a flow loads) so that resolving it per lead is a few dictionary
/// lookups and never allocates.
/// </summary>
public sealed class VarPath
{
    private static readonly object True = true;
    private static readonly object False = false;
    private readonly string[] _rest;

    private VarPath(string text, VarRoot root, string? head, string[] rest)
    {
        Text = text;
        Root = root;
        Head = head;
        _rest = rest;
    }

    /// <summary>The path as written.</summary>
    public string Text { get; }

    /// <summary>What the path starts with.</summary>
    public VarRoot Root { get; }

    /// <summary>The field id (<see cref="VarRoot.LeadField"/>) or step key (<see cref="VarRoot.Step"/>); otherwise null.</summary>
    public string? Head { get; }

    /// <summary>Segments after the root (and after the field id or step key).</summary>
    public IReadOnlyList<string> Rest => _rest;

    /// <summary>For a lead field path: the component read (<c>area</c>, <c>valid</c>), or null for the value itself.</summary>
    public string? Component => Root == VarRoot.LeadField && _rest.Length > 0 ? _rest[0] : null;

    /// <summary>Splits a path. Never throws; an unusable path resolves to null.</summary>
    public static VarPath Parse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var text = path.Trim();
        // Names are interned: field ids, step keys and component names a flow declares are too, and the field types'
        // component names are literals, so resolving a path per lead mostly compares references, not text.
        var parts = Array.ConvertAll(text.Split('.', StringSplitOptions.TrimEntries), string.Intern);
        if (parts.Length == 0 || parts[0].Length == 0)
        {
            return new VarPath(text, VarRoot.Invalid, null, []);
        }

        return parts[0] switch
        {
            "lead" when parts.Length == 2 && parts[1] == "id" => new VarPath(text, VarRoot.LeadId, null, []),
            "lead" when parts.Length >= 2 => new VarPath(text, VarRoot.LeadField, parts[1], parts[2..]),
            "lead" => new VarPath(text, VarRoot.Invalid, null, []),
            "source" => new VarPath(text, VarRoot.Source, null, parts[1..]),
            "flow" => new VarPath(text, VarRoot.Flow, null, parts[1..]),
            "submission" => new VarPath(text, VarRoot.Submission, null, parts[1..]),
            "random" when parts.Length == 1 => new VarPath(text, VarRoot.Random, null, []),
            _ => new VarPath(text, VarRoot.Step, parts[0], parts[1..]),
        };
    }

    /// <summary>Reads the value at this path: a <see cref="FieldValue"/>, text, a boxed number or boolean,
    /// a list, a dictionary, or null when anything along the way is missing.</summary>
    public object? Resolve(LeadVars vars)
    {
        ArgumentNullException.ThrowIfNull(vars);
        switch (Root)
        {
            case VarRoot.LeadField:
                return vars.TryGetField(Head!, out var field) ? Walk(field, _rest, 0) : null;
            case VarRoot.LeadId:
                return vars.LeadId;
            case VarRoot.Random:
                return vars.BoxedRandom;
            case VarRoot.Source when _rest.Length == 1:
                return _rest[0] switch { "id" => vars.Source.Id, "name" => vars.Source.Name, _ => null };
            case VarRoot.Flow when _rest.Length == 1:
                return _rest[0] switch { "id" => vars.Flow.Id, "name" => vars.Flow.Name, "version" => vars.Flow.Version, _ => null };
            case VarRoot.Submission when _rest.Length == 1:
                return _rest[0] switch
                {
                    "id" => vars.Submission.Id,
                    "timestamp" => vars.BoxedTimestamp,
                    "ip" => vars.Submission.Ip,
                    _ => null,
                };
            case VarRoot.Step:
                return vars.TryGetStep(Head!, out var step) ? ResolveStep(step) : null;
            default:
                return null;
        }
    }

    private object? ResolveStep(StepVars step)
    {
        if (_rest.Length == 0)
        {
            return step.Appended;
        }

        if (_rest.Length == 1)
        {
            switch (_rest[0])
            {
                case "outcome": return step.OutcomeText;
                case "reason": return step.Reason;
                case "price" when !step.Appended.ContainsKey("price"): return step.BoxedPrice;
                case "cost" when !step.Appended.ContainsKey("cost"): return step.BoxedCost;
            }
        }

        return step.TryGetAppended(_rest[0], out var value) ? Walk(value, _rest, 1) : null;
    }

    private static object? Walk(object? current, string[] segments, int index)
    {
        for (var i = index; i < segments.Length && current is not null; i++)
        {
            var segment = segments[i];
            current = current switch
            {
                FieldValue field => FieldPart(field, segment),
                IReadOnlyDictionary<string, object?> map => map.TryGetValue(segment, out var next) ? next : null,
                _ => null,
            };
        }

        return current;
    }

    private static object? FieldPart(FieldValue field, string segment) => segment switch
    {
        "raw" => field.Raw,
        "normal" => field.Normal,
        "valid" => field.Valid ? True : False,
        _ => ComponentMap.Read(field, segment),
    };
}
