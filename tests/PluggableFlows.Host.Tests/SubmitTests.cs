using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using static PluggableFlows.Host.Tests.LeadServerFixture;

namespace PluggableFlows.Host.Tests;

/// <summary>POST /flows/{flowId}/sources/{sourceId}/submit on a real server: every way of sending a lead, and the answer.</summary>
[Collection(LeadServerCollection.Name)]
public sealed class SubmitTests(LeadServerFixture server)
{
    // The test flow's filter stops first_name=stop with a reason echoing the parsed fields, so the answer shows what was read.
    private const string StopReason = "stopped stop from Austin, TX (2019)";

    [Fact]
    public async Task Json_submission_is_answered_201_with_outcome_reason_lead_id_and_price()
    {
        using var response = await server.Client.SendAsync(Submit(Json("""{"first_name":"Ada","email":"ada@example.com"}""")));

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        answer.RootElement.GetProperty("outcome").GetString().ShouldBe("success");
        answer.RootElement.GetProperty("reason").ValueKind.ShouldBe(JsonValueKind.Null);
        answer.RootElement.GetProperty("lead").GetProperty("id").GetString().ShouldNotBeNullOrEmpty();
        answer.RootElement.GetProperty("price").GetDecimal().ShouldBe(0m);
    }

    [Fact]
    public async Task Lead_runs_its_integration_steps()
    {
        using var response = await server.Client.SendAsync(Submit(Json("""{"first_name":"Grace"}""")));
        var id = (await Answer(response)).Id;

        File.ReadLines(server.Deliveries).ShouldContain(line => line.Contains(id, StringComparison.Ordinal) && line.Contains("Grace", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Nested_json_objects_become_dotted_fields_that_source_mappings_apply_to()
    {
        using var response = await server.Client.SendAsync(Submit(Json(
            """{"first_name":"stop","address":{"city":"Austin"},"state":"Texas","vehicle_year":2019}""")));

        await ShouldBeStoppedWithParsedFields(response);
    }

    [Fact]
    public async Task Form_submission_with_dotted_keys_is_read()
    {
        using var response = await server.Client.SendAsync(Submit(new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["first_name"] = "stop", ["address.city"] = "Austin", ["state"] = "TX", ["vehicle_year"] = "$2,019",
        })));

        await ShouldBeStoppedWithParsedFields(response);
    }

    [Theory]
    [InlineData("application/xml")]
    [InlineData("text/xml")]
    public async Task Xml_submission_with_nested_elements_is_read(string contentType)
    {
        const string xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?><lead><first_name>stop</first_name>"
            + "<address><city>Austin</city></address><state>TX</state><vehicle_year>2019</vehicle_year></lead>";
        using var response = await server.Client.SendAsync(Submit(Bytes(Encoding.UTF8.GetBytes(xml), contentType)));

        await ShouldBeStoppedWithParsedFields(response);
    }

    [Fact]
    public async Task Query_string_fields_are_read_without_a_body()
    {
        using var response = await server.Client.SendAsync(Submit(null,
            query: "?first_name=stop&address.city=Austin&state=TX&vehicle_year=2019"));

        await ShouldBeStoppedWithParsedFields(response);
    }

    [Fact]
    public async Task Body_fields_win_over_query_string_fields_of_the_same_name()
    {
        using var response = await server.Client.SendAsync(Submit(Json("""{"first_name":"stop","address":{"city":"Austin"}}"""),
            query: "?first_name=Ada&state=TX&vehicle_year=2019"));

        await ShouldBeStoppedWithParsedFields(response);
    }

    [Theory]
    [InlineData("application/xml")]
    [InlineData("text/xml")]
    [InlineData("application/json;q=0.5, application/xml;q=0.9")]
    public async Task Accept_xml_gets_the_answer_as_xml(string accept)
    {
        using var request = Submit(Json("""{"first_name":"stop","address":{"city":"Austin"},"state":"TX","vehicle_year":2019}"""));
        request.Headers.Accept.ParseAdd(accept);
        using var response = await server.Client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        response.Content.Headers.ContentType!.MediaType.ShouldBeOneOf("application/xml", "text/xml");
        var result = XElement.Parse(await response.Content.ReadAsStringAsync());
        result.Name.LocalName.ShouldBe("result");
        result.Element("outcome")!.Value.ShouldBe("failure");
        result.Element("reason")!.Value.ShouldBe(StopReason);
        result.Element("lead")!.Element("id")!.Value.ShouldNotBeNullOrEmpty();
        result.Element("price")!.Value.ShouldBe("0");
    }

    [Theory]
    [InlineData("*/*")]
    [InlineData("application/*")]
    [InlineData("text/html, application/json;q=0.1")]
    public async Task Accept_that_allows_json_gets_json(string accept)
    {
        using var request = Submit(Json("""{"first_name":"Ada"}"""));
        request.Headers.Accept.ParseAdd(accept);
        using var response = await server.Client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("application/json;q=0, application/xml;q=0")]
    public async Task Accept_the_server_cannot_serve_is_406_and_the_lead_is_not_processed(string accept)
    {
        var before = File.Exists(server.Deliveries) ? File.ReadAllLines(server.Deliveries).Length : 0;
        using var request = Submit(Json("""{"first_name":"Ada"}"""));
        request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await server.Client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.NotAcceptable);
        (await Error(response)).ShouldContain("Accept");
        (File.Exists(server.Deliveries) ? File.ReadAllLines(server.Deliveries).Length : 0).ShouldBe(before);
    }

    [Fact]
    public async Task Redir_url_gives_a_303_to_that_url()
    {
        using var response = await server.Client.SendAsync(Submit(new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["first_name"] = "Ada", ["redir_url"] = "https://example.com/thanks?x=1",
        })));

        response.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        response.Headers.Location.ShouldBe(new Uri("https://example.com/thanks?x=1"));
    }

    [Theory]
    [InlineData("/thanks")]
    [InlineData("javascript:alert(1)")]
    public async Task Redir_url_that_is_not_an_absolute_http_url_is_400(string url)
    {
        using var response = await server.Client.SendAsync(Submit(Json(JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["first_name"] = "Ada", ["redir_url"] = url,
        }))));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Error(response)).ShouldContain("redir_url");
    }

    [Fact]
    public async Task Unknown_flow_is_404_with_a_reason()
    {
        using var response = await server.Client.SendAsync(Submit(Json("""{"first_name":"Ada"}"""), flow: "nope"));

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Error(response)).ShouldBe("No flow 'nope' is served here.");
    }

    [Fact]
    public async Task Flow_with_problems_is_not_served()
    {
        using var response = await server.Client.SendAsync(Submit(Json("""{"first_name":"Ada"}"""), flow: "broken"));

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Unknown_source_is_404_with_a_reason()
    {
        using var response = await server.Client.SendAsync(Submit(Json("""{"first_name":"Ada"}"""), source: "nope"));

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Error(response)).ShouldBe("Flow 'test' has no source 'nope'.");
    }

    [Fact]
    public async Task Errors_are_written_as_xml_when_the_caller_prefers_xml()
    {
        using var request = Submit(Json("""{"first_name":"Ada"}"""), flow: "nope");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/xml"));
        using var response = await server.Client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        XElement.Parse(await response.Content.ReadAsStringAsync()).ShouldBe(new XElement("error", "No flow 'nope' is served here."),
            XNode.EqualityComparer!);
    }

    [Fact]
    public async Task Health_reports_the_served_flows_and_loaded_plugins()
    {
        using var response = await server.Client.GetAsync(new Uri("/health", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        health.RootElement.GetProperty("status").GetString().ShouldBe("healthy");
        health.RootElement.GetProperty("flows").GetInt32().ShouldBe(1);
        health.RootElement.GetProperty("flow_errors").GetInt32().ShouldBe(1);
        health.RootElement.GetProperty("plugins").GetInt32().ShouldBe(6);
        health.RootElement.GetProperty("integrations").GetInt32().ShouldBeGreaterThanOrEqualTo(5);
    }

    private static async Task ShouldBeStoppedWithParsedFields(HttpResponseMessage response)
    {
        var answer = await Answer(response);
        answer.Outcome.ShouldBe("failure");
        answer.Reason.ShouldBe(StopReason);
    }

    internal static async Task<LeadAnswer> Answer(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        using var answer = JsonDocument.Parse(text);
        return new LeadAnswer(answer.RootElement.GetProperty("outcome").GetString()!, answer.RootElement.GetProperty("reason").GetString(),
            answer.RootElement.GetProperty("lead").GetProperty("id").GetString()!);
    }

    internal static async Task<string> Error(HttpResponseMessage response)
    {
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return error.RootElement.GetProperty("error").GetString()!;
    }
}

internal sealed record LeadAnswer(string Outcome, string? Reason, string Id);
