using PluggableFlows.Engine.Fields;

namespace PluggableFlows.Engine.Tests.Fields;

public class StandardFieldsTests
{
    [Fact]
    public void Standard_fields_cover_at_least_forty_common_fields()
    {
        StandardFields.Types.Count.ShouldBeGreaterThanOrEqualTo(40);
    }

    [Fact]
    public void Every_standard_field_type_is_a_registered_type()
    {
        foreach (var (field, type) in StandardFields.Types)
        {
            FieldTypeRegistry.Default.TryGet(type, out _).ShouldBeTrue($"{field} has unknown type {type}");
        }
    }

    [Theory]
    [InlineData("first_name", "first_name")]
    [InlineData("last_name", "last_name")]
    [InlineData("email", "email")]
    [InlineData("phone_1", "phone")]
    [InlineData("phone_2", "phone")]
    [InlineData("phone_3", "phone")]
    [InlineData("address_1", "street")]
    [InlineData("address_2", "string")]
    [InlineData("city", "city")]
    [InlineData("state", "state")]
    [InlineData("postal_code", "postal_code")]
    [InlineData("dob", "dob")]
    [InlineData("gender", "gender")]
    [InlineData("ip_address", "ip")]
    [InlineData("trustedform_cert_url", "trustedform_url")]
    [InlineData("leadid_token", "string")]
    [InlineData("price", "number")]
    [InlineData("income", "number")]
    [InlineData("vehicle_year", "number")]
    [InlineData("homeowner", "boolean")]
    [InlineData("opt_in", "boolean")]
    [InlineData("landing_page_url", "url")]
    [InlineData("timestamp", "time")]
    [InlineData("ssn", "ssn")]
    [InlineData("Phone_1", "phone")]
    public void TypeOf_gives_the_standard_type(string field, string type) =>
        StandardFields.TypeOf(field).ShouldBe(type);

    [Fact]
    public void TypeOf_is_null_for_custom_fields() => StandardFields.TypeOf("favorite_color").ShouldBeNull();
}
