using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Acornima;
using Jint;
using JsEngine = Jint.Engine;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Vars;

namespace PluggableFlows.Engine.Rules.Scripting;

/// <summary>
/// One <c>{ js: ... }</c> rule: parsed once when its flow loads, run on pooled Jint engines in a sandbox (strict mode,
/// no CLR access, statement, time, memory and recursion budgets, frozen intrinsics).
/// </summary>
internal sealed partial class JavaScriptRule
{
    public const int MaxStatements = 10_000;
    public const int MaxRecursion = 64;
    public const long MemoryLimit = 4 * 1024 * 1024;
    public const uint MaxArraySize = 100_000;
    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(50);

    private static readonly string[] FixedParameters = ["lead", "source", "flow", "submission", "random"];

    // Step keys that are reserved words (or mean something in strict mode) cannot be parameter names; scripts cannot
    // name such a step anyway.
    private static readonly HashSet<string> ReservedWords = new(StringComparer.Ordinal)
    {
        "await", "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else",
        "enum", "export", "extends", "false", "finally", "for", "function", "if", "implements", "import", "in",
        "instanceof", "interface", "let", "new", "null", "package", "private", "protected", "public", "return", "static",
        "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with", "yield", "eval",
        "arguments", "undefined", "NaN", "Infinity",
    };

    // Run once per engine before its interpreter runs any rule, outside the rule's budgets: freezes every object
    // reachable from the global object (Object.prototype, Array.prototype, Function.prototype, ...), the global object
    // itself and the field functions (valueOf, toString), so that one evaluation cannot leave anything behind for the
    // next one on the same pooled engine. The direct tier needs none of this (it runs no code of the script's and changes
    // nothing), so an engine only the direct tier has used is left as it was made.
    private static readonly Lazy<Prepared<Acornima.Ast.Script>> Sandbox = new(() => JsEngine.PrepareScript("""
        (function (valueOf, toString) {
          'use strict';
          // Atomics.wait blocks the thread where no statement budget can stop it; rules have no use for shared memory.
          delete globalThis.Atomics;
          delete globalThis.SharedArrayBuffer;
          // The legacy RegExp statics (RegExp.$1, RegExp.input, ...) hold the last match's text: left in place, the next
          // evaluation on this engine, for another lead, could read this one's.
          for (const key of ['input', '$_', 'lastMatch', '$&', 'lastParen', '$+', 'leftContext', '$`', 'rightContext', "$'",
            '$1', '$2', '$3', '$4', '$5', '$6', '$7', '$8', '$9']) {
            delete RegExp[key];
          }
          const seen = new Set();
          const pending = [globalThis, valueOf, toString];
          while (pending.length > 0) {
            const o = pending.pop();
            if (o === null || (typeof o !== 'object' && typeof o !== 'function') || seen.has(o)) continue;
            seen.add(o);
            Object.freeze(o);
            for (const key of Reflect.ownKeys(o)) {
              const d = Object.getOwnPropertyDescriptor(o, key);
              if ('value' in d) pending.push(d.value); else pending.push(d.get, d.set);
            }
            pending.push(Object.getPrototypeOf(o));
          }
        })
        """, "pflow-sandbox", strict: true));

    // The first engine of a process costs ~100 ms of JIT to make. Reading the first JavaScript rule of a flow file (or
    // compiling one built otherwise) starts paying that on a thread of its own while the flow finishes loading; the first
    // engine made for a rule waits for it rather than JIT the same code beside it.
    private static readonly Lazy<Task> EngineWarmedUp = new(() => Task.Factory.StartNew(() =>
    {
        var engine = new JsEngine(options => options.Strict());
        _ = new VarsProjection(engine);
        DirectExpression.WarmUp(engine);
    }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));

    // The interpreter's first evaluations in a process spend most of their time in the JIT; paying that here, outside
    // any budget, before the interpreter first runs a rule, keeps that rule from timing out.
    private static readonly Lazy<bool> InterpreterWarmedUp = new(() =>
    {
        var engine = new JsEngine(options => options.Strict());
        var projection = new VarsProjection(engine);
        engine.Call(engine.Evaluate(Sandbox.Value), projection.ValueOf, projection.ToText);
        engine.Evaluate("""
            (function (lead, n) { return lead.state == 'TX' && lead.state.normal.length > 1 && n + 1 > 2 && [1, 2].includes(2)
              && `${lead.state}` === 'TX' && typeof lead.missing === 'undefined'; })
              ({ state: { normal: 'TX', value: 'TX', valueOf() { return this.value; } } }, 5)
            """);
        return true;
    });

    /// <summary>Starts warming the first engine of the process on a thread of its own, unless already started.</summary>
    public static void WarmUpInBackground() => _ = EngineWarmedUp.Value;

    private readonly Lazy<Prepared<Acornima.Ast.Script>> _function;
    private readonly string[] _stepKeys;
    private readonly bool[] _named;
    private readonly DirectExpression? _direct;
    private readonly ConcurrentBag<PooledEngine> _pool = [];

    private JavaScriptRule(Lazy<Prepared<Acornima.Ast.Script>> function, string[] stepKeys, bool[] named, DirectExpression? direct)
    {
        _function = function;
        _stepKeys = stepKeys;
        _named = named;
        _direct = direct;
    }

    /// <summary>Whether the rule is an expression the <see cref="DirectExpression"/> tier evaluates.</summary>
    public bool EvaluatesDirectly => _direct is not null;

    /// <summary>Whether the rule's function has been prepared for the interpreter: when the rule loads if the direct tier
    /// does not cover it, else the first time the direct tier declines.</summary>
    public bool InterpreterPrepared => _function.IsValueCreated;

    /// <summary>
    /// Parses the rule: one expression, or a function body whose statements end in <c>return</c>. A syntax error is
    /// reported at its place in the rule's file and yields null. An expression the <see cref="DirectExpression"/> tier
    /// covers is evaluated by it, unless <paramref name="direct"/> is false (the differential tests compare the two).
    /// </summary>
    public static JavaScriptRule? Compile(ScriptRuleDefinition script, RuleCompilationContext context, DiagnosticBag diagnostics,
        bool direct = true)
    {
        if (FunctionBody(script, diagnostics) is not var (body, expression))
        {
            return null;
        }

        WarmUpInBackground();
        var tokens = Identifier().Matches(script.Source).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        var stepKeys = context.StepKeys
            .Where(key => tokens.Contains(key) && Identifier().Match(key).Length == key.Length && !FixedParameters.Contains(key) && !ReservedWords.Contains(key))
            .Order(StringComparer.Ordinal)
            .ToArray();
        // The body sits in a block of its own, so its declarations (let lead = ...) shadow the parameters rather than
        // clash with them.
        var source = $"(function ({string.Join(", ", FixedParameters.Concat(stepKeys))}) {{ 'use strict'; {{ {body}\n }} }})";
        var directExpression = direct && expression is not null
            ? DirectExpression.TryCompile(expression, script.Source, [.. FixedParameters, .. stepKeys], context.Layout)
            : null;
        // Preparing a script for Jint's interpreter is ~100 ms of JIT the first time in a process; a rule the direct
        // tier covers may never need it, so it is prepared the first time the tier declines. Such a rule is one
        // expression that parsed alone in strict code, which the wrapper (a strict function of plain, distinct,
        // non-reserved parameter names) cannot make a syntax error; any other rule is prepared now, so that an error of
        // the wrapper is reported when the flow loads.
        var function = new Lazy<Prepared<Acornima.Ast.Script>>(() => JsEngine.PrepareScript(source, "rule", strict: true));
        if (directExpression is null)
        {
            try
            {
                _ = function.Value;
            }
            catch (ParseErrorException e)
            {
                // The body parsed alone, so this is a rule of the wrapper itself; there is no better place than the start.
                diagnostics.Report(script.Location, RuleDiagnosticCodes.ScriptSyntaxError,
                    $"JavaScript syntax error in the script: {e.Error?.Description ?? e.Message}", SyntaxHint);
                return null;
            }
        }

        // A parameter the script does not name cannot be reached but through the function's arguments object (eval and
        // the Function constructor are disabled), so it gets no object unless the script names it or "arguments".
        var named = FixedParameters.Select(name => tokens.Contains(name) || tokens.Contains("arguments")).ToArray();
        return new JavaScriptRule(function, stepKeys, named, directExpression);
    }

    private const string SyntaxHint =
        "Write one JavaScript expression (lead.state == 'TX' && lead.vehicle_year > 2005), or statements that end in "
        + "return (if (lead.state != 'TX') return false; return lead.vehicle_year > 2005;).";

    /// <summary>
    /// What the rule's function runs: <c>return (&lt;expression&gt;);</c> for an expression (returned parsed as well),
    /// the statements as written for a body. Either is parsed alone first, so it is self-contained: it cannot close the
    /// wrapper function and run code of its own, and an error's position is its position in the script as written.
    /// </summary>
    private static (string Body, Acornima.Ast.Expression? Expression)? FunctionBody(ScriptRuleDefinition script, DiagnosticBag diagnostics)
    {
        ParseErrorException expressionError;
        try
        {
            // A parser holds the state of one parse, so each parse gets its own (flows may load in parallel).
            var expression = new Parser(new ParserOptions { AllowReturnOutsideFunction = false }).ParseExpression(script.Source, strict: true);
            return ($"return ({script.Source}\n);", expression);
        }
        catch (ParseErrorException e)
        {
            expressionError = e;
        }

        try
        {
            // A function body parsed on its own: return is allowed where a script would not allow it.
            var program = new Parser(new ParserOptions { AllowReturnOutsideFunction = true }).ParseScript(script.Source, strict: true);
            if (program.Body.Count == 0)
            {
                diagnostics.Report(script.Location, RuleDiagnosticCodes.ScriptSyntaxError,
                    "The JavaScript rule has no expression or statements, only comments.", SyntaxHint);
                return null;
            }

            // One expression with a trailing semicolon (a rule file's "lead.age > 21;") is that expression, not a body
            // without a return, which would always be false.
            return program.Body is [Acornima.Ast.ExpressionStatement { Expression: var expression }]
                ? ($"return ({script.Source[expression.Start..expression.End]}\n);", expression)
                : (script.Source, null);
        }
        catch (ParseErrorException bodyError)
        {
            // Whichever reading got further is the one the author meant.
            var (error, what) = (bodyError.Error?.Index ?? -1) > (expressionError.Error?.Index ?? -1)
                ? (bodyError, "script")
                : (expressionError, "expression");
            var line = Math.Max(1, error.LineNumber);
            var column = Math.Max(0, error.Column) + 1; // Acornima counts columns from 0
            var at = line == 1
                ? script.Location with { Column = script.Location.Column + column - 1 }
                : script.Location with { Line = script.Location.Line + line - 1, Column = column };
            diagnostics.Report(at, RuleDiagnosticCodes.ScriptSyntaxError,
                $"JavaScript syntax error at line {line}, column {column} of the {what}: {error.Error?.Description ?? error.Message}",
                SyntaxHint);
            return null;
        }
    }

    /// <summary>Runs the rule for one lead: its truthiness, or the error that stopped it.</summary>
    public (RuleOutcome Outcome, string Result) Run(LeadVars vars)
    {
        if (!_pool.TryTake(out var pooled))
        {
            pooled = CreateEngine();
        }

        try
        {
            pooled.Vars.Arguments(vars, _named, _stepKeys, pooled.Arguments);
            var result = pooled.Direct is { } direct && direct.TryEvaluate(out var value)
                ? value
                : pooled.Engine.Call(pooled.Function(), JsValue.Undefined, pooled.Arguments);
            var passed = TypeConverter.ToBoolean(result);
            _pool.Add(pooled);
            return (passed ? RuleOutcome.True : RuleOutcome.False, Describe(result));
        }
#pragma warning disable CA1031 // Whatever a script does wrong becomes the rule's error; the host carries on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            // An engine that saw an error is discarded rather than trusted again.
            return (RuleOutcome.Error, ErrorMessage(e));
        }
    }

    private static string ErrorMessage(Exception e) => e switch
    {
        RuleBudgetExceededException budget => budget.Message,
        RegexMatchTimeoutException => $"The script timed out after {Timeout.TotalMilliseconds:0} ms in a regular expression.",
        RecursionDepthOverflowException => $"The script exceeded the recursion limit ({MaxRecursion} nested calls).",
        MemoryLimitExceededException => $"The script exceeded the memory budget ({MemoryLimit / 1024 / 1024} MB).",
        OutOfMemoryException or InsufficientExecutionStackException => "The script exceeded the memory budget.",
        JavaScriptException js => $"The script threw: {js.Message}",
        _ => $"The script failed: {e.Message}",
    };

    private static string Describe(JsValue value) => value switch
    {
        JsString or JsNumber or JsBoolean => TypeConverter.ToString(value),
        _ when value.IsUndefined() => "undefined",
        _ when value.IsNull() => "null",
        _ => value.IsArray() ? "[array]" : "[" + value.Type.ToString().ToLowerInvariant() + "]",
    };

    private PooledEngine CreateEngine()
    {
        try
        {
            EngineWarmedUp.Value.Wait();
        }
        catch (AggregateException)
        {
            // Only a warm-up; the engine made below reports whatever is wrong.
        }

        var budget = new RuleBudget(MaxStatements, Timeout);
        var engine = new JsEngine(options =>
        {
            options.Strict()
                .DisableStringCompilation()
                .LimitRecursion(MaxRecursion)
                .Constraint(budget)
                .LimitMemory(MemoryLimit);
            options.Constraints.MaxArraySize = MaxArraySize;
            options.Constraints.RegexTimeout = Timeout;
        });
        var projection = new VarsProjection(engine);
        var arguments = new JsValue[FixedParameters.Length + _stepKeys.Length];
        var direct = _direct?.CreateFrame(engine, arguments);
        budget.Enabled = true;
        return new PooledEngine(this, engine, budget, projection, arguments, direct);
    }

    [GeneratedRegex(@"[A-Za-z_$][A-Za-z0-9_$]*")]
    private static partial Regex Identifier();

    /// <summary>One engine of the rule's pool, with what the rule needs in it.</summary>
    private sealed class PooledEngine(JavaScriptRule rule, JsEngine engine, RuleBudget budget, VarsProjection vars,
        JsValue[] arguments, DirectExpression.DirectFrame? direct)
    {
        private JsValue? _function;

        public JsEngine Engine => engine;

        public VarsProjection Vars => vars;

        public JsValue[] Arguments => arguments;

        public DirectExpression.DirectFrame? Direct => direct;

        /// <summary>The rule's function in this engine, for the interpreter: the first call seals the engine's sandbox
        /// and evaluates the function, outside the rule's budget.</summary>
        public JsValue Function()
        {
            if (_function is null)
            {
                _ = InterpreterWarmedUp.Value;
                budget.Enabled = false;
                try
                {
                    engine.Call(engine.Evaluate(Sandbox.Value), vars.ValueOf, vars.ToText);
                    _function = engine.Evaluate(rule._function.Value);
                }
                finally
                {
                    budget.Enabled = true;
                }
            }

            return _function;
        }
    }
}

/// <summary>
/// The statement and time budget of one evaluation. Jint's own MaxStatements and TimeoutInterval would count the
/// engine's setup too (freezing the intrinsics, and the JIT of the first run), so this one starts counting only when
/// the engine is ready.
/// </summary>
internal sealed class RuleBudget : Constraint
{
    private readonly int _maxStatements;
    private readonly TimeSpan _timeout;
    private readonly long _timeoutTicks;
    private readonly TimeProvider _time;
    private readonly Func<TimeSpan> _jitTime;
    private int _statements;
    private long _deadline;
    private TimeSpan _jitAtStart;

    /// <summary>A budget on <paramref name="time"/> (default: the system's) and, by default, this thread's JIT time.</summary>
    public RuleBudget(int maxStatements, TimeSpan timeout, TimeProvider? time = null, Func<TimeSpan>? jitTime = null)
    {
        _maxStatements = maxStatements;
        _timeout = timeout;
        _time = time ?? TimeProvider.System;
        _timeoutTicks = Ticks(timeout);
        _jitTime = jitTime ?? (() => System.Runtime.JitInfo.GetCompilationTime(currentThread: true));
    }

    public bool Enabled { get; set; }

    public override void Check()
    {
        if (!Enabled)
        {
            return;
        }

        if (++_statements > _maxStatements)
        {
            throw new RuleBudgetExceededException($"The script exceeded the statement budget ({_maxStatements} statements).");
        }

        // Reading the clock costs more than a statement (a system call on some virtual machines), so the clock starts at
        // the first statement, not at Reset, which Jint also calls before every call of a built-in from the host; and it
        // is read every 64 statements.
        if (_statements == 1)
        {
            _deadline = _time.GetTimestamp() + _timeoutTicks;
            _jitAtStart = _jitTime();
        }
        else if ((_statements & 63) == 0 && _time.GetTimestamp() is var now && now > _deadline
                 // The runtime compiling interpreter code this script is the first to need is not the script's time (a
                 // first lead, or a rule using what no rule before it did, would time out on a loaded machine): the
                 // deadline moves by the JIT time this thread spent since the script started.
                 && now > _deadline + Ticks(_jitTime() - _jitAtStart))
        {
            throw new RuleBudgetExceededException($"The script timed out after {_timeout.TotalMilliseconds:0} ms.");
        }
    }

    public override void Reset() => _statements = 0;

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);
}

/// <summary>A script ran out of its statement or time budget.</summary>
internal sealed class RuleBudgetExceededException(string message) : Exception(message);

/// <summary>
/// A JavaScript rule in a rule set. Its trace entry shows the script (or, for a rule file, the file's path), <c>js</c>,
/// and its result or error.
/// </summary>
internal sealed class ScriptRuleEvaluator(ScriptRuleDefinition definition, JavaScriptRule rule) : RuleNodeEvaluator
{
    public override RuleOutcome Evaluate(LeadVars vars, RuleTrace? trace, int depth, ref string? error)
    {
        var (outcome, result) = rule.Run(vars);
        if (outcome == RuleOutcome.Error)
        {
            error ??= definition.RuleFile is { } file
                ? $"js rule {file}: {result}"
                : $"js rule '{definition.Source}' at {definition.Location}: {result}";
        }

        trace?.Add(new RuleTraceEntry(depth, definition.RuleFile ?? definition.Source, "js", null, result, null, outcome == RuleOutcome.True)
        {
            Error = outcome == RuleOutcome.Error ? result : null,
        });
        return outcome;
    }
}
