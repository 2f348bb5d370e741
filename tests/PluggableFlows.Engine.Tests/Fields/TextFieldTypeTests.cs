namespace PluggableFlows.Engine.Tests.Fields;

public class TextFieldTypeTests
{
    [Theory]
    [InlineData("string", "hello", "hello")]
    [InlineData("string", "  padded  ", "padded")]
    [InlineData("first_name", " José ", "José")]
    [InlineData("last_name", "O'Brien", "O'Brien")]
    [InlineData("city", "Austin", "Austin")]
    [InlineData("string", "a  b", "a  b")]
    public void String_types_trim_and_are_always_valid(string type, string raw, string normal)
    {
        var value = FieldTypes.Parse(type, raw);

        value.Type.ShouldBe(type);
        value.Valid.ShouldBeTrue();
        value.Normal.ShouldBe(normal);
        value.Value.ShouldBe(normal);
    }

    [Theory]
    [InlineData("s3cret")]
    [InlineData("  spaces kept  ")]
    [InlineData("p@ss\tword")]
    public void Credential_is_kept_exactly_as_sent(string raw)
    {
        var value = FieldTypes.Parse("credential", raw);

        value.Valid.ShouldBeTrue();
        value.Normal.ShouldBe(raw);
        value.Value.ShouldBe(raw);
    }

    [Theory]
    [InlineData("123 Main St", "123", "Main St")]
    [InlineData("  4500 N Lamar Blvd Apt 2 ", "4500", "N Lamar Blvd Apt 2")]
    [InlineData("12B Baker Street", "12B", "Baker Street")]
    [InlineData("PO Box 12", null, "PO Box 12")]
    [InlineData("Main Street", null, "Main Street")]
    public void Street_splits_the_house_number_from_the_name(string raw, string? number, string name)
    {
        var street = FieldTypes.Parse("street", raw);

        street.Valid.ShouldBeTrue();
        street.Normal.ShouldBe(raw.Trim());
        street["number"].ShouldBe(number);
        street["name"].ShouldBe(name);
    }

    [Theory]
    [InlineData("Main")]
    [InlineData("123")]
    [InlineData("  ")]
    public void Street_needs_at_least_two_words(string raw) =>
        FieldTypes.Parse("street", raw).Valid.ShouldBeFalse();

    [Theory]
    [InlineData("m", "male", "m")]
    [InlineData("M", "male", "m")]
    [InlineData("Male", "male", "m")]
    [InlineData("f", "female", "f")]
    [InlineData(" FEMALE ", "female", "f")]
    [InlineData("o", "other", "o")]
    [InlineData("Other", "other", "o")]
    public void Gender_reads_letters_and_words(string raw, string normal, string abbr)
    {
        var gender = FieldTypes.Parse("gender", raw);

        gender.Valid.ShouldBeTrue();
        gender.Normal.ShouldBe(normal);
        gender["abbr"].ShouldBe(abbr);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("man")]
    [InlineData("mf")]
    public void Gender_rejects_other_words(string raw) => FieldTypes.Parse("gender", raw).Valid.ShouldBeFalse();

    [Theory]
    [InlineData("123-45-6789", "123456789")]
    [InlineData("123 45 6789", "123456789")]
    [InlineData("123456789", "123456789")]
    [InlineData("SSN: 078-05-1120", "078051120")]
    public void Ssn_collects_nine_digits(string raw, string normal)
    {
        var ssn = FieldTypes.Parse("ssn", raw);

        ssn.Valid.ShouldBeTrue();
        ssn.Normal.ShouldBe(normal);
        ssn["first_three"].ShouldBe(normal[..3]);
        ssn["middle_two"].ShouldBe(normal[3..5]);
        ssn["last_four"].ShouldBe(normal[5..]);
    }

    [Theory]
    [InlineData("1234")]
    [InlineData("12345678")]
    [InlineData("1234567890")]
    [InlineData("no digits")]
    public void Ssn_rejects_anything_but_nine_digits(string raw)
    {
        var ssn = FieldTypes.Parse("ssn", raw);

        ssn.Valid.ShouldBeFalse();
        ssn["last_four"].ShouldBeNull();
    }
}
