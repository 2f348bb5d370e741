namespace PluggableFlows.Engine.Tests.Fields;

public class DateFieldTypeTests
{
    [Theory]
    [InlineData("1/2/2020", "2020-01-02")]
    [InlineData("01/02/2020", "2020-01-02")]
    [InlineData("1-2-2020", "2020-01-02")]
    [InlineData("01-02-2020", "2020-01-02")]
    [InlineData("1/2/20", "2020-01-02")]
    [InlineData("12/31/99", "1999-12-31")]
    [InlineData("January 2, 2020", "2020-01-02")]
    [InlineData("Jan 2 2020", "2020-01-02")]
    [InlineData("jan. 2, 2020", "2020-01-02")]
    [InlineData("Sept 5, 2021", "2021-09-05")]
    [InlineData("December 25th, 2019", "2019-12-25")]
    [InlineData("Thursday, January 2, 2020", "2020-01-02")]
    [InlineData("13/02/2020", "2020-02-13")]
    [InlineData("31/12/2020", "2020-12-31")]
    [InlineData("02.01.2020", "2020-01-02")]
    [InlineData("2 January 2020", "2020-01-02")]
    [InlineData("2020-01-02", "2020-01-02")]
    [InlineData("2020/01/02", "2020-01-02")]
    [InlineData("2020-1-2", "2020-01-02")]
    [InlineData("2020-01-02T10:00:00Z", "2020-01-02")]
    [InlineData("2/29/2020", "2020-02-29")]
    [InlineData("  3/4/2021  ", "2021-03-04")]
    public void Date_parses_us_then_european_then_iso_formats(string raw, string normal)
    {
        var date = FieldTypes.Parse("date", raw);

        date.Valid.ShouldBeTrue();
        date.Normal.ShouldBe(normal);
        date.Value.ShouldBe(DateOnly.ParseExact(normal, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("2/30/2020")]
    [InlineData("2/29/2021")]
    [InlineData("13/13/2020")]
    [InlineData("0/1/2020")]
    [InlineData("1/0/2020")]
    [InlineData("2020-13-01")]
    [InlineData("2020-02-30")]
    [InlineData("31.04.2020")]
    [InlineData("Smarch 2, 2020")]
    [InlineData("January 32, 2020")]
    [InlineData("1/2/0000")]
    [InlineData("2020")]
    [InlineData("yesterday")]
    [InlineData("1/2")]
    [InlineData("123/4/2020")]
    public void Date_rejects_impossible_and_unknown_dates(string raw)
    {
        var date = FieldTypes.Parse("date", raw);

        date.Valid.ShouldBeFalse();
        date.Normal.ShouldBe(raw.Trim());
        date.Value.ShouldBeNull();
    }
}
