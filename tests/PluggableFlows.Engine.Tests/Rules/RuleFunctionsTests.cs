using System.Globalization;
using PluggableFlows.Engine.Rules.CSharp.Runtime;

namespace PluggableFlows.Engine.Tests.Rules;

public class RuleFunctionsTests
{
    [Theory]
    [InlineData("Test Lead", "^test", false, true)]
    [InlineData("Test Lead", "^test", true, false)]
    [InlineData("Test Lead", "^Test", true, true)]
    [InlineData(null, "^$", false, true)]
    [InlineData("ada@example.com", @"@example\.com$", false, true)]
    public void Matches_ignores_case_unless_asked(string? text, string pattern, bool caseSensitive, bool expected) =>
        RuleFunctions.matches(text, pattern, caseSensitive).ShouldBe(expected);

    [Fact]
    public void Matches_stays_right_past_the_pattern_cache()
    {
        // More distinct patterns than are cached compiled: the later ones are matched without the cache, still right.
        for (var i = 0; i < RuleFunctions.MaxCachedPatterns + 20; i++)
        {
            var number = i.ToString(CultureInfo.InvariantCulture);
            RuleFunctions.matches("lead-" + number, "^lead-" + number + "$").ShouldBeTrue(number);
            RuleFunctions.matches("lead-" + number, "^LEAD-" + number + "$", caseSensitive: true).ShouldBeFalse(number);
        }
    }

    [Fact]
    public void A_pattern_that_runs_past_its_time_limit_throws_as_before()
    {
        var text = new string('a', 40_000) + "!";

        Should.Throw<System.Text.RegularExpressions.RegexMatchTimeoutException>(() => RuleFunctions.matches(text, "^(a+)+$"));
    }
}
