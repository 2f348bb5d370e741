using System.Collections;
using System.Diagnostics;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace PluggableFlows.Engine.Templates;

/// <summary>
/// One render's Scriban context, reused through <see cref="TemplateContextPool"/> and only ever used by one thread at
/// a time. Values written into a body are escaped for its <see cref="TemplateFormat"/>; only vars objects have members.
/// </summary>
internal sealed class FlowTemplateContext : TemplateContext
{
    // Checking the clock on every node would cost more than the render; every 64th node is close enough.
    private const int ClockCheckInterval = 64;

    private readonly LeadGlobals _lead = new();
    private readonly ScriptObject _locals = new();
    private readonly LimitedOutput _output;
    private readonly long _timeoutTicks;
    private long _deadline;
    private int _untilClockCheck;

    public FlowTemplateContext(ScriptObject builtins, TemplateOptions options)
        : base(builtins, StringComparer.Ordinal)
    {
        StrictVariables = true;
        EnableRelaxedMemberAccess = true;
        LoopLimit = options.LoopLimit;
        LoopLimitQueryable = options.LoopLimit;
        RecursiveLimit = options.RecursionLimit;
        ObjectRecursionLimit = options.RecursionLimit;
        OutputLimit = options.OutputLimit;
        LimitToString = options.OutputLimit;
        RegexTimeOut = options.RegexTimeout;
        TemplateLoader = null;
        MemberFilter = _ => false;
        _timeoutTicks = (long)(options.Timeout.TotalSeconds * Stopwatch.Frequency);
        _output = new LimitedOutput(options.OutputLimit);
        PushOutput(_output);
        PushGlobal(_lead);
        PushGlobal(_locals);
    }

    public TemplateFormat Format { get; private set; }

    /// <summary>Readies the context for one render of one lead.</summary>
    public void Begin(LeadVars vars, IReadOnlySet<string> stepKeys, TemplateFormat format)
    {
        _lead.Vars = vars;
        _lead.StepKeys = stepKeys;
        _locals.Clear();
        _output.Clear();
        Format = format;
        _deadline = Stopwatch.GetTimestamp() + _timeoutTicks;
        _untilClockCheck = ClockCheckInterval;
    }

    /// <summary>What the render wrote.</summary>
    public string TakeOutput() => _output.Take();

    /// <summary>Drops the lead so a pooled context keeps nothing alive.</summary>
    public void End()
    {
        _lead.Vars = null;
        _locals.Clear();
    }

    public override object? Evaluate(ScriptNode? scriptNode, bool aliasReturn)
    {
        if (--_untilClockCheck <= 0)
        {
            _untilClockCheck = ClockCheckInterval;
            CheckClock(scriptNode?.Span ?? default);
        }

        return base.Evaluate(scriptNode, aliasReturn);
    }

    protected override bool OnStepLoop(ScriptLoopStatementBase loop)
    {
        CheckClock(loop.Span);
        return base.OnStepLoop(loop);
    }

    public override TemplateContext Write(SourceSpan span, object? textAsObject)
    {
        if (textAsObject is RawText raw)
        {
            return Write(raw.Text);
        }

        if (Format == TemplateFormat.Text || textAsObject is null)
        {
            return base.Write(span, textAsObject);
        }

        return Write(TemplateEscaping.Escape(Format, ObjectToString(textAsObject)));
    }

    public override string ObjectToString(object? value, bool nested = false) => value switch
    {
        null => "",
        string text => text,
        RawText raw => raw.Text,
        FieldValue or bool or DateTimeOffset or DateOnly or decimal or double or float or int or long => TextTemplate.Format(value),
        _ => base.ObjectToString(value, nested) ?? "",
    };

    protected override IObjectAccessor GetMemberAccessorImpl(object target) => target switch
    {
        LeadVars or FieldValue or StepVars or SourceVars or FlowVars or SubmissionVars or IReadOnlyDictionary<string, object?> => VarsAccessor.Instance,
        IScriptObject or IDictionary or IList or string => base.GetMemberAccessorImpl(target) ?? NoMembersAccessor.Instance,
        _ => NoMembersAccessor.Instance,
    };

    private void CheckClock(SourceSpan span)
    {
        if (Stopwatch.GetTimestamp() > _deadline)
        {
            throw new ScriptRuntimeException(span, "The template ran longer than its time limit.");
        }
    }
}
