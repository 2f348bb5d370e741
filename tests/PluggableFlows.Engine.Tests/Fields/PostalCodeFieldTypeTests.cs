namespace PluggableFlows.Engine.Tests.Fields;

public class PostalCodeFieldTypeTests
{
    [Theory]
    [InlineData("78704", "78704", "78704", null)]
    [InlineData("787044224", "78704-4224", "78704", "4224")]
    [InlineData("78704-4224", "78704-4224", "78704", "4224")]
    [InlineData("78704 4224", "78704-4224", "78704", "4224")]
    [InlineData(" 02134 ", "02134", "02134", null)]
    [InlineData("00501", "00501", "00501", null)]
    [InlineData("99950-0001", "99950-0001", "99950", "0001")]
    public void Postal_code_parses_us_zip_and_zip_plus_four(string raw, string normal, string zip, string? four)
    {
        var postal = FieldTypes.Parse("postal_code", raw);

        postal.Valid.ShouldBeTrue();
        postal.Normal.ShouldBe(normal);
        postal["country_code"].ShouldBe("US");
        postal["zip"].ShouldBe(zip);
        postal["four"].ShouldBe(four);
    }

    [Theory]
    [InlineData("K1A0B1", "K1A 0B1", "K1A", "0B1")]
    [InlineData("k1a 0b1", "K1A 0B1", "K1A", "0B1")]
    [InlineData("M5V-3L9", "M5V 3L9", "M5V", "3L9")]
    [InlineData("  h2x 1y4 ", "H2X 1Y4", "H2X", "1Y4")]
    public void Postal_code_parses_canadian_codes(string raw, string normal, string fsa, string ldu)
    {
        var postal = FieldTypes.Parse("postal_code", raw);

        postal.Valid.ShouldBeTrue();
        postal.Normal.ShouldBe(normal);
        postal["country_code"].ShouldBe("CA");
        postal["fsa"].ShouldBe(fsa);
        postal["ldu"].ShouldBe(ldu);
    }

    [Theory]
    [InlineData("SW1A1AA", "SW1A 1AA", "SW1A", "1AA")]
    [InlineData("sw1a 1aa", "SW1A 1AA", "SW1A", "1AA")]
    [InlineData("M1 1AE", "M1 1AE", "M1", "1AE")]
    [InlineData("B33 8TH", "B33 8TH", "B33", "8TH")]
    [InlineData("CR26XH", "CR2 6XH", "CR2", "6XH")]
    [InlineData("DN55 1PT", "DN55 1PT", "DN55", "1PT")]
    [InlineData("W1A 0AX", "W1A 0AX", "W1A", "0AX")]
    public void Postal_code_parses_uk_postcodes(string raw, string normal, string outcode, string incode)
    {
        var postal = FieldTypes.Parse("postal_code", raw);

        postal.Valid.ShouldBeTrue();
        postal.Normal.ShouldBe(normal);
        postal["country_code"].ShouldBe("GB");
        postal["outcode"].ShouldBe(outcode);
        postal["incode"].ShouldBe(incode);
    }

    [Theory]
    [InlineData("7870")]
    [InlineData("787041")]
    [InlineData("78704-42")]
    [InlineData("78704-42245")]
    [InlineData("D1A 0B1")]
    [InlineData("K1A 0B")]
    [InlineData("abcde")]
    [InlineData("1AA 1AA")]
    [InlineData("78704 austin")]
    public void Postal_code_rejects_other_forms(string raw)
    {
        var postal = FieldTypes.Parse("postal_code", raw);

        postal.Valid.ShouldBeFalse();
        postal.Normal.ShouldBe(raw.Trim());
        postal.Value.ShouldBeNull();
    }
}
