using System.Text;
using System.Text.Json;
using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.Http.Tests;

public sealed class RequestBuildingTests
{
    private const string Url = "https://crm.example.com/leads";

    [Fact]
    public void Json_properties_are_written_at_their_dot_paths_in_input_order()
    {
        var request = Build(new HttpJson(), new()
        {
            ["json_property.contact.email"] = "jane@example.com",
            ["json_property.contact.name.first"] = "Jane",
            ["json_property.source"] = "web",
            ["json_property.contact.name.last"] = "Doe",
        });

        request.Method.ShouldBe("POST");
        request.Url.ShouldBe(new Uri(Url));
        request.ContentType.ShouldBe("application/json");
        request.Body.ShouldBe("""{"contact":{"email":"jane@example.com","name":{"first":"Jane","last":"Doe"}},"source":"web"}""");
    }

    [Fact]
    public void Numbers_and_booleans_stay_typed_and_fields_are_sent_as_their_normal_form()
    {
        var request = Build(new HttpJson(), new()
        {
            ["json_property.year"] = 2019L,
            ["json_property.score"] = 0.75,
            ["json_property.valid"] = true,
            ["json_property.amount"] = new FieldValue("number", "$1,000.50", "1000.5", 1000.5, valid: true),
            ["json_property.consent"] = new FieldValue("boolean", "Yes", "true", true, valid: true),
            ["json_property.phone"] = new FieldValue("phone", "(512) 555-1212", "5125551212", "5125551212", valid: true),
            ["json_property.bad_number"] = new FieldValue("number", "lots", "lots", null, valid: false),
            ["json_property.text_true"] = "true",
            ["json_property.nothing"] = null,
        });

        request.Body.ShouldBe(
            """{"year":2019,"score":0.75,"valid":true,"amount":1000.5,"consent":true,"phone":"5125551212","bad_number":"lots","text_true":"true","nothing":null}""");
    }

    [Theory]
    [InlineData("She said \"hi\"")]
    [InlineData("</tag><script>alert(1)</script>")]
    [InlineData("line one\nline two\r\n\ttabbed")]
    [InlineData("nul\0inside")]
    [InlineData("emoji 😀 and ünïcödé and ☃")]
    [InlineData("back\\slash and \u2028 separator")]
    public void Any_value_gives_well_formed_JSON_holding_it_intact(string value)
    {
        var request = Build(new HttpJson(), new() { ["json_property.contact.note"] = value, ["json_property.after"] = "x" });

        using var body = JsonDocument.Parse(request.Body!);
        body.RootElement.GetProperty("contact").GetProperty("note").GetString().ShouldBe(value);
        body.RootElement.GetProperty("after").GetString().ShouldBe("x");
    }

    [Theory]
    [InlineData("json_property.contact", "json_property.contact.email", "needs 'contact' to be an object")]
    [InlineData("json_property.contact.email", "json_property.contact", "both write the property 'contact'")]
    public void Paths_that_collide_skip_the_step_naming_both(string first, string second, string reason)
    {
        var input = Input(new() { [first] = "a", [second] = "b" });

        new HttpJson().Validate(input).ShouldNotBeNull().ShouldContain(reason);
    }

    [Theory]
    [InlineData("json_property.", "is not a dot path")]
    [InlineData("json_property.a..b", "is not a dot path")]
    public void A_property_path_with_an_empty_part_skips_the_step(string name, string reason)
    {
        new HttpJson().Validate(Input(new() { [name] = "x" })).ShouldNotBeNull().ShouldContain(reason);
    }

    [Fact]
    public void Form_fields_are_url_encoded_as_browsers_do()
    {
        var request = Build(new HttpForm(), new()
        {
            ["form_field.name"] = "Jane & John = Doe",
            ["form_field.city"] = "São Paulo",
            ["form_field.note"] = "50% off? a+b/c 😀",
            ["form_field.first name"] = "x",
            ["form_field.valid"] = true,
            ["form_field.phone"] = new FieldValue("phone", "(512) 555-1212", "5125551212", "5125551212", valid: true),
        });

        request.ContentType.ShouldBe("application/x-www-form-urlencoded");
        request.Body.ShouldBe("name=Jane+%26+John+%3D+Doe&city=S%C3%A3o+Paulo&note=50%25+off%3F+a%2Bb%2Fc+%F0%9F%98%80&first+name=x&valid=true&phone=5125551212");
        Decode(request.Body!).ShouldBe(
        [
            ("name", "Jane & John = Doe"), ("city", "São Paulo"), ("note", "50% off? a+b/c 😀"), ("first name", "x"), ("valid", "true"),
            ("phone", "5125551212"),
        ]);
    }

    [Fact]
    public void Form_inputs_for_the_other_body_format_skip_the_step()
    {
        new HttpForm().Validate(Input(new() { ["json_property.email"] = "x" })).ShouldNotBeNull()
            .ShouldContain("'json_property.email' is not an input of http.form: body values are named form_field.<name>");
    }

    [Fact]
    public void Username_and_password_are_sent_as_basic_auth()
    {
        var request = Build(new HttpJson(), new(), new() { ["username"] = "acme", ["password"] = "pa:ss wörd" });

        request.Headers.ShouldContain(new KeyValuePair<string, string>("Authorization",
            "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("acme:pa:ss wörd"))));
    }

    [Fact]
    public void A_token_is_sent_as_a_bearer_token()
    {
        var request = Build(new HttpForm(), new(), new() { ["token"] = "tok-123" });

        request.Headers.ShouldContain(new KeyValuePair<string, string>("Authorization", "Bearer tok-123"));
    }

    [Fact]
    public void Without_credentials_no_authorization_is_sent()
    {
        Build(new HttpJson(), new()).Headers.ShouldNotContain(h => h.Key == "Authorization");
    }

    [Fact]
    public void Both_kinds_of_credentials_skip_the_step()
    {
        new HttpJson().Validate(Input(new(), new() { ["username"] = "acme", ["token"] = "tok" })).ShouldNotBeNull()
            .ShouldContain("not both");
    }

    [Fact]
    public void Header_inputs_become_headers_and_a_content_type_header_replaces_the_default()
    {
        var request = Build(new HttpJson(), new()
        {
            ["header.X-Campaign"] = "spring",
            ["header.Content-Type"] = "application/vnd.acme+json",
            ["json_property.a"] = "b",
        });

        request.Headers.ShouldBe([new("X-Campaign", "spring")]);
        request.ContentType.ShouldBe("application/vnd.acme+json");
    }

    [Theory]
    [InlineData("header.Bad Name", "x", "does not name a valid HTTP header")]
    [InlineData("header.X-Note", "one\r\nInjected: yes", "line break")]
    [InlineData("header.Content-Type", "not a type", "is not a media type")]
    public void Headers_that_cannot_be_sent_skip_the_step(string name, string value, string reason)
    {
        new HttpJson().Validate(Input(new() { [name] = value })).ShouldNotBeNull().ShouldContain(reason);
    }

    [Theory]
    [InlineData(null, "POST")]
    [InlineData("put", "PUT")]
    [InlineData("PATCH", "PATCH")]
    public void The_method_is_POST_unless_the_step_says_otherwise(string? method, string expected)
    {
        var inputs = new Dictionary<string, object?>();
        if (method is not null)
        {
            inputs["method"] = method;
        }

        Build(new HttpJson(), inputs).Method.ShouldBe(expected);
    }

    [Theory]
    [InlineData("url", null, "No URL to deliver to: map the input 'url'")]
    [InlineData("url", "crm.example.com/leads", "is not an absolute http(s) URL")]
    [InlineData("url", "ftp://crm.example.com/leads", "is not an absolute http(s) URL")]
    [InlineData("method", "GET", "'method' 'GET' is not one http.json sends; use POST, PUT, PATCH, DELETE")]
    [InlineData("timeout", "10", "set it on the step (timeout: 10s)")]
    [InlineData("json_propery.email", "x", "'json_propery.email' is not an input of http.json")]
    public void A_misconfigured_delivery_is_skipped_with_a_reason_instead_of_sent(string name, string? value, string reason)
    {
        var input = Input(new() { [name] = value });

        new HttpJson().Validate(input).ShouldNotBeNull().ShouldContain(reason);
    }

    [Fact]
    public void A_url_field_is_used_as_its_normal_form()
    {
        var request = Build(new HttpJson(), new() { ["url"] = new FieldValue("url", "crm.example.com/in", "https://crm.example.com/in", "https://crm.example.com/in", valid: true) });

        request.Url.ShouldBe(new Uri("https://crm.example.com/in"));
    }

    private static IntegrationRequest Build(HttpDelivery integration, Dictionary<string, object?> inputs, Dictionary<string, string>? credentials = null)
    {
        var input = Input(inputs, credentials);
        integration.Validate(input).ShouldBeNull();
        return integration.BuildRequest(input);
    }

    private static IntegrationInput Input(Dictionary<string, object?> inputs, Dictionary<string, string>? credentials = null)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal) { ["url"] = Url };
        foreach (var (name, value) in inputs)
        {
            values[name] = value;
        }

        return new IntegrationInput(values, credentials);
    }

    private static List<(string, string)> Decode(string body) =>
    [
        .. body.Split('&').Select(pair => pair.Split('=')).Select(parts => (Unescape(parts[0]), Unescape(parts[1]))),
    ];

    private static string Unescape(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
