using System.Globalization;
using Jint.Native;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;
using JsEngine = Jint.Engine;

namespace PluggableFlows.Engine.Rules.Scripting;

/// <summary>
/// How one pooled engine shows a lead's vars to a script: <c>lead</c>, <c>source</c>, <c>flow</c>, <c>submission</c>
/// and each step as <see cref="ReadOnlyRecordObject"/>s whose values are converted only when the script reads them.
/// </summary>
/// <param name="engine">The engine the objects belong to.</param>
/// <param name="valueOf">The <c>valueOf</c> every field object of this engine shares (frozen, made by the setup
/// script).</param>
/// <param name="toText">The <c>toString</c> every field object of this engine shares.</param>
internal sealed class VarsProjection(JsEngine engine, JsValue valueOf, JsValue toText)
{
    public JsEngine Engine => engine;

    public JsValue ValueOf => valueOf;

    public JsValue ToText => toText;

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
        IEnumerable<object?> list => new JsArray(engine, list.Select(ToJs).ToArray()),
        IFormattable formattable => new JsString(formattable.ToString(null, CultureInfo.InvariantCulture)),
        _ => new JsString(value.ToString() ?? ""),
    };

    /// <summary>Text, or undefined for null.</summary>
    public static JsValue Text(string? text) => text is null ? JsValue.Undefined : new JsString(text);

    /// <summary>An instant as ISO 8601 text.</summary>
    public static JsValue Text(DateTimeOffset time) => new JsString(time.ToString("O", CultureInfo.InvariantCulture));
}
