namespace PluggableFlows.Engine.Tests.Fields;

public class NumberFieldTypeTests
{
    [Theory]
    [InlineData("42", 42d, "42")]
    [InlineData("-5", -5d, "-5")]
    [InlineData("3.14", 3.14, "3.14")]
    [InlineData(".5", 0.5, "0.5")]
    [InlineData("$1,000.50", 1000.5, "1000.5")]
    [InlineData("$ 1,000", 1000d, "1000")]
    [InlineData("1,234,567", 1234567d, "1234567")]
    [InlineData("-$5.25", -5.25, "-5.25")]
    [InlineData("€99", 99d, "99")]
    [InlineData("£1,200", 1200d, "1200")]
    [InlineData(" 007 ", 7d, "7")]
    [InlineData("1e3", 1000d, "1000")]
    [InlineData("0", 0d, "0")]
    [InlineData("-0", 0d, "0")]
    [InlineData("100000.000", 100000d, "100000")]
    [InlineData("+12", 12d, "12")]
    public void Number_strips_currency_and_thousands_separators(string raw, double expected, string normal)
    {
        var number = FieldTypes.Parse("number", raw);

        number.Valid.ShouldBeTrue();
        number.Value.ShouldBe(expected);
        number.Normal.ShouldBe(normal);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("12abc")]
    [InlineData("1.2.3")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("$")]
    [InlineData("--5")]
    [InlineData("1e999")]
    [InlineData("0x1F")]
    public void Number_rejects_text_without_a_number(string raw)
    {
        var number = FieldTypes.Parse("number", raw);

        number.Valid.ShouldBeFalse();
        number.Value.ShouldBeNull();
        number.Normal.ShouldBe(raw);
    }
}
