using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.Http.Tests;

/// <summary>
/// Answers in every format a recipient sends (JSON, XML, SOAP, text, HTML, mislabelled), read with dot paths and XPath:
/// the cases are the spec. Each gives the outcome, the reason (or none) and the price.
/// </summary>
public sealed class AnswerFormatTests
{
    private const string Json = "application/json";
    private const string Xml = "application/xml";
    private const string TextXml = "text/xml";
    private const string Text = "text/plain";
    private const string Html = "text/html";

    /// <summary>One answer, the step inputs that read it, and what must come of it.</summary>
    public sealed record Case(int Status, string Body, string? ContentType, Outcome Outcome, string? Reason = null, decimal? Price = null)
    {
        public Dictionary<string, string> Inputs { get; init; } = [];
    }

    private const string XmlAccepted = """<?xml version="1.0"?><response><result>Accepted</result><lead id="L-42"><price>7.25</price></lead><message>Sold</message></response>""";
    private const string XmlRejected = """<response><result>rejected</result><message>Duplicate lead</message></response>""";
    private const string SoapAccepted = """
        <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
          <AddLeadResponse xmlns="http://crm.example.com/"><Status>OK</Status><Price>3.10</Price></AddLeadResponse>
        </soap:Body></soap:Envelope>
        """;

    private static Dictionary<string, string> Rules(string? term = null, string? path = null, string? reason = null, string? price = null)
    {
        var inputs = new Dictionary<string, string>();
        if (term is not null)
        {
            inputs["outcome_search_term"] = term;
        }

        if (path is not null)
        {
            inputs["outcome_search_path"] = path;
        }

        if (reason is not null)
        {
            inputs["reason_path"] = reason;
        }

        if (price is not null)
        {
            inputs["price_path"] = price;
        }

        return inputs;
    }

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["XML: a dot path reads below the root"] = new(200, XmlAccepted, Xml, Outcome.Success, "Sold", 7.25m)
        {
            Inputs = Rules("accepted", "result", "message", "lead.price"),
        },
        ["XML: an XPath search path"] = new(200, XmlAccepted, Xml, Outcome.Success, "Sold", 7.25m)
        {
            Inputs = Rules("Accepted", "/response/result", "/response/message", "/response/lead/price"),
        },
        ["XML: an XPath attribute"] = new(201, XmlAccepted, TextXml, Outcome.Success) { Inputs = Rules("/^L-\\d+$/", "/response/lead/@id") },
        ["XML: an XPath function result"] = new(200, XmlAccepted, Xml, Outcome.Success, Price: 7.25m) { Inputs = Rules(price: "number(//price)") },
        ["XML: rejected, the reason from the answer"] = new(200, XmlRejected, Xml, Outcome.Failure, "Duplicate lead") { Inputs = Rules("accepted", "result", "message") },
        ["XML: the term elsewhere in the answer is not a match at the path"] = new(200, "<r><result>no</result><note>accepted later</note></r>", Xml, Outcome.Failure,
            "The recipient's answer at 'result' did not match 'accepted'") { Inputs = Rules("accepted", "result") },
        ["XML: a missing element is no match"] = new(200, XmlRejected, Xml, Outcome.Failure, "The recipient's answer at '/response/status' is missing")
        {
            Inputs = Rules("ok", "/response/status"),
        },
        ["XML: case-sensitive search"] = new(200, XmlAccepted, Xml, Outcome.Failure, "did not match 'accepted'")
        {
            Inputs = new(Rules("accepted", "result")) { ["outcome_search_case_sensitive"] = "true" },
        },
        ["XML: a regex search at a path"] = new(200, XmlAccepted, Xml, Outcome.Success) { Inputs = Rules("/^accept(ed)?$/", "result") },
        ["XML: a 422 quotes the reason"] = new(422, XmlRejected, Xml, Outcome.Failure, "The recipient rejected the lead (HTTP 422): Duplicate lead")
        {
            Inputs = Rules(reason: "/response/message"),
        },
        ["XML: malformed with a path is an error"] = new(200, "<response><result>ok</response>", Xml, Outcome.Error, "is not well-formed XML")
        {
            Inputs = Rules("ok", "result"),
        },
        ["XML: malformed without a path is searched as text"] = new(200, "<response><result>ok</response>", Xml, Outcome.Success) { Inputs = Rules("ok") },
        ["XML: empty with a path is an error"] = new(200, "", Xml, Outcome.Error, "is empty, not XML") { Inputs = Rules("ok", "result") },
        ["XML: a DTD is refused, not expanded"] = new(200, """<!DOCTYPE r [<!ENTITY x "ok">]><r><s>&x;</s></r>""", Xml, Outcome.Error, "not well-formed XML")
        {
            Inputs = Rules("ok", "s"),
        },
        ["SOAP: a dot path ignores namespaces"] = new(200, SoapAccepted, TextXml, Outcome.Success, Price: 3.10m)
        {
            Inputs = Rules("ok", "Body.AddLeadResponse.Status", price: "Body.AddLeadResponse.Price"),
        },
        ["SOAP: XPath with local-name()"] = new(200, SoapAccepted, "application/soap+xml", Outcome.Success)
        {
            Inputs = Rules("OK", "//*[local-name()='Status']"),
        },
        ["JSON: an XPath path cannot read JSON"] = new(200, """{"result":"ok"}""", Json, Outcome.Error, "an XPath expression") { Inputs = Rules("ok", "/result") },
        ["JSON: 201 with a price"] = new(201, """{"id":"9","price":"2.00"}""", Json, Outcome.Success, Price: 2.00m) { Inputs = Rules(price: "price") },
        ["JSON: 204 with no body is success"] = new(204, "", null, Outcome.Success),
        ["JSON: 204 with a search term is no match"] = new(204, "", null, Outcome.Failure, "did not match 'accepted'") { Inputs = Rules("accepted") },
        ["JSON: no price on a failure"] = new(200, """{"result":"no","price":"5"}""", Json, Outcome.Failure, "did not match") { Inputs = Rules("yes", "result", price: "price") },
        ["JSON: 404 is a failure"] = new(404, """{"message":"no such campaign"}""", Json, Outcome.Failure, "(HTTP 404): no such campaign") { Inputs = Rules(reason: "message") },
        ["JSON: 503 is an error whatever the body says"] = new(503, """{"result":"accepted"}""", Json, Outcome.Error, "HTTP 503") { Inputs = Rules("accepted", "result") },
        ["JSON: 500 with HTML is an error"] = new(500, "<html>Internal error</html>", Html, Outcome.Error, "HTTP 500"),
        ["JSON: labelled text/plain is still read as JSON"] = new(200, """{"result":"accepted"}""", Text, Outcome.Success) { Inputs = Rules("accepted", "result") },
        ["JSON: labelled text/html is HTML unless overridden"] = new(200, """{"result":"accepted"}""", Html, Outcome.Error, "set content_type_override")
        {
            Inputs = Rules("accepted", "result"),
        },
        ["JSON: labelled text/html, read as JSON with content_type_override"] = new(200, """{"result":"accepted","price":1.5}""", Html, Outcome.Success, Price: 1.5m)
        {
            Inputs = new(Rules("accepted", "result", price: "price")) { ["content_type_override"] = "application/json" },
        },
        ["XML: labelled text/plain is still read as XML"] = new(200, XmlAccepted, Text, Outcome.Success) { Inputs = Rules("accepted", "result") },
        ["XML: labelled application/json, read as XML with content_type_override"] = new(200, XmlAccepted, Json, Outcome.Success)
        {
            Inputs = new(Rules("accepted", "/response/result")) { ["content_type_override"] = "text/xml" },
        },
        ["XML: labelled application/json without override is an error"] = new(200, XmlAccepted, Json, Outcome.Error, "is not valid JSON")
        {
            Inputs = Rules("accepted", "result"),
        },
        ["text: a regex over the whole body, case-insensitive"] = new(200, "STATUS=ACCEPTED;ID=77", Text, Outcome.Success) { Inputs = Rules("/status=accepted/") },
        ["text: a case-sensitive regex"] = new(200, "STATUS=ACCEPTED;ID=77", Text, Outcome.Failure, "did not match /status=accepted/")
        {
            Inputs = new(Rules("/status=accepted/")) { ["outcome_search_case_sensitive"] = "true" },
        },
        ["text: a path cannot read plain text"] = new(200, "OK 77", Text, Outcome.Error, "is not valid JSON") { Inputs = Rules(price: "price") },
        ["HTML: searched as text, tags and all"] = new(200, "<html><body><b>Accepted</b></body></html>", Html, Outcome.Success) { Inputs = Rules("<b>accepted</b>") },
        ["HTML: a failure word found"] = new(200, "<html><body>Error: duplicate</body></html>", Html, Outcome.Failure, "matched 'duplicate'")
        {
            Inputs = new(Rules("duplicate")) { ["outcome_on_match"] = "failure" },
        },
        ["HTML: 400 is a failure"] = new(400, "<html><body>Bad request</body></html>", Html, Outcome.Failure, "The recipient rejected the lead (HTTP 400)"),
        ["301 without follow_redirects names the target"] = new(301, "", Text, Outcome.Error, "redirected the lead to https://new.example.com/leads (HTTP 301); set follow_redirects: true"),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Answers_in_every_format(string name)
    {
        var expected = Cases[name];
        var integration = new HttpXml();
        var values = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["url"] = "https://crm.example.com/leads",
            ["xml_path.lead.email"] = "jane@example.com",
        };
        foreach (var (input, value) in expected.Inputs)
        {
            values[input] = value;
        }

        var step = new IntegrationInput(values);
        integration.Validate(step).ShouldBeNull();
        var headers = expected.Status is >= 300 and < 400 ? new[] { KeyValuePair.Create("Location", "https://new.example.com/leads") } : [];

        var result = integration.ParseResponse(step, integration.BuildRequest(step),
            new IntegrationResponse { StatusCode = expected.Status, Body = expected.Body, ContentType = expected.ContentType, Headers = headers });

        result.Outcome.ShouldBe(expected.Outcome, result.Reason);
        if (expected.Reason is null)
        {
            result.Reason.ShouldBeNull();
        }
        else
        {
            result.Reason.ShouldNotBeNull().ShouldContain(expected.Reason);
        }

        result.Price.ShouldBe(expected.Price);
        result.Appended["status"].ShouldBe(expected.Status);
    }

    [Fact]
    public void An_XML_answer_is_appended_by_the_roots_attributes_and_child_elements()
    {
        var integration = new HttpXml();
        var step = new IntegrationInput(new Dictionary<string, object?> { ["url"] = "https://crm.example.com/", ["xml_path.lead.email"] = "a@b.co" });

        var result = integration.ParseResponse(step, integration.BuildRequest(step), new IntegrationResponse
        {
            StatusCode = 200,
            ContentType = Xml,
            Body = """<response version="2"><id>L-9</id><buyer><name>Acme</name></buyer><tag>a</tag><tag>b</tag><outcome>x</outcome></response>""",
        });

        result.Appended["version"].ShouldBe("2");
        result.Appended["id"].ShouldBe("L-9");
        result.Appended["buyer"].ShouldBeOfType<Dictionary<string, object?>>()["name"].ShouldBe("Acme");
        result.Appended["tag"].ShouldBe(new List<object?> { "a", "b" });
        result.Appended.ContainsKey("outcome").ShouldBeFalse();
    }

    [Theory]
    [InlineData("reason_path", "/response/[", "is not a valid XPath expression")]
    [InlineData("content_type_override", "json please", "'content_type_override' 'json please' is not a media type")]
    public void Response_paths_and_overrides_that_cannot_work_skip_the_step(string name, string value, string reason)
    {
        var step = new IntegrationInput(new Dictionary<string, object?>
        {
            ["url"] = "https://crm.example.com/", ["xml_path.lead.email"] = "a@b.co", [name] = value,
        });

        new HttpXml().Validate(step).ShouldNotBeNull().ShouldContain(reason);
    }
}
