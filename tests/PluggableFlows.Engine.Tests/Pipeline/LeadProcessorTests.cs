using Microsoft.Extensions.Time.Testing;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Plugins;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Tests.Pipeline;

public class LeadProcessorTests
{
    private const string Header = """
        id: test-flow
        name: Test flow
        fields: [first_name, email, phone_1, state, { id: vehicle_year, type: number }]
        sources:
          - id: acme
            name: Acme Media
            mappings: { Phone: phone_1, EmailAddress: email }

        """;

    private readonly PipelineHarness _harness = new();

    private FakeTimeProvider Time => _harness.Time;

    private LeadProcessor Processor(PipelineOptions? options = null) => _harness.Processor(options);

    private CompiledFlow Compile(string yaml, params IIntegration[] integrations) => _harness.Compile(yaml, integrations);

    [Fact]
    public async Task Lead_without_criteria_or_steps_succeeds_with_an_id_and_a_submission_event()
    {
        var flow = Compile(Header);

        var result = await Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("first_name", "Ada")));

        result.Outcome.ShouldBe(Outcome.Success);
        result.Reason.ShouldBeNull();
        result.LeadId.Length.ShouldBe(32);
        result.Events.ShouldHaveSingleItem().Kind.ShouldBe(EventKind.Submission);
        result.Events[0].Timestamp.ShouldBe(Time.GetUtcNow());
        result.Vars.Fields["first_name"].Normal.ShouldBe("Ada");
    }

    [Fact]
    public async Task Source_mappings_rename_vendor_fields_before_parsing()
    {
        var flow = Compile(Header);

        var result = await Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("Phone", "512-555-1212"), ("EmailAddress", "Ada@Example.com")));

        result.Vars.Fields.Keys.ShouldBe(["phone_1", "email"], ignoreOrder: true);
        result.Vars.Fields["phone_1"].Type.ShouldBe("phone");
        result.Vars.Fields["email"].Type.ShouldBe("email");
    }

    [Fact]
    public async Task Flow_acceptance_criteria_stop_the_lead_with_their_reason()
    {
        var flow = Compile(Header + """
            acceptance_criteria:
              rule_set: { op: and, rules: [ { lhv: lead.state, op: is equal to, rhv: TX } ] }
              reason: "Only Texas leads, not {{ lead.state }}"
            steps:
              - key: stopper
                type: filter
                stop_if: { rules: [ { lhv: lead.first_name, op: is not blank } ] }
            """);

        var result = await Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("state", "CA"), ("first_name", "Ada")));

        result.Outcome.ShouldBe(Outcome.Failure);
        result.Reason.ShouldBe("Only Texas leads, not CA");
        result.Events.Select(e => e.Type).ShouldBe(["acceptance", "submission"]);
        result.Events[0].Trace.ShouldNotBeNull().Entries.ShouldHaveSingleItem().Result.ShouldBeFalse();
    }

    [Fact]
    public async Task Source_acceptance_criteria_run_after_the_flows()
    {
        var flow = Compile("""
            id: test-flow
            fields: [state]
            sources:
              - id: acme
                acceptance_criteria:
                  rule_set: { rules: [ { lhv: lead.state, op: is not equal to, rhv: FL } ] }
                  reason: No Florida from Acme
            acceptance_criteria:
              rule_set: { rules: [ { lhv: lead.state, op: is not blank } ] }
              reason: State is required
            """);

        var florida = await Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("state", "FL")));
        var blank = await Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("state", "")));

        florida.Reason.ShouldBe("No Florida from Acme");
        florida.Events.Where(e => e.Kind == EventKind.Acceptance).Select(e => e.StepKey).ShouldBe(["flow", "source"]);
        blank.Reason.ShouldBe("State is required");
        blank.Events.Count(e => e.Kind == EventKind.Acceptance).ShouldBe(1);
    }

    [Fact]
    public async Task Filter_stops_lead_when_rule_matches_and_later_steps_do_not_run()
    {
        var crm = new FakeIntegration("crm.post", IntegrationKind.Delivery, _ => IntegrationResult.Success());
        var flow = Compile(Header + """
            steps:
              - key: no_test_leads
                type: filter
                stop_if: { op: or, rules: [ { lhv: lead.first_name, op: is equal to, rhv: test } ] }
                reason: "Test lead from {{ source.name }}"
              - key: crm
                type: delivery
                integration: crm.post
            """, crm);

        var result = await Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("first_name", "TEST")));

        result.Outcome.ShouldBe(Outcome.Failure);
        result.Reason.ShouldBe("Test lead from Acme Media");
        crm.Calls.ShouldBeEmpty();
        result.Events.Select(e => (e.StepKey, e.Outcome)).ShouldBe([("no_test_leads", Outcome.Failure), (null, Outcome.Failure)]);
    }

    [Fact]
    public async Task Filter_that_does_not_match_lets_the_lead_continue()
    {
        var crm = new FakeIntegration("crm.post", IntegrationKind.Delivery, _ => IntegrationResult.Success(price: 12.5m));
        var flow = Compile(Header + """
            steps:
              - key: no_test_leads
                type: filter
                stop_if: { rules: [ { lhv: lead.first_name, op: is equal to, rhv: test } ] }
              - key: crm
                type: delivery
                integration: crm.post
            """, crm);

        var result = await Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("first_name", "Ada")));

        result.Outcome.ShouldBe(Outcome.Success);
        result.Price.ShouldBe(12.5m);
        crm.Calls.Count.ShouldBe(1);
        result.Vars.Steps["no_test_leads"].Outcome.ShouldBe(Outcome.Success);
    }

    [Fact]
    public async Task Filter_can_stop_on_a_previous_steps_outcome()
    {
        var crm = new FakeIntegration("crm.post", IntegrationKind.Delivery, _ => IntegrationResult.Failure("Duplicate"));
        var flow = Compile(Header + """
            steps:
              - key: crm
                type: delivery
                integration: crm.post
              - key: delivered
                type: filter
                stop_if: { rules: [ { lhv: crm.outcome, op: is not equal to, rhv: success } ] }
                reason: "CRM said {{ crm.reason }}"
            """, crm);

        var result = await Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("first_name", "Ada")));

        result.Outcome.ShouldBe(Outcome.Failure);
        result.Reason.ShouldBe("CRM said Duplicate");
        result.Price.ShouldBe(0m);
    }

    [Fact]
    public async Task Enhancements_append_under_their_own_step_keys_so_two_uses_of_one_integration_do_not_collide()
    {
        var verify = new FakeIntegration("phone.verify", IntegrationKind.Enhancement,
            input => IntegrationResult.Success(new Dictionary<string, object?> { ["checked"] = input.GetString("phone") }), inputs: "phone");
        var flow = Compile("""
            id: test-flow
            fields: [phone_1, phone_2]
            sources: [ { id: acme } ]
            steps:
              - key: home_phone
                type: enhancement
                integration: phone.verify
                inputs: { phone: "{{ lead.phone_1 }}" }
              - key: work_phone
                type: enhancement
                integration: phone.verify
                inputs: { phone: "{{ lead.phone_2 }}" }
            """, verify);

        var result = await Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("phone_1", "5125551212"), ("phone_2", "7135551212")));

        result.Vars.Resolve("home_phone.checked").ShouldBe(result.Vars.Fields["phone_1"].Normal);
        result.Vars.Resolve("work_phone.checked").ShouldBe(result.Vars.Fields["phone_2"].Normal);
        result.Vars.Resolve("home_phone.outcome").ShouldBe("success");
    }

    [Fact]
    public async Task A_lone_placeholder_input_reaches_the_integration_as_the_typed_field()
    {
        var verify = new FakeIntegration("phone.verify", IntegrationKind.Enhancement, _ => IntegrationResult.Success(), inputs: ["phone", "note"]);
        var flow = Compile("""
            id: test-flow
            fields: [phone_1]
            sources: [ { id: acme } ]
            steps:
              - key: check
                type: enhancement
                integration: phone.verify
                inputs: { phone: "{{ lead.phone_1 }}", note: "lead {{ lead.phone_1 }} from {{ source.id }}" }
            """, verify);

        var result = await Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("phone_1", "(512) 555-1212")));

        var input = verify.Calls.ShouldHaveSingleItem();
        input.GetField("phone").ShouldBeSameAs(result.Vars.Fields["phone_1"]);
        input["note"].ShouldBe($"lead {result.Vars.Fields["phone_1"].Normal} from acme");
    }

    [Fact]
    public async Task Step_is_skipped_when_its_when_rules_are_false()
    {
        var crm = new FakeIntegration("crm.post", IntegrationKind.Delivery, _ => IntegrationResult.Success());
        var flow = Compile(Header + """
            steps:
              - key: crm
                type: delivery
                integration: crm.post
                when: { rules: [ { lhv: lead.state, op: is equal to, rhv: TX } ] }
            """, crm);

        var result = await Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("state", "CA")));

        result.Outcome.ShouldBe(Outcome.Success);
        crm.Calls.ShouldBeEmpty();
        var step = result.Events.Single(e => e.StepKey == "crm");
        step.Outcome.ShouldBe(Outcome.Skip);
        step.Trace.ShouldNotBeNull().Entries.ShouldHaveSingleItem().ResolvedLhv.ShouldBe("CA");
    }

    [Fact]
    public async Task Flow_continues_after_a_failed_step_by_default()
    {
        var verify = new FakeIntegration("email.verify", IntegrationKind.Enhancement, _ => IntegrationResult.Failure("Undeliverable"));
        var crm = new FakeIntegration("crm.post", IntegrationKind.Delivery, _ => IntegrationResult.Success());
        var flow = Compile(Header + """
            steps:
              - { key: email_check, type: enhancement, integration: email.verify }
              - { key: crm, type: delivery, integration: crm.post }
            """, verify, crm);

        var result = await Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("email", "a@b.com")));

        result.Outcome.ShouldBe(Outcome.Success);
        crm.Calls.Count.ShouldBe(1);
    }

    [Fact]
    public async Task On_failure_stop_stops_the_lead_with_the_steps_outcome_and_reason()
    {
        var verify = new FakeIntegration("email.verify", IntegrationKind.Enhancement, _ => IntegrationResult.Failure("Undeliverable"));
        var crm = new FakeIntegration("crm.post", IntegrationKind.Delivery, _ => IntegrationResult.Success());
        var flow = Compile(Header + """
            steps:
              - { key: email_check, type: enhancement, integration: email.verify, on_failure: stop }
              - { key: crm, type: delivery, integration: crm.post }
            """, verify, crm);

        var result = await Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("email", "a@b.com")));

        result.Outcome.ShouldBe(Outcome.Failure);
        result.Reason.ShouldBe("Undeliverable");
        crm.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_throwing_integration_becomes_an_error_outcome_not_an_exception()
    {
        var broken = new FakeIntegration("email.verify", IntegrationKind.Enhancement,
            new Func<IntegrationInput, IntegrationResult>(_ => throw new InvalidOperationException("provider exploded")));
        var flow = Compile(Header + """
            steps:
              - { key: email_check, type: enhancement, integration: email.verify }
            """, broken);

        var result = await Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("email", "a@b.com")));

        result.Outcome.ShouldBe(Outcome.Success);
        var step = result.Events.Single(e => e.StepKey == "email_check");
        step.Outcome.ShouldBe(Outcome.Error);
        step.Reason.ShouldBe("email.verify failed: InvalidOperationException: provider exploded");
    }

    [Fact]
    public async Task A_null_result_becomes_an_error_outcome()
    {
        var broken = new FakeIntegration("email.verify", IntegrationKind.Enhancement, _ => null!);
        var flow = Compile(Header + """
            steps:
              - { key: email_check, type: enhancement, integration: email.verify }
            """, broken);

        var result = await Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("email", "a@b.com")));

        result.Vars.Steps["email_check"].Outcome.ShouldBe(Outcome.Error);
        result.Vars.Steps["email_check"].Reason.ShouldBe("email.verify returned no result.");
    }

    [Fact]
    public async Task A_step_that_outlives_its_timeout_is_an_error_and_sees_cancellation()
    {
        var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = new FakeIntegration("email.verify", IntegrationKind.Enhancement, async (_, token) =>
        {
            token.Register(() => cancelled.TrySetResult(true));
            await Task.Delay(Timeout.Infinite, token);
            return IntegrationResult.Success();
        });
        var flow = Compile(Header + """
            steps:
              - { key: email_check, type: enhancement, integration: email.verify, timeout: 2s }
            """, slow);

        var running = Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("email", "a@b.com")));
        while (slow.Calls.Count == 0)
        {
            await Task.Yield();
        }

        Time.Advance(TimeSpan.FromSeconds(3));
        var result = await running;

        (await cancelled.Task).ShouldBeTrue();
        result.Vars.Steps["email_check"].Outcome.ShouldBe(Outcome.Error);
        result.Vars.Steps["email_check"].Reason.ShouldBe("Timed out after 2 s.");
    }

    [Fact]
    public async Task Add_on_steps_record_their_cost_and_byoc_steps_do_not()
    {
        var addOn = new FakeIntegration("phone.verify", IntegrationKind.Enhancement, _ => IntegrationResult.Success(), IntegrationClass.AddOn, 0.05m);
        var byoc = new FakeIntegration("email.verify", IntegrationKind.Enhancement, _ => IntegrationResult.Success());
        var flow = Compile(Header + """
            steps:
              - { key: phone_check, type: enhancement, integration: phone.verify }
              - { key: email_check, type: enhancement, integration: email.verify }
            """, addOn, byoc);

        var result = await Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("email", "a@b.com")));

        result.Vars.Steps["phone_check"].Cost.ShouldBe(0.05m);
        result.Vars.Resolve("phone_check.cost").ShouldBe(0.05m);
        result.Vars.Steps["email_check"].Cost.ShouldBeNull();
    }

    [Fact]
    public async Task Credentials_come_from_the_environment_and_only_the_mapped_ones_reach_the_plugin()
    {
        Environment.SetEnvironmentVariable("PF_TEST_CRM_KEY", "s3cret-key");
        var crm = new FakeIntegration("crm.post", IntegrationKind.Delivery, _ => IntegrationResult.Success());
        var flow = Compile(Header + """
            steps:
              - key: crm
                type: delivery
                integration: crm.post
                credentials: { api_key: { env: PF_TEST_CRM_KEY } }
                inputs: { email: "{{ lead.email }}" }
            """, crm);

        await Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("email", "a@b.com"), ("first_name", "Ada")));

        var input = crm.Calls.ShouldHaveSingleItem();
        input.GetCredential("api_key").ShouldBe("s3cret-key");
        input.Values.Keys.ShouldBe(["email"]);
    }

    [Fact]
    public async Task Each_step_event_keeps_a_snapshot_that_later_steps_do_not_change()
    {
        var first = new FakeIntegration("phone.verify", IntegrationKind.Enhancement, _ => IntegrationResult.Success(new Dictionary<string, object?> { ["n"] = 1 }));
        var second = new FakeIntegration("email.verify", IntegrationKind.Enhancement, _ => IntegrationResult.Success(new Dictionary<string, object?> { ["n"] = 2 }));
        var flow = Compile(Header + """
            steps:
              - { key: one, type: enhancement, integration: phone.verify }
              - { key: two, type: enhancement, integration: email.verify }
            """, first, second);

        var result = await Processor().ProcessAsync(flow, TestFlows.Lead("acme"));

        var one = result.Events.Single(e => e.StepKey == "one");
        one.Vars.Steps.Keys.ShouldBe(["one"]);
        one.Appended["n"].ShouldBe(1);
        result.Events.Single(e => e.StepKey == "two").Vars.Steps.Keys.ShouldBe(["one", "two"], ignoreOrder: true);
        result.Events[^1].Kind.ShouldBe(EventKind.Submission);
    }

    [Fact]
    public async Task Vars_expose_flow_source_submission_and_random()
    {
        var flow = Compile(Header);

        var result = await Processor().ProcessAsync(flow, TestFlows.Lead("acme") with { Ip = "203.0.113.9" });

        result.Vars.Resolve("flow.id").ShouldBe("test-flow");
        result.Vars.Resolve("flow.version").ShouldBe(flow.Definition.Version);
        result.Vars.Resolve("source.name").ShouldBe("Acme Media");
        result.Vars.Resolve("submission.ip").ShouldBe("203.0.113.9");
        result.Vars.Resolve("submission.timestamp").ShouldBe(Time.GetUtcNow());
        result.Vars.Resolve("lead.id").ShouldBe(result.LeadId);
        ((int)result.Vars.Resolve("random")!).ShouldBeInRange(1, 100);
    }

    [Fact]
    public async Task Unknown_source_is_a_caller_error()
    {
        var flow = Compile(Header);

        await Should.ThrowAsync<ArgumentException>(() => Processor().ProcessAsync(flow, TestFlows.Lead("nobody")));
    }
}
