using System.Globalization;
using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;
using JsEngine = Jint.Engine;

namespace PluggableFlows.Engine.Rules.Scripting;

/// <summary>
/// How one pooled engine shows a lead's vars to a script: <c>lead</c>, <c>source</c>, <c>flow</c>, <c>submission</c>
/// and each step as <see cref="ReadOnlyRecordObject"/>s whose values are converted only when the script reads them.
/// </summary>
internal sealed class VarsProjection
{
    private static readonly JsString ValueKey = new("value");
    private static readonly JsString NormalKey = new("normal");
    private readonly JsEngine _engine;

    /// <summary>The projection for <paramref name="engine"/>, with the field functions its field objects share.</summary>
    public VarsProjection(JsEngine engine)
    {
        _engine = engine;
        // What the methods valueOf() { return this.value; } and toString() { return String(this.normal); } of a strict
        // script do, made without running a script: a new engine's first script costs tens of milliseconds of JIT.
        var text = engine.Global.Get("String");
        ValueOf = new ClrFunction(engine, "valueOf", (self, _) => Read(self, ValueKey), 0, PropertyFlag.Configurable);
        ToText = new ClrFunction(engine, "toString", (self, _) => text.Call(JsValue.Undefined, [Read(self, NormalKey)]), 0,
            PropertyFlag.Configurable);
    }

    public JsEngine Engine => _engine;

    /// <summary>The <c>valueOf</c> every field object of this engine shares: the field's value.</summary>
    public JsValue ValueOf { get; }

    /// <summary>The <c>toString</c> every field object of this engine shares: the field's normal form as text.</summary>
    public JsValue ToText { get; }

    // this.name in strict code: undefined and null have no properties; a primitive's come from its prototype.
    private JsValue Read(JsValue self, JsString name) => self switch
    {
        ObjectInstance target => target.Get(name),
        _ when self.IsUndefined() || self.IsNull() => throw new JavaScriptException(_engine.Intrinsics.TypeError,
            $"Cannot read properties of {self} (reading '{name}')"),
        _ => self.Get(name),
    };

    /// <summary>Fills <paramref name="arguments"/> with the rule function's arguments: <c>lead</c>, <c>source</c>,
    /// <c>flow</c>, <c>submission</c> and <c>random</c> (undefined where <paramref name="named"/> says the script cannot
    /// reach it), then one per step key (undefined for a step that has not run).</summary>
    public void Arguments(LeadVars vars, ReadOnlySpan<bool> named, IReadOnlyList<string> stepKeys, JsValue[] arguments)
    {
        arguments[0] = named[0] ? new LeadObject(this, vars) : JsValue.Undefined;
        arguments[1] = named[1] ? new SourceObject(this, vars.Source) : JsValue.Undefined;
        arguments[2] = named[2] ? new FlowObject(this, vars.Flow) : JsValue.Undefined;
        arguments[3] = named[3] ? new SubmissionObject(this, vars.Submission) : JsValue.Undefined;
        arguments[4] = vars.Random;
        for (var i = 0; i < stepKeys.Count; i++)
        {
            arguments[5 + i] = vars.TryGetStep(stepKeys[i], out var step) ? new StepObject(this, step) : JsValue.Undefined;
        }
    }

    /// <summary>A component, an appended value or a value inside one, as JavaScript.</summary>
    public JsValue ToJs(object? value) => value switch
    {
        null => JsValue.Undefined,
        string text => new JsString(text),
        bool b => b,
        double or float or int or long or decimal or short or byte or uint or ulong =>
            Convert.ToDouble(value, CultureInfo.InvariantCulture),
        FieldValue field => new FieldObject(this, field),
        DateTimeOffset time => Text(time),
        DateOnly date => new JsString(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        IReadOnlyDictionary<string, object?> map => new MapObject(this, map),
        IEnumerable<object?> list => new JsArray(_engine, list.Select(ToJs).ToArray()),
        IFormattable formattable => new JsString(formattable.ToString(null, CultureInfo.InvariantCulture)),
        _ => new JsString(value.ToString() ?? ""),
    };

    /// <summary>Text, or undefined for null.</summary>
    public static JsValue Text(string? text) => text is null ? JsValue.Undefined : new JsString(text);

    /// <summary>An instant as ISO 8601 text.</summary>
    public static JsValue Text(DateTimeOffset time) => new JsString(time.ToString("O", CultureInfo.InvariantCulture));
}
