using Microsoft.Extensions.Time.Testing;
using PluggableFlows.Engine.Fields;

namespace PluggableFlows.Engine.Tests.Fields;

/// <summary>Ages are as of <see cref="FieldTypes.Now"/>, 2025-06-15.</summary>
public class DobFieldTypeTests
{
    [Theory]
    [InlineData("1/2/1980", "1980-01-02", 45)]
    [InlineData("06/15/1980", "1980-06-15", 45)]
    [InlineData("06/16/1980", "1980-06-16", 44)]
    [InlineData("6/14/2000", "2000-06-14", 25)]
    [InlineData("12/31/1999", "1999-12-31", 25)]
    [InlineData("1/2/85", "1985-01-02", 40)]
    [InlineData("1/2/25", "2025-01-02", 0)]
    [InlineData("7/1/25", "1925-07-01", 99)]
    [InlineData("1/2/30", "1930-01-02", 95)]
    [InlineData("January 2, 1970", "1970-01-02", 55)]
    [InlineData("Feb 29 1996", "1996-02-29", 29)]
    [InlineData("25/12/1990", "1990-12-25", 34)]
    [InlineData("15.06.2007", "2007-06-15", 18)]
    [InlineData("1965-03-04", "1965-03-04", 60)]
    [InlineData("1965/03/04", "1965-03-04", 60)]
    [InlineData("2025-06-15", "2025-06-15", 0)]
    public void Dob_parses_like_a_date_and_knows_the_age(string raw, string normal, int age)
    {
        var dob = FieldTypes.Parse("dob", raw);

        dob.Valid.ShouldBeTrue();
        dob.Normal.ShouldBe(normal);
        dob["age"].ShouldBe(age);
        dob["year"].ShouldBe(int.Parse(normal[..4], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("6/16/2025")]
    [InlineData("1/1/2099")]
    [InlineData("2/30/1980")]
    [InlineData("not a date")]
    public void Dob_rejects_impossible_and_future_dates(string raw)
    {
        var dob = FieldTypes.Parse("dob", raw);

        dob.Valid.ShouldBeFalse();
        dob.Value.ShouldBeNull();
        dob["age"].ShouldBeNull();
    }

    [Fact]
    public void Dob_age_follows_the_clock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));
        var registry = new FieldTypeRegistry(time: clock);

        registry.Parse("dob", "1/2/2000")["age"].ShouldBe(29);
        clock.Advance(TimeSpan.FromDays(1));
        registry.Parse("dob", "1/2/2000")["age"].ShouldBe(30);
    }
}
