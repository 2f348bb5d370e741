using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Jint.Native;
using Jint.Native.Object;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Rules.Scripting;

/// <summary><c>lead</c>: one property per field, then <c>id</c> unless a field is called that.</summary>
internal sealed class LeadObject(VarsProjection projection, LeadVars vars) : ReadOnlyRecordObject(projection.Engine)
{
    protected override IEnumerable<string> Names =>
        vars.Fields.ContainsKey("id") ? vars.Fields.Keys : vars.Fields.Keys.Append("id");

    protected override JsValue? Resolve(string name) =>
        vars.TryGetField(name, out var field) ? new FieldObject(projection, field)
        : name == "id" ? VarsProjection.Text(vars.LeadId)
        : null;

    /// <summary>
    /// What converting <c>lead.field</c> to a primitive gives (its shared <c>valueOf</c>: the value; see
    /// <see cref="FieldObject"/>), without making the field's object; false when the field does not exist, replaces a
    /// conversion with a component, or its value is an object: the caller then converts the object itself.
    /// </summary>
    public bool TryReadFieldPrimitive(FieldRef field, [NotNullWhen(true)] out JsValue? value)
    {
        value = IsMaterialized || field.Read(vars) is not { } fieldValue || FieldObject.HasOwnConversionsOf(fieldValue)
            ? null
            : FieldObject.Property(projection, fieldValue, "value");
        return value is not null and not ObjectInstance;
    }

    /// <summary>
    /// What <c>lead.field.member</c> reads, without making the field's object, when that is certain to be the same value:
    /// the field exists (an own property of <c>lead</c>, which nothing can change) and <c>member</c> is one of its own
    /// properties whose value is a primitive or a function every field object shares. Primitives have no identity a
    /// script could tell apart, so a value made afresh is the value the field object would give. False otherwise (an
    /// object-valued component, an inherited property, no such field): the caller reads it the ordinary way.
    /// </summary>
    public bool TryReadFieldMember(FieldRef field, string member, [NotNullWhen(true)] out JsValue? value)
    {
        value = IsMaterialized || field.Read(vars) is not { } fieldValue ? null : FieldObject.Property(projection, fieldValue, member);
        return value is not null
            && (value is not ObjectInstance || ReferenceEquals(value, projection.ValueOf) || ReferenceEquals(value, projection.ToText));
    }
}

/// <summary>
/// One field value: <c>raw</c>, <c>normal</c>, <c>valid</c> and <c>value</c>, then its components; a component of the
/// same name replaces the standard property in its place. Its non-enumerable <c>valueOf</c> (the value) and
/// <c>toString</c> (the normal form) make <c>lead.state == 'TX'</c> and <c>`${lead.state}`</c> read the field.
/// </summary>
internal sealed class FieldObject(VarsProjection projection, FieldValue value) : ReadOnlyRecordObject(projection.Engine)
{
    private static readonly string[] Standard = ["valueOf", "toString", "raw", "normal", "valid", "value"];

    protected override IEnumerable<string> Names => Standard.Concat(value.Components.Keys.Except(Standard, StringComparer.Ordinal));

    protected override JsValue? Resolve(string name) => Property(projection, value, name);

    /// <summary>The own property <paramref name="name"/> of <paramref name="value"/>'s object, made anew; null when it
    /// has none.</summary>
    public static JsValue? Property(VarsProjection projection, FieldValue value, string name) =>
        value.Components.TryGetValue(name, out var component) ? projection.ToJs(component)
        : name switch
        {
            "valueOf" => projection.ValueOf,
            "toString" => projection.ToText,
            "raw" => new JsString(value.Raw),
            "normal" => new JsString(value.Normal),
            "valid" => value.Valid,
            "value" => value.Value switch
            {
                bool b => b,
                double or float or int or long or decimal => Convert.ToDouble(value.Value, CultureInfo.InvariantCulture),
                _ => new JsString(value.Normal),
            },
            _ => null,
        };

    /// <summary>Whether a component replaces <c>valueOf</c> or <c>toString</c>, so that the field no longer converts to
    /// its value and normal form.</summary>
    public bool HasOwnConversions => HasOwnConversionsOf(value);

    /// <inheritdoc cref="HasOwnConversions"/>
    public static bool HasOwnConversionsOf(FieldValue value) =>
        value.Components.ContainsKey("valueOf") || value.Components.ContainsKey("toString");

    protected override bool IsHidden(string name) => name is "valueOf" or "toString" && !value.Components.ContainsKey(name);
}

/// <summary>One step's record: <c>outcome</c>, <c>reason</c>, <c>price</c> and <c>cost</c>, then what it appended.</summary>
internal sealed class StepObject(VarsProjection projection, StepVars step) : ReadOnlyRecordObject(projection.Engine)
{
    private static readonly string[] Standard = ["outcome", "reason", "price", "cost"];

    protected override IEnumerable<string> Names => Standard.Concat(step.Appended.Keys.Except(Standard, StringComparer.Ordinal));

    protected override JsValue? Resolve(string name) =>
        step.Appended.TryGetValue(name, out var appended) ? projection.ToJs(appended)
        : name switch
        {
            "outcome" => new JsString(step.OutcomeText),
            "reason" => VarsProjection.Text(step.Reason),
            "price" => step.Price is { } price ? (double)price : JsValue.Undefined,
            "cost" => step.Cost is { } cost ? (double)cost : JsValue.Undefined,
            _ => null,
        };
}

/// <summary>A nested map of appended data (<c>check.nested.x</c>).</summary>
internal sealed class MapObject(VarsProjection projection, IReadOnlyDictionary<string, object?> map) : ReadOnlyRecordObject(projection.Engine)
{
    protected override IEnumerable<string> Names => map.Keys;

    protected override JsValue? Resolve(string name) => map.TryGetValue(name, out var value) ? projection.ToJs(value) : null;
}

/// <summary><c>source</c>: <c>id</c> and <c>name</c>.</summary>
internal sealed class SourceObject(VarsProjection projection, SourceVars source) : ReadOnlyRecordObject(projection.Engine)
{
    private static readonly string[] Properties = ["id", "name"];

    protected override IEnumerable<string> Names => Properties;

    protected override JsValue? Resolve(string name) => name switch
    {
        "id" => VarsProjection.Text(source.Id),
        "name" => VarsProjection.Text(source.Name),
        _ => null,
    };
}

/// <summary><c>flow</c>: <c>id</c>, <c>name</c> and <c>version</c>.</summary>
internal sealed class FlowObject(VarsProjection projection, FlowVars flow) : ReadOnlyRecordObject(projection.Engine)
{
    private static readonly string[] Properties = ["id", "name", "version"];

    protected override IEnumerable<string> Names => Properties;

    protected override JsValue? Resolve(string name) => name switch
    {
        "id" => VarsProjection.Text(flow.Id),
        "name" => VarsProjection.Text(flow.Name),
        "version" => VarsProjection.Text(flow.Version),
        _ => null,
    };
}

/// <summary><c>submission</c>: <c>id</c>, <c>timestamp</c> (ISO 8601) and <c>ip</c>.</summary>
internal sealed class SubmissionObject(VarsProjection projection, SubmissionVars submission) : ReadOnlyRecordObject(projection.Engine)
{
    private static readonly string[] Properties = ["id", "timestamp", "ip"];

    protected override IEnumerable<string> Names => Properties;

    protected override JsValue? Resolve(string name) => name switch
    {
        "id" => VarsProjection.Text(submission.Id),
        "timestamp" => VarsProjection.Text(submission.Timestamp),
        "ip" => VarsProjection.Text(submission.Ip),
        _ => null,
    };
}
