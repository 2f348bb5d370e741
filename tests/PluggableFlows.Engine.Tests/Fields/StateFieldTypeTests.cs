namespace PluggableFlows.Engine.Tests.Fields;

public class StateFieldTypeTests
{
    [Theory]
    [InlineData("TX", "TX", "Texas")]
    [InlineData("tx", "TX", "Texas")]
    [InlineData("Texas", "TX", "Texas")]
    [InlineData("TEXAS", "TX", "Texas")]
    [InlineData(" new york ", "NY", "New York")]
    [InlineData("new  york", "NY", "New York")]
    [InlineData("North Carolina", "NC", "North Carolina")]
    [InlineData("dc", "DC", "District of Columbia")]
    [InlineData("D.C.", "DC", "District of Columbia")]
    [InlineData("Washington DC", "DC", "District of Columbia")]
    [InlineData("district of columbia", "DC", "District of Columbia")]
    [InlineData("Washington", "WA", "Washington")]
    [InlineData("PR", "PR", "Puerto Rico")]
    [InlineData("Guam", "GU", "Guam")]
    [InlineData("vi", "VI", "U.S. Virgin Islands")]
    [InlineData("American Samoa", "AS", "American Samoa")]
    [InlineData("MP", "MP", "Northern Mariana Islands")]
    [InlineData("on", "ON", "Ontario")]
    [InlineData("British Columbia", "BC", "British Columbia")]
    [InlineData("Québec", "QC", "Quebec")]
    [InlineData("Quebec", "QC", "Quebec")]
    [InlineData("Newfoundland", "NL", "Newfoundland and Labrador")]
    [InlineData("YT", "YT", "Yukon")]
    public void State_reads_codes_and_names_of_us_states_territories_and_provinces(string raw, string code, string name)
    {
        var state = FieldTypes.Parse("state", raw);

        state.Valid.ShouldBeTrue();
        state.Normal.ShouldBe(code);
        state.Value.ShouldBe(code);
        state["name"].ShouldBe(name);
    }

    [Theory]
    [InlineData("XX")]
    [InlineData("Tex")]
    [InlineData("T")]
    [InlineData("New Yorkshire")]
    [InlineData("England")]
    [InlineData("  zz  ")]
    public void State_is_invalid_unless_recognized(string raw)
    {
        var state = FieldTypes.Parse("state", raw);

        state.Valid.ShouldBeFalse();
        state.Normal.ShouldBe(raw.Trim());
        state["name"].ShouldBeNull();
    }
}
