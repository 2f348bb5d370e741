using PluggableFlows.Engine.Rules;

namespace PluggableFlows.Engine.Tests.Rules;

public class OperandNumberTests
{
    [Theory]
    [InlineData("512", 512d)]
    [InlineData("000900", 900d)]
    [InlineData(" 42 ", 42d)]
    [InlineData("0", 0d)]
    [InlineData("123456789012345", 123456789012345d)]
    [InlineData("1234567890123456", 1234567890123456d)]
    [InlineData("$1,000", 1000d)]
    [InlineData("-5", -5d)]
    [InlineData("+7", 7d)]
    [InlineData("1e3", 1000d)]
    [InlineData("2.50", 2.5d)]
    public void Numbers_read_the_same_on_the_digits_path_and_the_general_one(string text, double expected)
    {
        Operand.TryParseNumber(text, out var number).ShouldBeTrue();
        number.ShouldBe(expected);
        // The digits-only path must agree with the general parser it stands in for.
        if (double.TryParse(text.Trim().TrimStart('$'), System.Globalization.NumberStyles.Float | System.Globalization.NumberStyles.AllowThousands,
                System.Globalization.CultureInfo.InvariantCulture, out var general))
        {
            number.ShouldBe(general);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("4a")]
    [InlineData("512-555")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public void Text_that_is_not_a_number_is_not_read_as_one(string text) =>
        Operand.TryParseNumber(text, out _).ShouldBeFalse();
}
