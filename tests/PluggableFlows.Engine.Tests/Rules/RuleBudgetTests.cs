using Microsoft.Extensions.Time.Testing;
using PluggableFlows.Engine.Rules.Scripting;

namespace PluggableFlows.Engine.Tests.Rules;

/// <summary>The JavaScript statement and time budget, on clocks the test moves.</summary>
public class RuleBudgetTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(50);

    private readonly FakeTimeProvider _time = new();
    private TimeSpan _jit = TimeSpan.FromSeconds(3);

    private RuleBudget Budget(int maxStatements = 10_000) =>
        new(maxStatements, Timeout, _time, () => _jit) { Enabled = true };

    private void Advance(double milliseconds, double ofWhichJit = 0)
    {
        _time.Advance(TimeSpan.FromMilliseconds(milliseconds));
        _jit += TimeSpan.FromMilliseconds(ofWhichJit);
    }

    // Check is called once per statement; the clock is read every 64th.
    private static void Statements(RuleBudget budget, int count)
    {
        for (var i = 0; i < count; i++)
        {
            budget.Check();
        }
    }

    [Fact]
    public void A_script_that_runs_past_its_time_is_stopped()
    {
        var budget = Budget();
        Statements(budget, 1);
        Advance(51);

        Should.Throw<RuleBudgetExceededException>(() => Statements(budget, 63)).Message.ShouldBe("The script timed out after 50 ms.");
    }

    [Fact]
    public void Time_the_runtime_spent_compiling_code_for_the_script_does_not_count()
    {
        var budget = Budget();
        Statements(budget, 1);
        Advance(80, ofWhichJit: 40);

        Should.NotThrow(() => Statements(budget, 63));

        // What is left of the script's own time still counts.
        Advance(11);
        Should.Throw<RuleBudgetExceededException>(() => Statements(budget, 64));
    }

    [Fact]
    public void Jit_time_before_the_script_started_does_not_extend_it()
    {
        _jit += TimeSpan.FromSeconds(10);
        var budget = Budget();
        Statements(budget, 1);
        Advance(51);

        Should.Throw<RuleBudgetExceededException>(() => Statements(budget, 63));
    }

    [Fact]
    public void The_clock_starts_at_the_first_statement_of_each_evaluation()
    {
        var budget = Budget();
        Statements(budget, 10);
        budget.Reset();
        Advance(1_000);

        Should.NotThrow(() => Statements(budget, 64));
    }

    [Fact]
    public void A_script_that_runs_too_many_statements_is_stopped()
    {
        var budget = Budget(maxStatements: 100);

        Should.NotThrow(() => Statements(budget, 100));
        Should.Throw<RuleBudgetExceededException>(() => Statements(budget, 1)).Message
            .ShouldBe("The script exceeded the statement budget (100 statements).");
    }
}
