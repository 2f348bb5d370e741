using PluggableFlows.Engine.Flows;
using static PluggableFlows.Engine.Tests.Flows.FlowTestKit;

namespace PluggableFlows.Engine.Tests.Flows;

/// <summary><c>retry</c> on enhancement and delivery steps: both forms, their defaults, and every way to get it wrong.</summary>
public sealed class FlowRetryTests
{
    private static string StepWithRetry(string retry) => $"""
        id: demo
        steps:
          - key: check
            type: enhancement
            integration: email.verify
            inputs: {"{"} email: x {"}"}
            retry: {retry}
        """;

    private static RetryPolicy? ParsedRetry(string retry)
    {
        var result = Parse(StepWithRetry(retry));
        result.Diagnostics.ShouldBeEmpty();
        return result.Flow!.Steps.OfType<IntegrationStepDefinition>().Single().Retry;
    }

    [Theory]
    [InlineData("5", 5, 30, 3600)]
    [InlineData("2", 2, 30, 3600)]
    [InlineData("50", 50, 30, 3600)]
    [InlineData("{ attempts: 4, backoff: 10s, max_backoff: 5m }", 4, 10, 300)]
    [InlineData("{ attempts: 3 }", 3, 30, 3600)]
    [InlineData("{ attempts: 3, backoff: 1s }", 3, 1, 3600)]
    [InlineData("{ attempts: 3, backoff: 1500ms, max_backoff: 2s }", 3, 1.5, 2)]
    [InlineData("{ attempts: 3, max_backoff: 24h }", 3, 30, 86400)]
    [InlineData("{ attempts: 3, backoff: 30s, max_backoff: 30s }", 3, 30, 30)]
    [InlineData("{ attempts: 3, backoff: 2h }", 3, 7200, 7200)]
    public void Retry_is_read_in_both_forms_with_defaults_for_what_is_left_out(string retry, int attempts, double backoffSeconds, double maxBackoffSeconds)
    {
        ParsedRetry(retry).ShouldBe(new RetryPolicy(attempts, TimeSpan.FromSeconds(backoffSeconds), TimeSpan.FromSeconds(maxBackoffSeconds)));
    }

    [Fact]
    public void Retry_written_as_a_block_mapping_is_read()
    {
        var result = Parse("""
            id: demo
            steps:
              - key: crm
                type: delivery
                integration: crm.post
                inputs: { url: https://crm.example.com/leads, body: "{}" }
                retry:
                  attempts: 5
                  backoff: 30s
                  max_backoff: 1h
            """);

        result.Diagnostics.ShouldBeEmpty();
        result.Flow!.Steps.OfType<IntegrationStepDefinition>().Single().Retry
            .ShouldBe(new RetryPolicy(5, TimeSpan.FromSeconds(30), TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Step_without_retry_has_no_retry_policy()
    {
        var result = Parse("""
            id: demo
            steps:
              - { key: check, type: enhancement, integration: email.verify, inputs: { email: x } }
            """);

        result.Flow!.Steps.OfType<IntegrationStepDefinition>().Single().Retry.ShouldBeNull();
    }

    [Theory]
    [InlineData("often", 12, "PF0105", "'retry' must be a whole number of attempts, but found 'often'.",
        "Write the number of attempts, e.g. retry: 5, or a mapping: retry: { attempts: 5, backoff: 30s, max_backoff: 1h }.")]
    [InlineData("2.5", 12, "PF0105", "'retry' must be a whole number of attempts, but found '2.5'.",
        "Write the number of attempts, e.g. retry: 5, or a mapping: retry: { attempts: 5, backoff: 30s, max_backoff: 1h }.")]
    [InlineData("[5]", 12, "PF0105", "'retry' must be a number of attempts (retry: 5) or a mapping { attempts, backoff, max_backoff }, but found a list.", null)]
    [InlineData("1", 12, "PF0131", "'retry' must be 2 to 50 attempts, but found 1.",
        "Attempts count the first call too, so 1 would never retry; write 2 or more, or remove retry.")]
    [InlineData("-3", 12, "PF0131", "'retry' must be 2 to 50 attempts, but found -3.",
        "Attempts count the first call too, so -3 would never retry; write 2 or more, or remove retry.")]
    [InlineData("51", 12, "PF0131", "'retry' must be 2 to 50 attempts, but found 51.",
        "Write at most 50; for a longer outage raise backoff and max_backoff instead.")]
    [InlineData("{ attempts: five }", 24, "PF0105", "'attempts' must be a whole number of attempts, but found 'five'.",
        "Write the number of attempts in all, the first included, e.g. attempts: 5.")]
    [InlineData("{ attempts: 0 }", 24, "PF0131", "'attempts' must be 2 to 50 attempts, but found 0.",
        "Attempts count the first call too, so 0 would never retry; write 2 or more, or remove retry.")]
    [InlineData("{ attempts: 5, backoff: soon }", 36, "PF0105", "'backoff' must be a duration such as 500ms, 10s, 2m or 1h, but found 'soon'.",
        "Write a whole number above zero followed by ms (milliseconds), s (seconds), m (minutes) or h (hours).")]
    [InlineData("{ attempts: 5, backoff: 0s }", 36, "PF0105", "'backoff' must be a duration such as 500ms, 10s, 2m or 1h, but found '0s'.",
        "Write a whole number above zero followed by ms (milliseconds), s (seconds), m (minutes) or h (hours).")]
    [InlineData("{ attempts: 5, backoff: 500ms }", 36, "PF0131", "'backoff' must be at least 1s, but found '500ms'.",
        "Retries wait at least a second, so a struggling recipient gets time to recover; write backoff: 1s or more.")]
    [InlineData("{ attempts: 5, backoff: 30s, max_backoff: 10s }", 54, "PF0131", "'max_backoff' must be at least backoff (30s), but found '10s'.",
        "max_backoff caps the growing delay between attempts; make it at least backoff, or leave it out for 1h.")]
    [InlineData("{ attempts: 5, max_backoff: 2d }", 40, "PF0105", "'max_backoff' must be a duration such as 500ms, 10s, 2m or 1h, but found '2d'.",
        "Write a whole number above zero followed by ms (milliseconds), s (seconds), m (minutes) or h (hours).")]
    [InlineData("{ attempts: 5, max_backoff: 25h }", 40, "PF0131", "'max_backoff' must be at most 24h, but found '25h'.",
        "A lead waits no more than a day between attempts; write 24h or less.")]
    [InlineData("{ attempts: 5, backoff: 2d }", 36, "PF0105", "'backoff' must be a duration such as 500ms, 10s, 2m or 1h, but found '2d'.",
        "Write a whole number above zero followed by ms (milliseconds), s (seconds), m (minutes) or h (hours).")]
    [InlineData("{ atempts: 5 }", 14, "PF0103", "Unknown key 'atempts' in 'retry'.", "Did you mean 'attempts'?")]
    [InlineData("{ attempts: 5, jitter: full }", 27, "PF0103", "Unknown key 'jitter' in 'retry'.", "Valid keys here: attempts, backoff, max_backoff.")]
    [InlineData("{ backoff: 30s }", 12, "PF0104", "Missing required key 'attempts' in 'retry'.",
        "Say how many attempts in all, the first included, e.g. retry: { attempts: 5, backoff: 30s }.")]
    public void Bad_retry_is_reported_where_it_is_written(string retry, int column, string code, string message, string? hint)
    {
        var diagnostic = SingleDiagnostic(StepWithRetry(retry));

        diagnostic.ShouldBeAt(code, 7, column);
        diagnostic.Message.ShouldBe(message);
        diagnostic.Hint.ShouldBe(hint);
    }

    [Fact]
    public void Filter_step_with_retry_is_reported()
    {
        var diagnostic = SingleDiagnostic("""
            id: demo
            steps:
              - key: no_email
                type: filter
                stop_if: { rules: [ { lhv: lead.email, op: is blank } ] }
                retry: 3
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.RetryOnFilterStep, 6, 5);
        diagnostic.Message.ShouldBe("Filter step 'no_email' cannot retry: a filter calls no integration.");
        diagnostic.Hint.ShouldBe("Remove retry here; put it on the enhancement or delivery step whose error outcome should be retried.");
    }

    [Fact]
    public void Retry_with_on_failure_stop_is_reported()
    {
        var diagnostic = SingleDiagnostic("""
            id: demo
            steps:
              - key: crm
                type: delivery
                integration: file.jsonl
                inputs: { path: out.jsonl }
                on_failure: stop
                retry: 3
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.RetryWithStop, 8, 5);
        diagnostic.Message.ShouldBe("Step 'crm' has both retry and on_failure: stop.");
    }
}
