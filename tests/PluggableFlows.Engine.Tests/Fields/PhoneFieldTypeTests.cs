namespace PluggableFlows.Engine.Tests.Fields;

public class PhoneFieldTypeTests
{
    [Theory]
    [InlineData("5127891111", "5127891111", "512", "789", "1111", null, "US", 1)]
    [InlineData("512 789-1111", "5127891111", "512", "789", "1111", null, "US", 1)]
    [InlineData("(512) 789-1111", "5127891111", "512", "789", "1111", null, "US", 1)]
    [InlineData("512.789.1111", "5127891111", "512", "789", "1111", null, "US", 1)]
    [InlineData("1 (512) 789-1111", "5127891111", "512", "789", "1111", null, "US", 1)]
    [InlineData("1-512-789-1111", "5127891111", "512", "789", "1111", null, "US", 1)]
    [InlineData("+1 512 789 1111", "5127891111", "512", "789", "1111", null, "US", 1)]
    [InlineData("  512-789-1111  ", "5127891111", "512", "789", "1111", null, "US", 1)]
    [InlineData("(512) 555-1212 x12", "5125551212x12", "512", "555", "1212", "12", "US", 1)]
    [InlineData("512-789-1111 x 44", "5127891111x44", "512", "789", "1111", "44", "US", 1)]
    [InlineData("512-789-1111 ext. 7", "5127891111x7", "512", "789", "1111", "7", "US", 1)]
    [InlineData("512-789-1111 extension 99", "5127891111x99", "512", "789", "1111", "99", "US", 1)]
    [InlineData("+1 613 555 0123", "6135550123", "613", "555", "0123", null, "CA", 1)]
    [InlineData("+1 242 357 1234", "2423571234", "242", "357", "1234", null, "BS", 1)]
    [InlineData("+44 20 7946 0958", "2079460958", "20", null, null, null, "GB", 44)]
    [InlineData("+44 7400 123456", "7400123456", "7400", null, null, null, "GB", 44)]
    [InlineData("+49 30 123456", "30123456", "30", null, null, null, "DE", 49)]
    [InlineData("+33 1 23 45 67 89", "123456789", "1", null, null, null, "FR", 33)]
    [InlineData("+52 55 1234 5678", "5512345678", "55", null, null, null, "MX", 52)]
    [InlineData("+61 2 9876 5432", "298765432", "2", null, null, null, "AU", 61)]
    public void Phone_parses_national_and_international_numbers(
        string raw, string normal, string area, string? exchange, string? line, string? extension, string country, int callingCode)
    {
        var phone = FieldTypes.Parse("phone", raw);

        phone.Valid.ShouldBeTrue();
        phone.Normal.ShouldBe(normal);
        phone.Value.ShouldBe(normal);
        phone["area"].ShouldBe(area);
        phone["exchange"].ShouldBe(exchange);
        phone["line"].ShouldBe(line);
        phone["extension"].ShouldBe(extension);
        phone["country_code"].ShouldBe(country);
        phone["country_calling_code"].ShouldBe(callingCode);
    }

    [Theory]
    [InlineData("5127891111", "7891111")]
    [InlineData("+44 20 7946 0958", "79460958")]
    public void Phone_number_is_the_subscriber_number_after_the_area_code(string raw, string number) =>
        FieldTypes.Parse("phone", raw)["number"].ShouldBe(number);

    [Theory]
    [InlineData("512-789-1111 h", "home")]
    [InlineData("512-789-1111 H", "home")]
    [InlineData("5127891111w", "work")]
    [InlineData("(512) 789-1111 m", "mobile")]
    [InlineData("5127891111c", "mobile")]
    [InlineData("512 789 1111 (m)", "mobile")]
    [InlineData("(512)789-1111(c)", "mobile")]
    [InlineData("512-789-1111 x12 h", "home")]
    [InlineData("512-789-1111", null)]
    public void Phone_reads_a_trailing_type_hint(string raw, string? type)
    {
        var phone = FieldTypes.Parse("phone", raw);

        phone.Valid.ShouldBeTrue();
        phone["type"].ShouldBe(type);
        phone.Normal.ShouldStartWith("5127891111");
    }

    [Theory]
    [InlineData("800-555-1212", true)]
    [InlineData("833-555-1212", true)]
    [InlineData("(888) 555-0199", true)]
    [InlineData("877.555.0100", true)]
    [InlineData("512-789-1111", false)]
    [InlineData("+44 20 7946 0958", false)]
    public void Phone_knows_toll_free_numbers(string raw, bool tollFree) =>
        FieldTypes.Parse("phone", raw)["is_tollfree"].ShouldBe(tollFree);

    [Theory]
    [InlineData("555-555-5555")]
    [InlineData("123")]
    [InlineData("123-456-7890")]
    [InlineData("abc")]
    [InlineData("020 7946 0958")]
    [InlineData("5127891111 hello")]
    [InlineData("+999 123 456 789")]
    [InlineData("-")]
    public void Phone_rejects_numbers_that_are_not_valid_for_their_region(string raw)
    {
        var phone = FieldTypes.Parse("phone", raw);

        phone.Valid.ShouldBeFalse();
        phone.Normal.ShouldBe(raw.Trim());
        phone.Value.ShouldBeNull();
    }

    [Fact]
    public void Phone_keeps_the_parts_of_a_number_that_parsed_but_is_not_valid()
    {
        var phone = FieldTypes.Parse("phone", "555-555-5555");

        phone.Valid.ShouldBeFalse();
        phone["area"].ShouldBe("555");
        phone["is_tollfree"].ShouldBe(false);
    }

    [Fact]
    public void Phone_reads_national_numbers_in_the_configured_region()
    {
        var registry = new PluggableFlows.Engine.Fields.FieldTypeRegistry(new PluggableFlows.Engine.Fields.FieldParsingOptions { DefaultPhoneRegion = "GB" });

        var phone = registry.Parse("phone", "020 7946 0958");

        phone.Valid.ShouldBeTrue();
        phone.Normal.ShouldBe("2079460958");
        phone["country_code"].ShouldBe("GB");
        phone["country_calling_code"].ShouldBe(44);
    }
}
