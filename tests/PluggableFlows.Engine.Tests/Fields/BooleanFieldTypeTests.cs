namespace PluggableFlows.Engine.Tests.Fields;

public class BooleanFieldTypeTests
{
    [Theory]
    [InlineData("yes", true)]
    [InlineData("Yes", true)]
    [InlineData("YES", true)]
    [InlineData("y", true)]
    [InlineData("Y", true)]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("t", true)]
    [InlineData("1", true)]
    [InlineData(" yes ", true)]
    [InlineData("no", false)]
    [InlineData("No", false)]
    [InlineData("n", false)]
    [InlineData("false", false)]
    [InlineData("False", false)]
    [InlineData("F", false)]
    [InlineData("0", false)]
    public void Boolean_reads_leadconduit_words_in_any_case(string raw, bool expected)
    {
        var value = FieldTypes.Parse("boolean", raw);

        value.Valid.ShouldBeTrue();
        value.Value.ShouldBe(expected);
        value.Normal.ShouldBe(expected ? "true" : "false");
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData("2")]
    [InlineData("-1")]
    [InlineData("yess")]
    [InlineData("on")]
    [InlineData("nope")]
    [InlineData("tru")]
    public void Boolean_rejects_other_words(string raw)
    {
        var value = FieldTypes.Parse("boolean", raw);

        value.Valid.ShouldBeFalse();
        value.Value.ShouldBeNull();
        value.Normal.ShouldBe(raw);
    }
}
