using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PluggableFlows.Engine.Storage;
using static PluggableFlows.Host.Tests.LeadServerFixture;

namespace PluggableFlows.Host.Tests;

/// <summary>What the server keeps of each lead, read back through GET /leads/{id} and GET /events, and idempotent
/// submissions, on a real server.</summary>
[Collection(LeadServerCollection.Name)]
public sealed class LeadRecordTests(LeadServerFixture server)
{
    [Fact]
    public async Task An_answered_lead_has_its_whole_timeline_at_leads_id()
    {
        var id = await SubmitAsync("""{"first_name":"Ada","email":"ada@example.com","state":"TX"}""");

        using var response = await server.Client.GetAsync($"/leads/{id}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        using var lead = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = lead.RootElement;
        root.GetProperty("id").GetString().ShouldBe(id);
        root.GetProperty("flow").GetString().ShouldBe("test");
        root.GetProperty("source").GetString().ShouldBe("vendor");
        root.GetProperty("outcome").GetString().ShouldBe("success");
        var version = root.GetProperty("flow_version").GetString().ShouldNotBeNull();
        version.ShouldNotBeEmpty();
        root.GetProperty("timings").GetProperty("total_ms").GetDouble().ShouldBeGreaterThan(0);
        root.GetProperty("vars").GetProperty("lead").GetProperty("state").GetProperty("normal").GetString().ShouldBe("TX");
        var events = root.GetProperty("events").EnumerateArray().ToArray();
        events.Select(e => (e.GetProperty("step").GetString(), e.GetProperty("outcome").GetString())).ShouldBe(
            [("stopper", "success"), ("warehouse", "success"), (null, "success")]);
        events[1].GetProperty("integration").GetString().ShouldBe("file.jsonl");
        events[1].GetProperty("plugin").GetString().ShouldNotBeNullOrEmpty();
        events[1].GetProperty("vars").GetProperty("stopper").GetProperty("outcome").GetString().ShouldBe("success");
        events[0].GetProperty("trace")[0].GetProperty("resolved_lhv").GetString().ShouldBe("Ada");
    }

    [Fact]
    public async Task A_thousand_concurrent_submissions_are_all_answered_and_all_recorded_with_their_events()
    {
        using var start = new SemaphoreSlim(0);
        var submissions = Enumerable.Range(0, 1000).Select(async i =>
        {
            await start.WaitAsync();
            // Every seventh lead is stopped by the filter, so both paths run at once.
            return await SubmitAsync(i % 7 == 0 ? $$"""{"first_name":"stop","city":"C{{i}}"}""" : $$"""{"first_name":"Burst {{i}}"}""");
        }).ToArray();
        start.Release(1000);
        var ids = await Task.WhenAll(submissions);

        ids.Distinct().Count().ShouldBe(1000);
        var queries = server.Services.GetRequiredService<SqliteLeadQueries>();
        foreach (var id in ids)
        {
            var lead = (await queries.GetLeadAsync(id)).ShouldNotBeNull();
            var expected = lead.Outcome == Sdk.Outcome.Success ? new[] { "stopper", "warehouse", null } : ["stopper", null];
            lead.Events.Select(e => e.StepKey).ShouldBe(expected);
        }
    }

    [Fact]
    public async Task An_unknown_lead_is_404_with_a_reason()
    {
        using var response = await server.Client.GetAsync("/leads/no-such-lead");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldContain("no-such-lead");
    }

    [Fact]
    public async Task Events_are_filtered_by_step_and_outcome_and_paged()
    {
        var stopped = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            stopped.Add(await SubmitAsync("""{"first_name":"stop","city":"Austin"}"""));
        }

        using var response = await server.Client.GetAsync("/events?flow=test&step=stopper&outcome=failure&limit=2");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var first = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var page = first.RootElement.GetProperty("events").EnumerateArray().ToArray();
        page.Length.ShouldBe(2);
        page.ShouldAllBe(e => e.GetProperty("step").GetString() == "stopper" && e.GetProperty("outcome").GetString() == "failure");
        page.Select(e => e.GetProperty("lead_id").GetString()).ShouldBe([stopped[2], stopped[1]], "newest first");
        var next = first.RootElement.GetProperty("next").GetString().ShouldNotBeNull();

        using var rest = JsonDocument.Parse(await server.Client.GetStringAsync(
            $"/events?flow=test&step=stopper&outcome=failure&limit=2&before={next}"));
        rest.RootElement.GetProperty("events")[0].GetProperty("lead_id").GetString().ShouldBe(stopped[0]);
    }

    [Theory]
    [InlineData("outcome=maybe", "outcome must be")]
    [InlineData("from=yesterday", "from must be")]
    [InlineData("limit=0", "limit must be")]
    [InlineData("limit=5000", "limit must be")]
    [InlineData("before=abc", "before must be")]
    public async Task A_bad_event_filter_is_400_with_the_reason(string query, string reason)
    {
        using var response = await server.Client.GetAsync($"/events?{query}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain(reason);
    }

    [Fact]
    public async Task A_repeated_idempotency_key_gets_the_first_answer_and_the_lead_runs_once()
    {
        var key = Guid.NewGuid().ToString();
        var name = $"Once-{key}";

        using var first = await server.Client.SendAsync(WithKey(Submit(Json($$"""{"first_name":"{{name}}"}""")), key));
        using var second = await server.Client.SendAsync(WithKey(Submit(Json($$"""{"first_name":"{{name}}"}""")), key));

        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        second.StatusCode.ShouldBe(HttpStatusCode.Created);
        first.Headers.Contains("Idempotent-Replayed").ShouldBeFalse();
        second.Headers.GetValues("Idempotent-Replayed").ShouldBe(["true"]);
        (await second.Content.ReadAsStringAsync()).ShouldBe(await first.Content.ReadAsStringAsync());
        File.ReadLines(server.Deliveries).Count(line => line.Contains(name, StringComparison.Ordinal)).ShouldBe(1);
    }

    [Fact]
    public async Task Concurrent_repeats_of_one_key_all_get_the_one_leads_answer()
    {
        var key = Guid.NewGuid().ToString();
        var name = $"Concurrent-{key}";

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var response = await server.Client.SendAsync(WithKey(Submit(Json($$"""{"first_name":"{{name}}"}""")), key));
            response.StatusCode.ShouldBe(HttpStatusCode.Created);
            return await response.Content.ReadAsStringAsync();
        }));

        answers.Distinct().Count().ShouldBe(1);
        File.ReadLines(server.Deliveries).Count(line => line.Contains(name, StringComparison.Ordinal)).ShouldBe(1);
    }

    [Fact]
    public async Task An_idempotency_key_is_scoped_to_its_source()
    {
        var key = Guid.NewGuid().ToString();

        var vendor = await AnswerAsync(WithKey(Submit(Json("""{"first_name":"Scoped"}""")), key));
        var web = await AnswerAsync(WithKey(Submit(Json("""{"first_name":"Scoped"}"""), source: "web", key: FileKey), key));

        web.ShouldNotBe(vendor);
    }

    [Fact]
    public async Task A_repeated_web_form_submission_is_redirected_where_the_first_was()
    {
        var key = Guid.NewGuid().ToString();
        HttpRequestMessage Form() => WithKey(Submit(new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["first_name"] = "Formed", ["redir_url"] = "https://example.com/thanks?x=1",
        })), key);

        using var first = await server.Client.SendAsync(Form());
        using var second = await server.Client.SendAsync(Form());

        first.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        second.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        second.Headers.Location.ShouldBe(first.Headers.Location);
        second.Headers.GetValues("Idempotent-Replayed").ShouldBe(["true"]);
    }

    [Fact]
    public async Task An_overlong_idempotency_key_is_400()
    {
        using var response = await server.Client.SendAsync(WithKey(Submit(Json("""{"first_name":"Long"}""")), new string('k', 256)));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Idempotency-Key");
    }

    private static HttpRequestMessage WithKey(HttpRequestMessage request, string key)
    {
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private async Task<string> SubmitAsync(string json) => await AnswerAsync(Submit(Json(json)));

    private async Task<string> AnswerAsync(HttpRequestMessage request)
    {
        using (request)
        using (var response = await server.Client.SendAsync(request))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return answer.RootElement.GetProperty("lead").GetProperty("id").GetString()!;
        }
    }
}
