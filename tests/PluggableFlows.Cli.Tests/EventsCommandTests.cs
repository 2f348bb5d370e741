using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Storage;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;

namespace PluggableFlows.Cli.Tests;

/// <summary><c>pflow events show | list</c> over a store written by a real <c>pflow run</c> of the sample flow.</summary>
public sealed class EventsCommandTests : IClassFixture<EventsCommandTests.SampleRun>
{
    private static readonly string[] SampleSteps = ["phone_check", "email_check", "suppressed", "reachable", "served_states", "eligibility", "warehouse"];

    private readonly SampleRun _run;

    public EventsCommandTests(SampleRun run) => _run = run;

    /// <summary>The sample leads run once through the sample flow into a scratch store, shared by the tests that read it.</summary>
    public sealed class SampleRun : IAsyncLifetime
    {
        public string Store { get; private set; } = "";

        public JsonElement[] Results { get; private set; } = [];

        public async Task InitializeAsync()
        {
            var workspace = Pflow.Workspace();
            var (exit, _, error) = await Pflow.ProcessAsync(workspace,
                "run", "scripts/flows/auto-insurance.yaml", "scripts/leads/auto-insurance.csv", "--store", "data/events.db", "--out", "data/results.jsonl");
            exit.ShouldBe(0, error);
            Store = Path.Combine(workspace, "data", "events.db");
            Results = [.. File.ReadAllLines(Path.Combine(workspace, "data", "results.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)];
        }

        public Task DisposeAsync() => Task.CompletedTask;

        public string LeadWith(string outcome) =>
            Results.First(r => r.TryGetProperty("outcome", out var o) && o.GetString() == outcome).GetProperty("lead_id").GetString()!;

        public async Task<StoredLead> ReadAsync(string leadId)
        {
            using var store = new SqliteStore(new StoreOptions { Path = Store });
            return (await new SqliteLeadQueries(store).GetLeadAsync(leadId)).ShouldNotBeNull();
        }
    }

    [Theory]
    [InlineData("success")]
    [InlineData("failure")]
    public async Task Events_show_prints_every_event_of_a_lead_in_order_with_its_outcome(string outcome)
    {
        var leadId = _run.LeadWith(outcome);
        var stored = await _run.ReadAsync(leadId);

        var (exit, output, error) = await Pflow.InProcessAsync("", "events", "show", leadId, "--store", _run.Store);

        error.ShouldBeEmpty();
        exit.ShouldBe(0);
        output.ShouldContain($"Lead {leadId}");
        output.ShouldContain("auto-insurance @ " + stored.FlowVersion[..12]);
        output.ShouldContain("waiting on providers");
        output.ShouldContain("engine overhead");
        EventLines(output).ShouldBe(stored.Events.Select(e => (e.StepKey ?? e.Kind, OutcomeNames.Of(e.Outcome))));
        EventLines(output)[^1].ShouldBe(("submission", outcome));
        if (outcome == "success")
        {
            EventLines(output).Select(e => e.Step).Where(SampleSteps.Contains).ShouldBe(SampleSteps);
            output.ShouldContain("phone.verify (");
        }
        else
        {
            output.ShouldContain("rules");
            output.ShouldContain("resolved lhv");
        }
    }

    [Fact]
    public async Task Events_show_json_prints_the_timeline_the_server_serves()
    {
        var leadId = _run.LeadWith("success");
        var stored = await _run.ReadAsync(leadId);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            TimelineJson.WriteLead(writer, stored);
        }

        var (exit, output, error) = await Pflow.InProcessAsync("", "events", "show", leadId, "--json", "--store", _run.Store);

        error.ShouldBeEmpty();
        exit.ShouldBe(0);
        output.ShouldContain("\n  \"id\": ");
        var shown = JsonNode.Parse(output).ShouldNotBeNull();
        JsonNode.DeepEquals(shown, JsonNode.Parse(buffer.WrittenSpan)).ShouldBeTrue();
        shown["id"]!.GetValue<string>().ShouldBe(leadId);
        shown["events"]!.AsArray().Count.ShouldBe(stored.Events.Count);
    }

    [Fact]
    public async Task Events_show_of_an_unknown_lead_says_so_and_exits_1()
    {
        var (exit, output, error) = await Pflow.InProcessAsync("", "events", "show", "no-such-lead", "--store", _run.Store);

        exit.ShouldBe(1);
        output.ShouldBeEmpty();
        error.ShouldContain("No lead 'no-such-lead'");
    }

    [Fact]
    public async Task Events_show_without_a_store_says_so_exits_2_and_creates_no_file()
    {
        var store = UsageCommandTests.TempStorePath();

        var (exit, _, error) = await Pflow.InProcessAsync("", "events", "show", "any", "--store", store);

        exit.ShouldBe(2);
        error.ShouldContain($"No store at {store}");
        File.Exists(store).ShouldBeFalse();
    }

    [Fact]
    public async Task Events_list_with_a_step_and_an_outcome_lists_only_those_events()
    {
        var expected = _run.Results.Count(r => r.TryGetProperty("reason", out var reason) && reason.GetString()?.StartsWith("Not eligible", StringComparison.Ordinal) == true);
        expected.ShouldBeGreaterThan(0, "the sample has leads the eligibility filter stops");

        var (exit, output, error) = await Pflow.InProcessAsync("", "events", "list", "--step", "eligibility", "--outcome", "failure",
            "--limit", "1000", "--store", _run.Store);

        error.ShouldBeEmpty();
        exit.ShouldBe(0);
        var rows = TableRows(output);
        rows.Length.ShouldBe(expected);
        rows.ShouldAllBe(r => r[3] == "eligibility" && r[4] == "failure" && r[2] == "auto-insurance");
        output.ShouldNotContain("--before");
    }

    [Fact]
    public async Task Events_list_pages_newest_first_and_prints_the_cursor_of_the_next_page()
    {
        var (_, first, _) = await Pflow.InProcessAsync("", "events", "list", "--limit", "3", "--store", _run.Store);
        var cursor = Regex.Match(first, @"--before (\d+)");
        cursor.Success.ShouldBeTrue(first);

        var (exit, second, error) = await Pflow.InProcessAsync("", "events", "list", "--limit", "3", "--before", cursor.Groups[1].Value, "--store", _run.Store);

        exit.ShouldBe(0, error);
        TableRows(first).Length.ShouldBe(3);
        TableRows(first)[0][3].ShouldBe("submission", "the newest event is the last lead's submission");
        var times = TableRows(first).Concat(TableRows(second)).Select(r => r[0]).ToArray();
        times.ShouldBe(times.OrderDescending(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("--outcome", "rejected", "--outcome 'rejected' is not an outcome")]
    [InlineData("--from", "2025-13-01", "--from '2025-13-01' is not a date")]
    [InlineData("--to", "yesterday", "--to 'yesterday' is not a date")]
    public async Task Events_list_explains_a_value_it_cannot_read_and_exits_2(string option, string value, string message)
    {
        var (exit, _, error) = await Pflow.InProcessAsync("", "events", "list", option, value, "--store", _run.Store);

        exit.ShouldBe(2);
        error.ShouldContain(message);
    }

    [Fact]
    public async Task Events_show_prints_http_exchanges_with_pretty_bodies_curl_commands_and_pending_retries()
    {
        var store = UsageCommandTests.TempStorePath();
        await RecordAsync(store, Lead("lead-http", """{"first_name":"O'Brien","note":"[red]line one\nline two[/]"}""", "{\"accepted\":false}"));

        var (exit, output, error) = await Pflow.InProcessAsync("", "events", "show", "lead-http", "--curl", "--store", store);

        error.ShouldBeEmpty();
        exit.ShouldBe(0);
        EventLines(output).ShouldBe([("flow", "success"), ("crm", "error"), ("submission", "success")]);
        output.ShouldContain("crm.post (Acme.Crm@1.2.0)");
        output.ShouldContain("attempt 1 of 3, retry pending");
        output.ShouldContain("POST https://crm.example.com/leads?src=a&b=1 → 503 in 12.5 ms");
        output.ShouldContain("      Authorization: Bearer ***");
        output.ShouldContain("        \"first_name\": \"O'Brien\",");
        output.ShouldContain("[red]line one", Case.Sensitive);
        output.ShouldMatch(@"\n    accepted +false");
        output.ShouldContain("""
            curl -X POST 'https://crm.example.com/leads?src=a&b=1' \
              -H 'Authorization: Bearer ***' \
              -H 'Content-Type: application/json' \
              --data-binary '{"first_name":"O'\''Brien","note":"[red]line one\nline two[/]"}'
            """);
        output.ShouldContain("      Content-Length: 77");
        output.ShouldNotContain("-H 'Content-Length");
        TableRows(output).ShouldContain(r => r[0] == "crm" && r[1] == "pending" && r[2] == "1 of 3");
    }

    [Fact]
    public async Task Events_show_cuts_long_bodies_unless_full_and_never_prints_control_characters()
    {
        var store = UsageCommandTests.TempStorePath();
        var body = "\u001b[2J" + new string('x', 10_000);
        await RecordAsync(store, Lead("lead-long", body, "ok"));

        var (_, cut, _) = await Pflow.InProcessAsync("", "events", "show", "lead-long", "--store", store);
        var (_, curl, _) = await Pflow.InProcessAsync("", "events", "show", "lead-long", "--curl", "--store", store);
        var (exit, full, error) = await Pflow.InProcessAsync("", "events", "show", "lead-long", "--full", "--store", store);

        exit.ShouldBe(0, error);
        cut.ShouldContain("truncated: 4,096 of 10,004 characters shown; --full shows all");
        cut.ShouldNotContain(new string('x', 4096));
        cut.ShouldContain("\\u001b[2J");
        cut.ShouldNotContain('\u001b');
        curl.ShouldContain("--data-binary $'\\x1b[2J" + new string('x', 10_000) + "'", Case.Sensitive);
        curl.ShouldNotContain('\u001b');
        full.ShouldContain(new string('x', 10_000));
        full.ShouldNotContain("truncated");
        full.ShouldNotContain('\u001b');
    }

    // The numbered event headings: "3. phone_check  enhancement  success".
    private static (string Step, string Outcome)[] EventLines(string output) =>
    [
        .. output.Split('\n')
            .Select(l => Regex.Match(l, @"^\d+\. (\S+)\s+\S+\s+(success|failure|error|skip)\s*$"))
            .Where(m => m.Success)
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value)),
    ];

    // The cells of every table body row (not headings or rules).
    private static string[][] TableRows(string output) =>
    [
        .. output.Split('\n')
            .Where(l => l.StartsWith('│'))
            .Select(l => l.Split('│').Skip(1).SkipLast(1).Select(c => c.Trim()).ToArray())
            .Where(cells => cells.Length > 3 && cells[0] is not ("time (UTC)" or "step" or "lhv" or "")),
    ];

    private static async Task RecordAsync(string store, LeadResult lead)
    {
        using var sqlite = new SqliteStore(new StoreOptions { Path = store });
        await using var log = new SqliteLeadLog(sqlite);
        await log.AppendAsync(lead);
    }

    // A lead whose delivery got a 503 and waits for a retry: what a real CRM outage leaves in the store.
    [Fact]
    public async Task Events_show_curl_prints_a_command_that_sends_the_recorded_request_again()
    {
        using var crm = new PluggableFlows.Testing.LoopbackHttpServer(_ => new PluggableFlows.Testing.CannedResponse(200, """{"accepted":true}"""));
        const string body = "{\"first_name\":\"O'Brien $HOME `id`\",\"note\":\"line one\nline two 🎉 שלום\"}";
        var store = UsageCommandTests.TempStorePath();
        await RecordAsync(store, Lead("lead-replay", body, "{\"accepted\":false}", $"{crm.BaseUrl}leads?src=a&b=1"));
        var (exit, output, _) = await Pflow.InProcessAsync("", "events", "show", "lead-replay", "--curl", "--store", store);
        exit.ShouldBe(0);
        var lines = output.Split('\n');
        var first = Array.FindIndex(lines, line => line.TrimStart().StartsWith("curl ", StringComparison.Ordinal));
        first.ShouldBeGreaterThanOrEqualTo(0, output);
        // The command ends at the first line where it is a complete shell command (a body may hold newlines).
        var command = "";
        for (var last = first; last < lines.Length; last++)
        {
            command = string.Join('\n', lines[first..(last + 1)]);
            if (!command.EndsWith('\\') && await BashAsync("-n", command) == 0)
            {
                break;
            }
        }

        var start = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command + " --silent --show-error --max-time 10");
        using var curl = System.Diagnostics.Process.Start(start)!;
        var error = curl.StandardError.ReadToEndAsync();
        var answer = await curl.StandardOutput.ReadToEndAsync();
        await curl.WaitForExitAsync();
        curl.ExitCode.ShouldBe(0, $"{command}{Environment.NewLine}{await error}");
        answer.ShouldBe("""{"accepted":true}""");

        var received = crm.Received.ShouldHaveSingleItem();
        received.Method.ShouldBe("POST");
        received.PathAndQuery.ShouldBe("/leads?src=a&b=1");
        received.Headers["Authorization"].ShouldBe("Bearer ***", "a masked secret stays masked: the operator puts the real one in");
        received.Headers["Content-Type"].ShouldBe("application/json");
        received.BodyBytes.ShouldBe(System.Text.Encoding.UTF8.GetBytes(body));
    }

    private static async Task<int> BashAsync(string option, string script)
    {
        var start = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(option);
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using var bash = System.Diagnostics.Process.Start(start)!;
        await bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync();
        return bash.ExitCode;
    }

    private static LeadResult Lead(string leadId, string requestBody, string responseBody, string url = "https://crm.example.com/leads?src=a&b=1")
    {
        var time = new DateTimeOffset(2025, 5, 10, 9, 30, 0, TimeSpan.Zero);
        var vars = new LeadVars(leadId, new Dictionary<string, FieldValue>(), new SourceVars("acme", "Acme"),
            new FlowVars("crm-flow", "CRM flow", "0123456789abcdef0123"), new SubmissionVars("sub-1", time, "203.0.113.9"), 42);
        var exchange = new HttpExchange("POST", url,
            [new("Authorization", "Bearer ***"), new("Content-Type", "application/json"), new("Content-Length", "77")], requestBody,
            503, [new("Retry-After", "30")], responseBody, TimeSpan.FromMilliseconds(12.5));
        LeadEvent Event(EventKind kind, string? step, string type, Outcome outcome) => new()
        {
            LeadId = leadId,
            Kind = kind,
            StepKey = step,
            Type = type,
            Outcome = outcome,
            Timestamp = time,
            Vars = vars,
        };

        return new LeadResult(leadId, Outcome.Success, null, 0m, vars,
        [
            Event(EventKind.Acceptance, "flow", "acceptance", Outcome.Success),
            Event(EventKind.Step, "crm", "delivery", Outcome.Error) with
            {
                Integration = "crm.post",
                Plugin = "Acme.Crm",
                PluginVersion = "1.2.0",
                Reason = "CRM answered 503",
                Duration = TimeSpan.FromMilliseconds(14),
                ProviderWait = TimeSpan.FromMilliseconds(12.5),
                Appended = new Dictionary<string, object?> { ["accepted"] = false },
                Transcript = [exchange],
            },
            Event(EventKind.Submission, null, "submission", Outcome.Success),
        ])
        {
            FlowId = "crm-flow",
            FlowVersion = "0123456789abcdef0123",
            SourceId = "acme",
            Timestamp = time,
            Duration = TimeSpan.FromMilliseconds(15),
            ProviderWait = TimeSpan.FromMilliseconds(12.5),
            Retries = [new PendingRetry("crm", "crm.post", new Dictionary<string, object?>(), 3, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10), "CRM answered 503")],
        };
    }
}
