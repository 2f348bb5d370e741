using System.Diagnostics.CodeAnalysis;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Plugins;
using PluggableFlows.Engine.Storage;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Tests.Pipeline;

/// <summary>Who pays for a step, whose credentials it runs on, and what the usage ledger and events record.</summary>
public class StepAccountingTests
{
    private const string Flow = """
        id: accounting
        fields: [email, phone_1]
        sources: [ { id: acme } ]
        steps:
          - { key: phone_check, type: enhancement, integration: phone.addon }
          - { key: skipped, type: enhancement, integration: phone.addon, when: { rules: [ { lhv: lead.email, op: is blank } ] } }
          - key: crm
            type: delivery
            integration: crm.byoc
            credentials: { api_key: { env: PF_TEST_BYOC_KEY } }
        """;

    private readonly FakeIntegration _addOn = new("phone.addon", IntegrationKind.Enhancement, _ => IntegrationResult.Success(),
        IntegrationClass.AddOn, 0.005m);

    private readonly FakeIntegration _byoc = new("crm.byoc", IntegrationKind.Delivery, _ => IntegrationResult.Failure("Rejected"));

    private readonly RecordingLedger _ledger = new();

    private LeadProcessor Processor(IIntegrationRegistry registry, IAddOnAccounts? accounts = null) =>
        new(FieldTypeRegistry.Default, registry, new IntegrationInvoker(new SocketsHttpHandler(), TimeProvider.System), TimeProvider.System,
            addOns: accounts ?? new AddOnAccounts(new Dictionary<string, IReadOnlyDictionary<string, string>>
            {
                ["phone.addon"] = new Dictionary<string, string> { ["api_key"] = "host-account-key" },
            }),
            ledger: _ledger);

    [Fact]
    public async Task Add_ons_run_on_the_hosts_account_and_byoc_steps_on_the_flows_credentials()
    {
        Environment.SetEnvironmentVariable("PF_TEST_BYOC_KEY", "flow-owner-key");
        var flow = TestFlows.Compile(Flow, _addOn, _byoc);

        await Processor(new IntegrationRegistry([_addOn, _byoc])).ProcessAsync(flow, TestFlows.Lead("acme", ("email", "a@b.com")));

        _addOn.Calls.ShouldHaveSingleItem().GetCredential("api_key").ShouldBe("host-account-key");
        _byoc.Calls.ShouldHaveSingleItem().GetCredential("api_key").ShouldBe("flow-owner-key");
    }

    [Fact]
    public void Add_on_accounts_fall_back_to_environment_variables()
    {
        Environment.SetEnvironmentVariable("PFLOW_ADDON_PHONE_ADDON_API_KEY", "from-env");

        new AddOnAccounts().CredentialsFor(_addOn.Descriptor)["api_key"].ShouldBe("from-env");
        AddOnAccounts.VariableName("email.verify", "api-key").ShouldBe("PFLOW_ADDON_EMAIL_VERIFY_API_KEY");
    }

    [Fact]
    public async Task The_ledger_gets_the_submission_and_every_invocation_with_add_on_charges()
    {
        var flow = TestFlows.Compile(Flow, _addOn, _byoc);

        var result = await Processor(new IntegrationRegistry([_addOn, _byoc])).ProcessAsync(flow, TestFlows.Lead("acme", ("email", "a@b.com")));

        var records = _ledger.Batches.ShouldHaveSingleItem();
        records.Select(r => (r.Kind, r.StepKey, r.IntegrationId, r.Outcome, r.BillableUnits, r.Cost)).ShouldBe(
        [
            (UsageKind.StepInvocation, "phone_check", "phone.addon", Outcome.Success, 1, 0.005m),
            (UsageKind.StepInvocation, "crm", "crm.byoc", Outcome.Failure, 0, 0m),
            (UsageKind.Submission, null, null, Outcome.Success, 0, 0m),
        ]);
        records.ShouldAllBe(r => r.LeadId == result.LeadId && r.FlowId == "accounting" && r.SourceId == "acme");
        result.Events.Single(e => e.StepKey == "phone_check").Cost.ShouldBe(0.005m);
    }

    [Fact]
    public async Task An_add_on_call_that_errors_is_counted_but_not_charged()
    {
        var failing = new FakeIntegration("phone.addon", IntegrationKind.Enhancement, _ => IntegrationResult.Error("Provider down"),
            IntegrationClass.AddOn, 0.005m);
        var flow = TestFlows.Compile(Flow, failing, _byoc);

        await Processor(new IntegrationRegistry([failing, _byoc])).ProcessAsync(flow, TestFlows.Lead("acme", ("email", "a@b.com")));

        var record = _ledger.Batches.Single().First(r => r.StepKey == "phone_check");
        (record.Outcome, record.BillableUnits, record.Cost).ShouldBe((Outcome.Error, 0, 0m));
    }

    [Fact]
    public async Task Step_events_record_the_plugin_name_and_version()
    {
        var registry = new IntegrationRegistry();
        registry.Add(_addOn, new PluginInfo("phone", "2.3.4", "/plugins/phone"));
        registry.Add(_byoc);
        var flow = TestFlows.Compile(Flow, _addOn, _byoc);

        var result = await Processor(registry).ProcessAsync(flow, TestFlows.Lead("acme", ("email", "a@b.com")));

        var step = result.Events.Single(e => e.StepKey == "phone_check");
        (step.Plugin, step.PluginVersion).ShouldBe(("phone", "2.3.4"));
        var crm = result.Events.Single(e => e.StepKey == "crm");
        crm.Plugin.ShouldBe(typeof(FakeIntegration).Assembly.GetName().Name);
    }

    [Fact]
    public async Task A_step_whose_plugin_was_removed_since_the_flow_loaded_is_an_error()
    {
        var flow = TestFlows.Compile(Flow, _addOn, _byoc);

        var result = await Processor(new IntegrationRegistry([_byoc])).ProcessAsync(flow, TestFlows.Lead("acme", ("email", "a@b.com")));

        var step = result.Events.Single(e => e.StepKey == "phone_check");
        step.Outcome.ShouldBe(Outcome.Error);
        step.Reason.ShouldBe("Integration 'phone.addon' is not loaded (was its plugin removed?).");
        result.Outcome.ShouldBe(Outcome.Success);
    }

    [Fact]
    public async Task Each_lead_pins_its_integrations_with_one_lease_released_at_the_end()
    {
        var registry = new CountingRegistry(new IntegrationRegistry([_addOn, _byoc]));
        var flow = TestFlows.Compile(Flow, _addOn, _byoc);

        await Processor(registry).ProcessAsync(flow, TestFlows.Lead("acme", ("email", "a@b.com")));

        (registry.Acquired, registry.Released).ShouldBe((1, 1));
    }

    private sealed class RecordingLedger : IUsageLedger
    {
        public List<IReadOnlyList<UsageRecord>> Batches { get; } = [];

        public ValueTask RecordAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken = default)
        {
            Batches.Add(records.ToArray());
            return ValueTask.CompletedTask;
        }
    }

    private sealed class CountingRegistry(IIntegrationRegistry inner) : IIntegrationRegistry
    {
        public int Acquired { get; private set; }

        public int Released { get; private set; }

        public IReadOnlyCollection<IntegrationRegistration> All => inner.All;

        public bool TryGet(string id, [NotNullWhen(true)] out IntegrationRegistration? registration) => inner.TryGet(id, out registration);

        public IntegrationLease Acquire()
        {
            Acquired++;
            return new Lease(this, inner.Acquire());
        }

        private sealed class Lease(CountingRegistry owner, IntegrationLease inner) : IntegrationLease
        {
            public override bool TryGet(string id, [NotNullWhen(true)] out IntegrationRegistration? registration) => inner.TryGet(id, out registration);

            protected override void Dispose(bool disposing)
            {
                owner.Released++;
                inner.Dispose();
            }
        }
    }
}
