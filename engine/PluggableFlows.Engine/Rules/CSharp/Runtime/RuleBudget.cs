using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace PluggableFlows.Engine.Rules.CSharp.Runtime;

/// <summary>
/// The budget of one C# rule evaluation on the current thread. The compiler injects <see cref="Tick"/> at the top of
/// every loop body and <see cref="Enter"/> at the top of every lambda and local function, so a runaway loop or
/// recursion stops with an error instead of taking the host down. Once exceeded, every further check throws, so a
/// rule cannot carry on past its budget.
/// </summary>
public static class RuleBudget
{
    /// <summary>Loop iterations plus calls one evaluation may make.</summary>
    public const int MaxSteps = 100_000;

    /// <summary>Bytes one evaluation may allocate (checked at each step).</summary>
    public const long MaxAllocatedBytes = 16 * 1024 * 1024;

    /// <summary>How long one evaluation may run (checked every 64 steps).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(50);

    private static readonly long TimeoutTicks = (long)(Timeout.TotalSeconds * Stopwatch.Frequency);

    [ThreadStatic] private static int _steps;
    [ThreadStatic] private static long _deadline;
    [ThreadStatic] private static long _allocatedAtStart;
    [ThreadStatic] private static string? _exceeded;

    /// <summary>Starts an evaluation's budget on this thread.</summary>
    internal static void Begin()
    {
        _steps = 0;
        _exceeded = null;
        _deadline = Stopwatch.GetTimestamp() + TimeoutTicks;
        _allocatedAtStart = GC.GetAllocatedBytesForCurrentThread();
    }

    /// <summary>Why the evaluation that just ran exceeded its budget, or null.</summary>
    internal static string? Exceeded => _exceeded;

    /// <summary>One loop iteration.</summary>
    public static void Tick()
    {
        if (_exceeded is not null)
        {
            throw new RuleBudgetExceededException(_exceeded);
        }

        var steps = ++_steps;
        if (steps > MaxSteps)
        {
            Exceed($"The rule exceeded its budget of {MaxSteps:N0} loop iterations and calls.");
        }

        if (GC.GetAllocatedBytesForCurrentThread() - _allocatedAtStart > MaxAllocatedBytes)
        {
            Exceed($"The rule exceeded its memory budget ({MaxAllocatedBytes / 1024 / 1024} MB).");
        }

        if ((steps & 63) == 0 && Stopwatch.GetTimestamp() > _deadline)
        {
            Exceed($"The rule exceeded its time budget ({Timeout.TotalMilliseconds:0} ms).");
        }
    }

    /// <summary>One call of a lambda or local function: a step, and a check that the stack has room.</summary>
    public static void Enter()
    {
        Tick();
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            Exceed("The rule exceeded its recursion budget (the stack is nearly full).");
        }
    }

    private static void Exceed(string reason)
    {
        _exceeded = reason;
        throw new RuleBudgetExceededException(reason);
    }
}

/// <summary>A C# rule ran out of its budget.</summary>
public sealed class RuleBudgetExceededException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RuleBudgetExceededException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public RuleBudgetExceededException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public RuleBudgetExceededException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
