using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.Http.Tests;

/// <summary>How a delivery's answer becomes an outcome: the cases are the spec.</summary>
public sealed class ResponseParsingTests
{
    private const string Json = "application/json";
    private const string Text = "text/plain";
    private const string Html = "text/html";

    /// <summary>One answer, the step inputs that read it, and what must come of it.</summary>
    public sealed record Case(int Status, string Body, Outcome Outcome, string ContentType = Json)
    {
        public Dictionary<string, string> Inputs { get; init; } = [];

        /// <summary>Text the reason must contain (null: the reason is not checked, except that a success has none).</summary>
        public string? Reason { get; init; }

        public decimal? Price { get; init; }

        public string? Reference { get; init; }
    }

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["200 without a search term is success"] = new(200, """{"ok":true}""", Outcome.Success),
        ["201 with an empty body and nothing to read is success"] = new(201, "", Outcome.Success, Text),
        ["400 is failure"] = new(400, """{"error":"bad"}""", Outcome.Failure) { Reason = "The recipient rejected the lead (HTTP 400)" },
        ["404 is failure"] = new(404, "Not Found", Outcome.Failure, Text) { Reason = "HTTP 404" },
        ["422 quotes the reason at reason_path"] = new(422, """{"errors":{"email":"is invalid"}}""", Outcome.Failure)
        {
            Inputs = { ["reason_path"] = "errors.email" },
            Reason = "The recipient rejected the lead (HTTP 422): is invalid",
        },
        ["422 is read like a 2xx with parse_4xx_as_2xx"] = new(422, """{"result":"accepted"}""", Outcome.Success)
        {
            Inputs = { ["parse_4xx_as_2xx"] = "true", ["outcome_search_term"] = "accepted" },
        },
        ["400 without the term is failure with parse_4xx_as_2xx"] = new(400, "rejected: duplicate", Outcome.Failure, Text)
        {
            Inputs = { ["parse_4xx_as_2xx"] = "yes", ["outcome_search_term"] = "accepted" },
            Reason = "did not match 'accepted'",
        },
        ["400 without a term is success with parse_4xx_as_2xx"] = new(400, "", Outcome.Success, Text) { Inputs = { ["parse_4xx_as_2xx"] = "true" } },
        ["401 stays an error with parse_4xx_as_2xx"] = new(401, "", Outcome.Error) { Inputs = { ["parse_4xx_as_2xx"] = "true" }, Reason = "credentials" },
        ["429 is an error"] = new(429, "slow down", Outcome.Error, Text) { Reason = "HTTP 429" },
        ["500 is error"] = new(500, """{"result":"accepted"}""", Outcome.Error) { Reason = "HTTP 500" },
        ["503 is error even with parse_4xx_as_2xx"] = new(503, "", Outcome.Error) { Inputs = { ["parse_4xx_as_2xx"] = "true" }, Reason = "HTTP 503" },
        ["302 is error"] = new(302, "", Outcome.Error, Text) { Reason = "Unexpected answer from the recipient (HTTP 302)" },
        ["term found, any case"] = new(200, "Lead ACCEPTED, thank you", Outcome.Success, Text) { Inputs = { ["outcome_search_term"] = "accepted" } },
        ["term not found is failure"] = new(200, "Lead rejected", Outcome.Failure, Text)
        {
            Inputs = { ["outcome_search_term"] = "accepted" },
            Reason = "The recipient's answer did not match 'accepted'",
        },
        ["case-sensitive term in another case is not found"] = new(200, "Lead ACCEPTED", Outcome.Failure, Text)
        {
            Inputs = { ["outcome_search_term"] = "accepted", ["outcome_search_case_sensitive"] = "true" },
        },
        ["case-sensitive term in the same case is found"] = new(200, "Lead accepted", Outcome.Success, Text)
        {
            Inputs = { ["outcome_search_term"] = "accepted", ["outcome_search_case_sensitive"] = "true" },
        },
        ["regex term matches"] = new(200, "OK id=48213", Outcome.Success, Text) { Inputs = { ["outcome_search_term"] = @"/^ok id=\d+$/" } },
        ["regex term does not match"] = new(200, "OK id=pending", Outcome.Failure, Text)
        {
            Inputs = { ["outcome_search_term"] = @"/^ok id=\d+$/" },
            Reason = @"did not match /^ok id=\d+$/",
        },
        ["case-sensitive regex"] = new(200, "OK id=48213", Outcome.Failure, Text)
        {
            Inputs = { ["outcome_search_term"] = @"/^ok id=\d+$/", ["outcome_search_case_sensitive"] = "true" },
        },
        ["a match gives failure when outcome_on_match is failure"] = new(200, "Duplicate lead", Outcome.Failure, Text)
        {
            Inputs = { ["outcome_search_term"] = "duplicate", ["outcome_on_match"] = "failure" },
            Reason = "The recipient's answer matched 'duplicate'",
        },
        ["no match gives success when outcome_on_match is failure"] = new(200, "Thanks", Outcome.Success, Text)
        {
            Inputs = { ["outcome_search_term"] = "duplicate", ["outcome_on_match"] = "failure" },
        },
        ["a match gives error when outcome_on_match is error"] = new(200, "system busy", Outcome.Error, Text)
        {
            Inputs = { ["outcome_search_term"] = "busy", ["outcome_on_match"] = "Error" },
        },
        ["the search path narrows the search to one value"] = new(200, """{"result":"failed","message":"not accepted"}""", Outcome.Failure)
        {
            Inputs = { ["outcome_search_term"] = "accepted", ["outcome_search_path"] = "result" },
            Reason = "The recipient's answer at 'result' did not match 'accepted'",
        },
        ["the search path reaches into objects and arrays"] = new(200, """{"leads":[{"status":"Accepted"}]}""", Outcome.Success)
        {
            Inputs = { ["outcome_search_term"] = "accepted", ["outcome_search_path"] = "leads.0.status" },
        },
        ["a missing search path is no match"] = new(200, """{"other":"accepted"}""", Outcome.Failure)
        {
            Inputs = { ["outcome_search_term"] = "accepted", ["outcome_search_path"] = "result" },
            Reason = "The recipient's answer at 'result' is missing",
        },
        ["reason, price and reference paths"] = new(200, """{"result":"ok","data":{"id":"A-7","price":"4.25"},"note":"Sold to buyer 12"}""", Outcome.Success)
        {
            Inputs = { ["reason_path"] = "note", ["price_path"] = "data.price", ["reference_path"] = "data.id" },
            Reason = "Sold to buyer 12",
            Price = 4.25m,
            Reference = "A-7",
        },
        ["a numeric price with a currency sign"] = new(201, """{"price":"$1,250.50"}""", Outcome.Success) { Inputs = { ["price_path"] = "price" }, Price = 1250.50m },
        ["a JSON number price"] = new(201, """{"price":12.5}""", Outcome.Success) { Inputs = { ["price_path"] = "price" }, Price = 12.5m },
        ["an unreadable price keeps the success and says why"] = new(200, """{"price":"free"}""", Outcome.Success)
        {
            Inputs = { ["price_path"] = "price" },
            Reason = "No price recorded: the recipient's answer at 'price' is not a number ('free')",
        },
        ["the reason on a rejection comes from reason_path"] = new(200, """{"result":"rejected","reason":"Duplicate"}""", Outcome.Failure)
        {
            Inputs = { ["outcome_search_term"] = "accepted", ["outcome_search_path"] = "result", ["reason_path"] = "reason" },
            Reason = "Duplicate",
        },
        ["malformed JSON with a path is an error naming the problem"] = new(200, """{"result": accepted""", Outcome.Error)
        {
            Inputs = { ["reference_path"] = "id" },
            Reason = "The recipient's answer cannot be read at 'reference_path' id: the answer (application/json) is not valid JSON",
        },
        ["malformed JSON without a path is searched as text"] = new(200, """{"result": accepted""", Outcome.Success)
        {
            Inputs = { ["outcome_search_term"] = "accepted" },
        },
        ["an empty body with a path is an error"] = new(200, "", Outcome.Error)
        {
            Inputs = { ["outcome_search_term"] = "ok", ["outcome_search_path"] = "result" },
            Reason = "the answer (application/json) is empty, not JSON",
        },
        ["an empty body with a term is no match"] = new(200, "", Outcome.Failure, Text) { Inputs = { ["outcome_search_term"] = "accepted" } },
        ["an HTML body is searched as text"] = new(200, "<html><body><p>Thank you, lead accepted</p></body></html>", Outcome.Success, Html)
        {
            Inputs = { ["outcome_search_term"] = "lead accepted" },
        },
        ["an HTML body with a path is an error"] = new(200, "<html><body>OK</body></html>", Outcome.Error, Html)
        {
            Inputs = { ["reason_path"] = "message" },
            Reason = "the answer (text/html) is HTML, not JSON or XML",
        },
        ["the recipient's own outcome at outcome_path: success"] = new(200, """{"outcome":"success","price":12.5,"lead":{"id":"5f3c"}}""", Outcome.Success)
        {
            Inputs = { ["outcome_path"] = "outcome", ["price_path"] = "price", ["reference_path"] = "lead.id" },
            Price = 12.5m,
            Reference = "5f3c",
        },
        ["the recipient's own outcome at outcome_path: failure, with its reason"] = new(200, """{"outcome":"Failure","reason":"Duplicate lead"}""", Outcome.Failure)
        {
            Inputs = { ["outcome_path"] = "outcome", ["reason_path"] = "reason" },
            Reason = "Duplicate lead",
        },
        ["the recipient's own outcome at outcome_path: error, without a reason"] = new(200, """{"outcome":"error"}""", Outcome.Error)
        {
            Inputs = { ["outcome_path"] = "outcome", ["reason_path"] = "reason" },
            Reason = "The recipient answered error",
        },
        ["an outcome_path the answer lacks is an error"] = new(200, """{"result":"ok"}""", Outcome.Error)
        {
            Inputs = { ["outcome_path"] = "outcome" },
            Reason = "The recipient's answer has no outcome at 'outcome'",
        },
        ["an outcome_path value that is no outcome is an error naming it"] = new(200, """<r><outcome>maybe</outcome></r>""", Outcome.Error, "text/xml")
        {
            Inputs = { ["outcome_path"] = "outcome" },
            Reason = "The recipient's answer at 'outcome' is 'maybe', not success, failure or error",
        },
        ["a pattern reads the reason out of an HTML answer, entities decoded"] = new(200,
            """<html><body><form><input type=hidden name="F9errCode" value="700"><input type=hidden name="F9errDesc" value="Number &quot;5125550123&quot; is on the DNC list"></form></body></html>""",
            Outcome.Failure, Html)
        {
            Inputs = { ["outcome_search_term"] = """/name="F9errCode" value="0"/""", ["reason_path"] = """/name="F9errDesc"\s+value="([^"]*)"/""" },
            Reason = "Number \"5125550123\" is on the DNC list",
        },
        ["a pattern without a group reads the whole match from a text answer"] = new(200, "OK ref A-778 queued", Outcome.Success, Text)
        {
            Inputs = { ["reference_path"] = "/A-[0-9]+/" },
            Reference = "A-778",
        },
        ["a pattern that finds nothing reads nothing"] = new(200, "<p>Thanks</p>", Outcome.Success, Html)
        {
            Inputs = { ["reference_path"] = "/ref=([0-9]+)/" },
        },
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Response_parsing(string name)
    {
        var expected = Cases[name];

        var result = Parse(expected.Status, expected.Body, expected.ContentType, expected.Inputs);

        result.Outcome.ShouldBe(expected.Outcome, result.Reason);
        if (expected.Reason is not null)
        {
            result.Reason.ShouldNotBeNull().ShouldContain(expected.Reason);
        }
        else if (expected.Outcome == Outcome.Success)
        {
            result.Reason.ShouldBeNull();
        }

        result.Price.ShouldBe(expected.Price);
        result.Appended.GetValueOrDefault("reference").ShouldBe(expected.Reference);
        result.Appended["status"].ShouldBe(expected.Status);
    }

    [Fact]
    public void A_JSON_object_answer_is_appended_by_its_top_level_properties_with_types_kept()
    {
        var result = Parse(201, """{"lead_id":"L-9","score":7,"ratio":0.5,"ok":true,"tags":["a","b"],"buyer":{"id":12},"missing":null}""");

        result.Appended["lead_id"].ShouldBe("L-9");
        result.Appended["score"].ShouldBe(7L);
        result.Appended["ratio"].ShouldBe(0.5);
        result.Appended["ok"].ShouldBe(true);
        result.Appended["tags"].ShouldBe(new List<object?> { "a", "b" });
        result.Appended["buyer"].ShouldBeOfType<Dictionary<string, object?>>()["id"].ShouldBe(12L);
        result.Appended["missing"].ShouldBeNull();
        result.Appended["status"].ShouldBe(201);
    }

    [Fact]
    public void The_HTTP_status_wins_over_a_status_property_and_the_steps_own_names_are_not_appended()
    {
        var result = Parse(200, """{"status":"queued","outcome":"ok","reason":"x","price":3,"cost":1,"id":"7"}""");

        result.Appended["status"].ShouldBe(200);
        result.Appended.Keys.ShouldBe(["id", "status"], ignoreOrder: true);
    }

    [Fact]
    public void A_non_object_JSON_answer_appends_only_the_status()
    {
        Parse(200, """["accepted"]""").Appended.Keys.ShouldBe(["status"]);
    }

    [Fact]
    public void A_value_quoted_from_the_answer_never_carries_a_credential()
    {
        const string token = "tok-3f9a1c77e2";
        var input = Input(new() { ["reason_path"] = "message" }, new() { ["token"] = token });

        var result = new HttpJson().ParseResponse(input, new HttpJson().BuildRequest(input),
            new IntegrationResponse { StatusCode = 400, Body = $$"""{"message":"token {{token}} is not allowed"}""", ContentType = Json });

        result.Reason.ShouldBe("The recipient rejected the lead (HTTP 400): token *** is not allowed");
    }

    [Theory]
    [InlineData("outcome_on_match", "maybe", "'outcome_on_match' must be success, failure or error, not 'maybe'")]
    [InlineData("parse_4xx_as_2xx", "sometimes", "'parse_4xx_as_2xx' must be true or false, not 'sometimes'")]
    [InlineData("outcome_search_term", "/([a-z/", "is not a valid regular expression")]
    [InlineData("reference_path", "data..id", "'reference_path' 'data..id' is not a dot path")]
    [InlineData("outcome_search_path", "result", "'outcome_search_path' is set but 'outcome_search_term' is not")]
    [InlineData("reason_path", "/([a-z/", "'reason_path' /([a-z/ is not a valid regular expression")]
    public void Response_settings_that_cannot_work_skip_the_step_before_anything_is_sent(string name, string value, string reason)
    {
        new HttpJson().Validate(Input(new() { [name] = value })).ShouldNotBeNull().ShouldContain(reason);
    }

    [Fact]
    public void Outcome_path_and_a_search_term_cannot_both_decide_the_outcome()
    {
        new HttpJson().Validate(Input(new() { ["outcome_path"] = "outcome", ["outcome_search_term"] = "success" }))
            .ShouldNotBeNull().ShouldContain("'outcome_path' and 'outcome_search_term' both decide the outcome");
    }

    [Fact]
    public void An_XPath_expression_is_still_read_as_XPath_not_as_a_pattern()
    {
        var result = Parse(200, "<response><lead id=\"L-4\"/></response>", "text/xml", new() { ["reference_path"] = "/response/lead/@id" });

        result.Appended["reference"].ShouldBe("L-4");
    }

    private static IntegrationResult Parse(int status, string body, string contentType = Json, Dictionary<string, string>? inputs = null)
    {
        var integration = new HttpJson();
        var input = Input(inputs ?? []);
        integration.Validate(input).ShouldBeNull();
        return integration.ParseResponse(input, integration.BuildRequest(input),
            new IntegrationResponse { StatusCode = status, Body = body, ContentType = contentType });
    }

    private static IntegrationInput Input(Dictionary<string, string> inputs, Dictionary<string, string>? credentials = null)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal) { ["url"] = "https://crm.example.com/leads", ["json_property.email"] = "jane@example.com" };
        foreach (var (name, value) in inputs)
        {
            values[name] = value;
        }

        return new IntegrationInput(values, credentials);
    }
}
