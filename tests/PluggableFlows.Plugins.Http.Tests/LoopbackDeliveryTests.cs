using System.Text.Json;
using System.Xml.Linq;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Sdk;
using PluggableFlows.Testing;

namespace PluggableFlows.Plugins.Http.Tests;

/// <summary>
/// Deliveries sent by the engine's invoker (through the address-guarded handler, loopback allowed as tests must) to a real
/// HTTP server on 127.0.0.1, which checks what arrived: the bytes, the headers, and that hostile lead values survive intact.
/// </summary>
public sealed class LoopbackDeliveryTests : IDisposable
{
    /// <summary>Lead values that break naive payload writers.</summary>
    public static readonly IReadOnlyDictionary<string, string> Hostile = new Dictionary<string, string>
    {
        ["quotes"] = "Jane \"JJ\" O'Neil \\ back",
        ["closing_tag"] = "</name><admin>true</admin>",
        ["ampersand"] = "Tom & Jerry &amp; &#x41;",
        ["template"] = "{{ lead.ssn }} {% raw %}",
        ["newlines"] = "line 1\nline 2\r\nline 3\ttabbed",
        ["nul"] = "before\0after",
        ["emoji"] = "Party 🎉👍🏽 time",
        ["rtl"] = "שלום مرحبا \u202Eevil",
        ["form_syntax"] = "a=1&b=2+3 %20 ?x#y",
    };

    private readonly SocketsHttpHandler _handler = IntegrationHttpHandler.CreateGuarded(new PipelineOptions { AllowLoopbackDeliveries = true });
    private readonly IntegrationInvoker _invoker;
    private readonly LoopbackHttpServer _crm = new(_ => new CannedResponse(201, """{"result":"accepted","id":"C-1"}"""));

    public LoopbackDeliveryTests() => _invoker = new IntegrationInvoker(_handler, TimeProvider.System);

    public void Dispose()
    {
        _crm.Dispose();
        _handler.Dispose();
    }

    public static TheoryData<string> Formats => ["http.json", "http.form", "http.query", "http.xml", "http.soap"];

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Hostile_lead_values_arrive_intact_in_a_well_formed_payload(string format)
    {
        var (integration, prefix) = Integration(format);
        var inputs = Hostile.ToDictionary(pair => prefix + Path(format, pair.Key), pair => (object?)pair.Value);

        var result = await DeliverAsync(integration, inputs);

        result.Outcome.ShouldBe(Outcome.Success, result.Reason);
        var received = _crm.Received.ShouldHaveSingleItem();
        var values = Decode(format, received);
        foreach (var (name, value) in Hostile)
        {
            // XML 1.0 cannot carry NUL at all, not even escaped: it is the one character left out.
            var expected = format is "http.xml" or "http.soap" ? value.Replace("\0", "", StringComparison.Ordinal) : value;
            values[name].ShouldBe(expected, $"{format} {name}");
        }
    }

    [Fact]
    public async Task Json_arrives_as_exactly_these_bytes()
    {
        await DeliverAsync(new HttpJson(), new() { ["json_property.contact.name"] = "Zoë \"Z\" <b>&", ["json_property.contact.age"] = 42L });

        var received = _crm.Received.ShouldHaveSingleItem();
        received.Method.ShouldBe("POST");
        received.Headers["Content-Type"].ShouldBe("application/json");
        received.Body.ShouldBe("""{"contact":{"name":"Zoë \"Z\" <b>&","age":42}}""");
    }

    [Fact]
    public async Task Xml_arrives_as_exactly_these_bytes()
    {
        await DeliverAsync(new HttpXml(), new()
        {
            ["xml_path.lead@version"] = "2",
            ["xml_path.lead.contact.name"] = "Zoë \"Z\" <b>&",
            ["xml_path.lead.contact@type"] = "home & \"work\"",
            ["xml_path.lead.consent"] = "yes",
        });

        var received = _crm.Received.ShouldHaveSingleItem();
        received.Headers["Content-Type"].ShouldBe("application/xml");
        received.Body.ShouldBe("""<?xml version="1.0" encoding="utf-8"?><lead version="2"><contact type="home &amp; &quot;work&quot;"><name>Zoë "Z" &lt;b&gt;&amp;</name></contact><consent>yes</consent></lead>""");
    }

    [Fact]
    public async Task Soap_1_1_arrives_in_an_envelope_with_its_content_type_and_SOAPAction()
    {
        await DeliverAsync(new HttpSoap(), new()
        {
            ["soap_action"] = "http://crm.example.com/AddLead",
            ["xml_path.AddLead@xmlns"] = "http://crm.example.com/",
            ["xml_path.AddLead.Email"] = "jane@example.com",
        });

        var received = _crm.Received.ShouldHaveSingleItem();
        received.Headers["Content-Type"].ShouldBe("text/xml; charset=utf-8");
        received.Headers["SOAPAction"].ShouldBe("\"http://crm.example.com/AddLead\"");
        received.Body.ShouldBe("""<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><AddLead xmlns="http://crm.example.com/"><Email>jane@example.com</Email></AddLead></soap:Body></soap:Envelope>""");
    }

    [Fact]
    public async Task Soap_1_2_carries_the_action_in_its_content_type()
    {
        await DeliverAsync(new HttpSoap(), new()
        {
            ["soap_version"] = "1.2",
            ["soap_action"] = "urn:AddLead",
            ["xml_path.AddLead.Email"] = "jane@example.com",
        });

        var received = _crm.Received.ShouldHaveSingleItem();
        received.Headers["Content-Type"].ShouldBe("application/soap+xml; charset=utf-8; action=\"urn:AddLead\"");
        received.Headers.ContainsKey("SOAPAction").ShouldBeFalse();
        received.Body.ShouldContain("""<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><AddLead>""");
    }

    [Fact]
    public async Task A_query_delivery_is_a_GET_with_the_values_after_the_urls_own_parameters()
    {
        var result = await DeliverAsync(new HttpQuery(), new()
        {
            ["url"] = $"{_crm.BaseUrl}leads?campaign=7",
            ["parameter.email"] = "jane+tag@example.com",
            ["parameter.name"] = "Zoë O'Neil",
        });

        result.Outcome.ShouldBe(Outcome.Success, result.Reason);
        var received = _crm.Received.ShouldHaveSingleItem();
        received.Method.ShouldBe("GET");
        received.Body.ShouldBeEmpty();
        received.PathAndQuery.ShouldBe("/leads?campaign=7&email=jane%2Btag%40example.com&name=Zo%C3%AB%20O%27Neil");
    }

    [Fact]
    public async Task A_form_arrives_as_exactly_these_bytes()
    {
        await DeliverAsync(new HttpForm(), new() { ["form_field.name"] = "Zoë & Co", ["form_field.note"] = "a=b" });

        var received = _crm.Received.ShouldHaveSingleItem();
        received.Headers["Content-Type"].ShouldBe("application/x-www-form-urlencoded");
        received.Body.ShouldBe("name=Zo%C3%AB+%26+Co&note=a%3Db");
    }

    [Theory]
    [InlineData("http.json", "{\"lead\": {\"email\": \"jane@example.com\",\n  \"name\": \"Jane\"", "The body is not well-formed JSON at line 2, column")]
    [InlineData("http.json", "{\"a\": 1,}", "The body is not well-formed JSON at line 1, column 9")]
    [InlineData("http.json", "", "The body is not well-formed JSON at line 1, column 1")]
    [InlineData("http.xml", "<lead>\n  <email>jane@example.com</lead>", "The body is not well-formed XML at line 2, column")]
    [InlineData("http.xml", "<lead>Tom & Jerry</lead>", "The body is not well-formed XML at line 1, column")]
    [InlineData("http.soap", "<AddLead><Email>x</Email>", "The body is not well-formed XML at line 1, column")]
    public async Task A_body_that_is_not_well_formed_is_an_error_naming_the_position_and_nothing_is_sent(string format, string body, string reason)
    {
        var (integration, _) = Integration(format);

        var result = await DeliverAsync(integration, new() { ["body"] = body });

        result.Outcome.ShouldBe(Outcome.Error);
        result.Reason.ShouldNotBeNull().ShouldStartWith(reason);
        result.Reason.ShouldEndWith("Nothing was sent.");
        _crm.Received.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("http.json", """{"lead":{"email":"jane@example.com"}}""", "application/json")]
    [InlineData("http.xml", """<lead><email>jane@example.com</email></lead>""", "application/xml")]
    [InlineData("http.form", "email=jane%40example.com&name=Jane", "application/x-www-form-urlencoded")]
    public async Task A_well_formed_body_is_sent_as_it_is(string format, string body, string contentType)
    {
        var (integration, _) = Integration(format);

        (await DeliverAsync(integration, new() { ["body"] = body })).Outcome.ShouldBe(Outcome.Success);

        var received = _crm.Received.ShouldHaveSingleItem();
        received.Body.ShouldBe(body);
        received.Headers["Content-Type"].ShouldBe(contentType);
    }

    [Fact]
    public async Task A_soap_body_is_wrapped_in_an_envelope_unless_it_is_one()
    {
        await DeliverAsync(new HttpSoap(), new() { ["body"] = """<?xml version="1.0"?><AddLead><Email>a@b.co</Email></AddLead>""" });
        const string envelope = """<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><Ping/></s:Body></s:Envelope>""";
        await DeliverAsync(new HttpSoap(), new() { ["body"] = envelope });

        var bodies = _crm.Received.Select(received => received.Body).ToArray();
        bodies[0].ShouldBe("""<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><AddLead><Email>a@b.co</Email></AddLead></soap:Body></soap:Envelope>""");
        bodies[1].ShouldBe(envelope);
    }

    [Theory]
    [InlineData("http.json", "json_property.name", "application/vnd.crm+json")]
    [InlineData("http.form", "form_field.name", "text/plain; charset=utf-8")]
    [InlineData("http.xml", "xml_path.lead.name", "text/xml; charset=iso-8859-1")]
    [InlineData("http.soap", "xml_path.AddLead.Name", "application/soap+xml")]
    public async Task A_content_type_header_input_replaces_the_formats_own(string format, string input, string contentType)
    {
        var (integration, _) = Integration(format);

        await DeliverAsync(integration, new() { [input] = "Jane", ["header.Content-Type"] = contentType });

        _crm.Received.ShouldHaveSingleItem().Headers["Content-Type"].ShouldBe(contentType);
    }

    [Fact]
    public async Task Transliteration_sends_mapped_values_as_ascii()
    {
        await DeliverAsync(new HttpJson(), new()
        {
            ["transliterate"] = "true",
            ["json_property.name"] = "Zoë Ærøskøbing",
            ["json_property.city"] = "Straße",
            ["json_property.quote"] = "“quoted”",
        });

        _crm.Received.ShouldHaveSingleItem().Body.ShouldBe("""{"name":"Zoe Aeroskobing","city":"Strasse","quote":"\"quoted\""}""");
    }

    [Theory]
    [InlineData("http.json", """{"name":"Zoë “Z”"}""", """{"name":"Zoe \"Z\""}""")]
    [InlineData("http.xml", """<n a="“x”">Zoë</n>""", """<n a="&quot;x&quot;">Zoe</n>""")]
    [InlineData("http.form", "name=Zo%C3%AB&city=Straße", "name=Zo%C3%AB&city=Strasse")]
    public async Task Transliteration_keeps_a_pre_rendered_body_well_formed(string format, string body, string sent)
    {
        var (integration, _) = Integration(format);

        var result = await DeliverAsync(integration, new() { ["transliterate"] = "yes", ["body"] = body });

        result.Outcome.ShouldBe(Outcome.Success, result.Reason);
        _crm.Received.ShouldHaveSingleItem().Body.ShouldBe(sent);
    }

    [Fact]
    public async Task A_POST_is_not_redirected_by_default_and_the_reason_says_how_to_follow()
    {
        using var moved = new LoopbackHttpServer(_ => new CannedResponse(200, "{}"));
        using var crm = new LoopbackHttpServer(_ => new CannedResponse(302, "") { Location = $"{moved.BaseUrl}new" });

        var result = await DeliverAsync(new HttpJson(), new() { ["url"] = $"{crm.BaseUrl}old", ["json_property.a"] = "1" });

        result.Outcome.ShouldBe(Outcome.Error);
        result.Reason.ShouldBe($"The recipient redirected the lead to {moved.BaseUrl}new (HTTP 302); set follow_redirects: true to follow redirects");
        moved.Received.ShouldBeEmpty();
    }

    [Fact]
    public async Task With_follow_redirects_a_307_is_followed_with_the_same_method_and_body()
    {
        using var moved = new LoopbackHttpServer(_ => new CannedResponse(201, """{"result":"accepted"}"""));
        using var crm = new LoopbackHttpServer(_ => new CannedResponse(307, "") { Location = $"{moved.BaseUrl}new" });

        var invocation = await InvokeAsync(new HttpJson(), new()
        {
            ["url"] = $"{crm.BaseUrl}old", ["json_property.a"] = "1", ["follow_redirects"] = "true", ["outcome_search_term"] = "accepted",
        });

        invocation.Result.Outcome.ShouldBe(Outcome.Success, invocation.Result.Reason);
        var received = moved.Received.ShouldHaveSingleItem();
        received.Method.ShouldBe("POST");
        received.Body.ShouldBe("""{"a":"1"}""");
        invocation.Transcript.Select(exchange => exchange.Status).ShouldBe([307, 201]);
    }

    [Fact]
    public async Task A_query_GET_follows_redirects_by_default()
    {
        using var moved = new LoopbackHttpServer(_ => new CannedResponse(200, "OK"));
        using var crm = new LoopbackHttpServer(_ => new CannedResponse(301, "") { Location = $"{moved.BaseUrl}new?x=1" });

        var result = await DeliverAsync(new HttpQuery(), new() { ["url"] = $"{crm.BaseUrl}old", ["parameter.a"] = "1" });

        result.Outcome.ShouldBe(Outcome.Success, result.Reason);
        moved.Received.ShouldHaveSingleItem().PathAndQuery.ShouldBe("/new?x=1");
    }

    private async Task<IntegrationResult> DeliverAsync(IIntegration integration, Dictionary<string, object?> inputs) =>
        (await InvokeAsync(integration, inputs)).Result;

    private async Task<Invocation> InvokeAsync(IIntegration integration, Dictionary<string, object?> inputs)
    {
        inputs.TryAdd("url", $"{_crm.BaseUrl}leads");
        return await _invoker.InvokeAsync(integration, new IntegrationInput(inputs), TimeSpan.FromSeconds(20), CancellationToken.None);
    }

    private static (IIntegration Integration, string Prefix) Integration(string format) => format switch
    {
        "http.json" => (new HttpJson(), "json_property."),
        "http.form" => (new HttpForm(), "form_field."),
        "http.query" => (new HttpQuery(), "parameter."),
        "http.xml" => (new HttpXml(), "xml_path."),
        "http.soap" => (new HttpSoap(), "xml_path."),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    private static string Path(string format, string name) => format is "http.xml" or "http.soap" ? "lead." + name : name;

    private static Dictionary<string, string> Decode(string format, ReceivedRequest received) => format switch
    {
        "http.json" => JsonDocument.Parse(received.Body).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
        "http.form" => Pairs(received.Body),
        "http.query" => Pairs(received.PathAndQuery[(received.PathAndQuery.IndexOf('?', StringComparison.Ordinal) + 1)..]),
        _ => XDocument.Parse(received.Body).Descendants().Single(e => e.Name.LocalName == "lead").Elements()
            .ToDictionary(e => e.Name.LocalName, e => e.Value),
    };

    private static Dictionary<string, string> Pairs(string encoded) => encoded.Split('&').Select(pair => pair.Split('='))
        .ToDictionary(pair => Unescape(pair[0]), pair => Unescape(pair[1]));

    private static string Unescape(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
