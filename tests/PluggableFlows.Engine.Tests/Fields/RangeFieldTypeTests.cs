namespace PluggableFlows.Engine.Tests.Fields;

public class RangeFieldTypeTests
{
    [Theory]
    [InlineData("1-10", "1-10", 1d, 10d, 5.5, 5d)]
    [InlineData("1 - 10", "1-10", 1d, 10d, 5.5, 5d)]
    [InlineData("1 to 10", "1-10", 1d, 10d, 5.5, 5d)]
    [InlineData("1 TO 10", "1-10", 1d, 10d, 5.5, 5d)]
    [InlineData("1–10", "1-10", 1d, 10d, 5.5, 5d)]
    [InlineData("10-1", "1-10", 1d, 10d, 5.5, 5d)]
    [InlineData("100 to 200", "100-200", 100d, 200d, 150d, 150d)]
    [InlineData("$50,000 - $75,000", "50000-75000", 50000d, 75000d, 62500d, 62500d)]
    [InlineData("1.5-2.25", "1.5-2.25", 1.5, 2.25, 1.88, 1d)]
    [InlineData("0-0", "0-0", 0d, 0d, 0d, 0d)]
    [InlineData("10", "10-10", 10d, 10d, 10d, 10d)]
    [InlineData(" 7 ", "7-7", 7d, 7d, 7d, 7d)]
    [InlineData("2.5", "2.5-2.5", 2.5, 2.5, 2.5, 2d)]
    public void Range_parses_closed_ranges_and_single_numbers(string raw, string normal, double min, double max, double avg, double mid)
    {
        var range = FieldTypes.Parse("range", raw);

        range.Valid.ShouldBeTrue();
        range.Normal.ShouldBe(normal);
        range["min"].ShouldBe(min);
        range["max"].ShouldBe(max);
        range["avg"].ShouldBe(avg);
        range["mid"].ShouldBe(mid);
    }

    [Theory]
    [InlineData("10+", "10+", 10d)]
    [InlineData("10 +", "10+", 10d)]
    [InlineData("$100,000+", "100000+", 100000d)]
    [InlineData("2.5+", "2.5+", 2.5)]
    public void Range_parses_open_ranges(string raw, string normal, double min)
    {
        var range = FieldTypes.Parse("range", raw);

        range.Valid.ShouldBeTrue();
        range.Normal.ShouldBe(normal);
        range["min"].ShouldBe(min);
        range["max"].ShouldBeNull();
        range["avg"].ShouldBe(min);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1-")]
    [InlineData("-")]
    [InlineData("1-2-3")]
    [InlineData("+10")]
    [InlineData("ten to twenty")]
    [InlineData("1 or 2")]
    public void Range_rejects_other_text(string raw)
    {
        var range = FieldTypes.Parse("range", raw);

        range.Valid.ShouldBeFalse();
        range.Normal.ShouldBe(raw.Trim());
        range["min"].ShouldBeNull();
    }
}
