using Microsoft.Extensions.Time.Testing;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Plugins;
using PluggableFlows.Engine.Storage;
using PluggableFlows.Engine.Tests.Pipeline;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Tests.Storage;

/// <summary>Steps with <c>retry:</c> whose outcome is <c>error</c>: queued in the outbox with their lead, then retried by
/// the <see cref="RetryRunner"/> with each attempt recorded.</summary>
public sealed class RetryOutboxTests : IDisposable
{
    private const string Flow = """
        id: retried
        fields: [first_name]
        sources: [ { id: acme } ]
        steps:
          - { key: crm, type: delivery, integration: test.crm, retry: { attempts: 4, backoff: 1s, max_backoff: 10s },
              inputs: { name: "{{ lead.first_name }}" } }
          - { key: once, type: delivery, integration: test.once }
        """;

    private readonly TempStore _temp = new();
    private readonly Queue<IntegrationResult> _crmAnswers = new();
    private readonly FakeIntegration _crm;
    private readonly FakeIntegration _once = new("test.once", IntegrationKind.Delivery, _ => IntegrationResult.Error("down"));
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    public RetryOutboxTests()
    {
        _crm = new FakeIntegration("test.crm", IntegrationKind.Delivery, _ =>
        {
            lock (_crmAnswers)
            {
                return _crmAnswers.Count > 0 ? _crmAnswers.Dequeue() : IntegrationResult.Success(price: 3m);
            }
        }, inputs: "name");
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task An_errored_step_with_retry_is_queued_with_its_lead_and_a_step_without_is_not()
    {
        _crmAnswers.Enqueue(IntegrationResult.Error("503 from the CRM"));
        var lead = await ProcessAsync();

        lead.Outcome.ShouldBe(Outcome.Success, "a delivery's error does not change the source's answer");
        var stored = (await new SqliteLeadQueries(_temp.Store).GetLeadAsync(lead.LeadId)).ShouldNotBeNull();
        var retry = stored.Retries.ShouldHaveSingleItem();
        retry.StepKey.ShouldBe("crm");
        retry.State.ShouldBe("pending");
        retry.AttemptsMade.ShouldBe(1);
        retry.MaxAttempts.ShouldBe(4);
        retry.LastReason.ShouldBe("503 from the CRM");
        retry.Due.ShouldBeInRange(lead.Timestamp.AddMilliseconds(799), lead.Timestamp.AddMilliseconds(1201));
        stored.Events.Single(e => e.StepKey == "crm").Final.ShouldBeFalse();
        stored.Events.Single(e => e.StepKey == "once").Final.ShouldBeTrue();
    }

    [Fact]
    public async Task The_runner_retries_until_success_recording_every_attempt_with_the_same_inputs()
    {
        _crmAnswers.Enqueue(IntegrationResult.Error("503 first"));
        _crmAnswers.Enqueue(IntegrationResult.Error("503 second"));
        _crmAnswers.Enqueue(IntegrationResult.Error("503 third"));
        var lead = await ProcessAsync();

        await RunDueAsync();

        var stored = (await new SqliteLeadQueries(_temp.Store).GetLeadAsync(lead.LeadId)).ShouldNotBeNull();
        var attempts = stored.Events.Where(e => e.StepKey == "crm").ToArray();
        attempts.Select(e => (e.Attempt, e.Outcome, e.Final)).ShouldBe(
        [
            (1, Outcome.Error, false), (2, Outcome.Error, false), (3, Outcome.Error, false), (4, Outcome.Success, true),
        ]);
        attempts[1].Seq.ShouldBeGreaterThan(stored.Events.Single(e => e.Kind == "submission").Seq, "retries come after the answer");
        var retry = stored.Retries.ShouldHaveSingleItem();
        retry.State.ShouldBe("done");
        retry.AttemptsMade.ShouldBe(4);
        _crm.Calls.Select(c => c.Values["name"]?.ToString()).ShouldBe(["Ada", "Ada", "Ada", "Ada"]);
        // Exponential: the waits before retries 2 and 3 are about 2 s and 4 s (with jitter), so the attempts spread out.
        (attempts[3].Timestamp - attempts[1].Timestamp).ShouldBeGreaterThan(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task The_last_attempts_error_is_final_and_the_row_failed()
    {
        for (var i = 0; i < 4; i++)
        {
            _crmAnswers.Enqueue(IntegrationResult.Error($"down {i + 1}"));
        }

        var lead = await ProcessAsync();

        await RunDueAsync();

        var stored = (await new SqliteLeadQueries(_temp.Store).GetLeadAsync(lead.LeadId)).ShouldNotBeNull();
        stored.Events.Where(e => e.StepKey == "crm").Select(e => (e.Attempt, e.Final)).ShouldBe([(1, false), (2, false), (3, false), (4, true)]);
        var retry = stored.Retries.ShouldHaveSingleItem();
        retry.State.ShouldBe("failed");
        retry.LastReason.ShouldBe("down 4");
        _crm.Calls.Count.ShouldBe(4);
    }

    [Fact]
    public async Task A_failure_is_never_retried()
    {
        _crmAnswers.Enqueue(IntegrationResult.Failure("Duplicate lead"));
        var lead = await ProcessAsync();

        (await new SqliteLeadQueries(_temp.Store).GetLeadAsync(lead.LeadId)).ShouldNotBeNull().Retries.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_row_is_claimed_by_one_worker_until_its_lease_runs_out()
    {
        _crmAnswers.Enqueue(IntegrationResult.Error("503"));
        await ProcessAsync();
        var outbox = new SqliteOutbox(_temp.Store);
        var later = _time.GetUtcNow().AddMinutes(1);

        (await outbox.ClaimDueAsync(later, TimeSpan.FromMinutes(2), 10)).Count.ShouldBe(1);
        (await outbox.ClaimDueAsync(later, TimeSpan.FromMinutes(2), 10)).ShouldBeEmpty("held by the first claim");
        (await outbox.ClaimDueAsync(later.AddMinutes(3), TimeSpan.FromMinutes(2), 10)).Count.ShouldBe(1, "the first worker died: its lease ran out");
    }

    [Fact]
    public async Task A_retry_whose_flow_is_no_longer_served_fails_for_good()
    {
        _crmAnswers.Enqueue(IntegrationResult.Error("503"));
        var lead = await ProcessAsync();
        var outbox = new SqliteOutbox(_temp.Store);
        var item = (await outbox.ClaimDueAsync(_time.GetUtcNow().AddMinutes(1), TimeSpan.FromMinutes(1), 10)).ShouldHaveSingleItem();

        await Runner(outbox).RunAsync(item, flow: null, CancellationToken.None);

        var stored = (await new SqliteLeadQueries(_temp.Store).GetLeadAsync(lead.LeadId)).ShouldNotBeNull();
        stored.Retries.ShouldHaveSingleItem().State.ShouldBe("failed");
        stored.Events.Last().Reason.ShouldBe("Flow 'retried' is no longer served; the retry is abandoned.");
        _crm.Calls.Count.ShouldBe(1);
    }

    private async Task<LeadResult> ProcessAsync()
    {
        await using var log = new SqliteLeadLog(_temp.Store);
        var processor = new LeadProcessor(FieldTypeRegistry.Default, new IntegrationRegistry([_crm, _once]),
            new IntegrationInvoker(new SocketsHttpHandler(), _time), _time, log: log);
        return await processor.ProcessAsync(Compiled, TestFlows.Lead("acme", ("first_name", "Ada")));
    }

    private CompiledFlow Compiled => field ??= TestFlows.Compile(Flow, _crm, _once);

    private RetryRunner Runner(SqliteOutbox outbox) => new(new IntegrationRegistry([_crm, _once]),
        new IntegrationInvoker(new SocketsHttpHandler(), _time), new StepCredentials(new EnvironmentSecretResolver(), new AddOnAccounts()),
        FieldTypeRegistry.Default, outbox, _time);

    // Claims what is due a minute from now and runs it, moving the fake clock on while Polly waits between attempts.
    private async Task RunDueAsync()
    {
        var outbox = new SqliteOutbox(_temp.Store);
        _time.Advance(TimeSpan.FromMinutes(1));
        var item = (await outbox.ClaimDueAsync(_time.GetUtcNow(), TimeSpan.FromMinutes(1), 10)).ShouldHaveSingleItem();
        var run = Runner(outbox).RunAsync(item, Compiled, CancellationToken.None);
        while (!run.IsCompleted)
        {
            await Task.Delay(5);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        await run;
    }
}
