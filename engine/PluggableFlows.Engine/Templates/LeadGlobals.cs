using PluggableFlows.Engine.Vars;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace PluggableFlows.Engine.Templates;

/// <summary>
/// The vars roots (<c>lead</c>, <c>source</c>, <c>flow</c>, <c>submission</c>, <c>random</c>, step keys) as one
/// read-only script object over the lead's <see cref="LeadVars"/>: nothing is copied per render.
/// </summary>
internal sealed class LeadGlobals : IScriptObject
{
    private static readonly IReadOnlySet<string> NoSteps = new HashSet<string>();

    public LeadVars? Vars { get; set; }

    /// <summary>Step keys of the flow: a step that has not run (yet) reads as blank rather than unknown.</summary>
    public IReadOnlySet<string> StepKeys { get; set; } = NoSteps;

    public int Count => 5 + StepKeys.Count;

    public bool IsReadOnly { get => true; set { } }

    public IEnumerable<string> GetMembers() => new[] { "lead", "source", "flow", "submission", "random" }.Concat(StepKeys);

    public bool Contains(string member) => TryGet(member, out _);

    public bool TryGetValue(TemplateContext? context, SourceSpan span, string member, out object? value) => TryGet(member, out value);

    public bool CanWrite(string member) => false;

    public bool TrySetValue(TemplateContext? context, SourceSpan span, string member, object? value, bool readOnly) => false;

    public bool Remove(string member) => false;

    public void SetReadOnly(string member, bool readOnly)
    {
    }

    public IScriptObject Clone(bool deep) => new LeadGlobals { Vars = Vars, StepKeys = StepKeys };


    private bool TryGet(string member, out object? value)
    {
        var vars = Vars;
        if (vars is null)
        {
            value = null;
            return false;
        }

        switch (member)
        {
            case "lead": value = vars; return true;
            case "source": value = vars.Source; return true;
            case "flow": value = vars.Flow; return true;
            case "submission": value = vars.Submission; return true;
            case "random": value = vars.BoxedRandom; return true;
        }

        if (vars.TryGetStep(member, out var step))
        {
            value = step;
            return true;
        }

        value = null;
        return StepKeys.Contains(member);
    }
}
