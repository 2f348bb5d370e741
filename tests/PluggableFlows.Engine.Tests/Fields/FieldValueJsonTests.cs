using System.Text;
using System.Text.Json;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Tests.Fields;

public class FieldValueJsonTests
{
    [Fact]
    public void Json_of_a_phone_has_every_component()
    {
        FieldValueJson.ToJson(FieldTypes.Parse("phone", "(512) 555-1212 x12")).ShouldBe(
            """{"type":"phone","raw":"(512) 555-1212 x12","normal":"5125551212x12","valid":true,"area":"512","exchange":"555","line":"1212","number":"5551212","extension":"12","country_code":"US","country_calling_code":1,"phone_type":null,"is_tollfree":false}""");
    }

    [Fact]
    public void Json_of_a_number_has_a_numeric_normal()
    {
        FieldValueJson.ToJson(FieldTypes.Parse("number", "$1,000.50")).ShouldBe(
            """{"type":"number","raw":"$1,000.50","normal":1000.5,"valid":true}""");
    }

    [Fact]
    public void Json_of_a_boolean_has_a_boolean_normal()
    {
        FieldValueJson.ToJson(FieldTypes.Parse("boolean", "Yes")).ShouldBe(
            """{"type":"boolean","raw":"Yes","normal":true,"valid":true}""");
    }

    [Fact]
    public void Json_of_an_invalid_email_has_the_trimmed_text_and_no_components()
    {
        FieldValueJson.ToJson(FieldTypes.Parse("email", " not-an-email ")).ShouldBe(
            """{"type":"email","raw":" not-an-email ","normal":"not-an-email","valid":false}""");
    }

    [Fact]
    public void Json_of_an_invalid_number_has_a_string_normal()
    {
        FieldValueJson.ToJson(FieldTypes.Parse("number", "abc")).ShouldBe(
            """{"type":"number","raw":"abc","normal":"abc","valid":false}""");
    }

    [Fact]
    public void Json_of_a_blank_value_has_a_null_normal()
    {
        FieldValueJson.ToJson(FieldTypes.Parse("string", "  ")).ShouldBe(
            """{"type":"string","raw":"  ","normal":null,"valid":true}""");
    }

    [Fact]
    public void Json_keeps_accented_letters_readable_and_escapes_quotes_and_emoji()
    {
        // System.Text.Json always escapes characters outside the Basic Multilingual Plane (emoji) as surrogate pairs.
        FieldValueJson.ToJson(FieldTypes.Parse("first_name", "José \"Pepe\" 😀")).ShouldBe(
            """{"type":"first_name","raw":"José \"Pepe\" \uD83D\uDE00","normal":"José \"Pepe\" \uD83D\uDE00","valid":true}""");
    }

    [Fact]
    public void Json_writes_dob_components_as_numbers()
    {
        FieldValueJson.ToJson(FieldTypes.Parse("dob", "1/2/1980")).ShouldBe(
            """{"type":"dob","raw":"1/2/1980","normal":"1980-01-02","valid":true,"age":45,"year":1980}""");
    }

    [Fact]
    public void Write_adds_one_object_to_a_larger_document()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartArray();
            FieldValueJson.Write(writer, new FieldValue("string", "a", "a", "a", valid: true));
            FieldValueJson.Write(writer, new FieldValue("range", "1-2", "1-2", "1-2", valid: true,
                new Dictionary<string, object?> { ["min"] = 1d, ["max"] = 2d }));
            writer.WriteEndArray();
        }

        Encoding.UTF8.GetString(stream.ToArray()).ShouldBe(
            """[{"type":"string","raw":"a","normal":"a","valid":true},{"type":"range","raw":"1-2","normal":"1-2","valid":true,"min":1,"max":2}]""");
    }
}
