using System.Security.Cryptography;
using System.Text;
using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Flows;
using PluggableFlows.Engine.Rules;
using PluggableFlows.Sdk;
using static PluggableFlows.Engine.Tests.Flows.FlowTestKit;

namespace PluggableFlows.Engine.Tests.Flows;

/// <summary>What a valid flow file becomes.</summary>
public sealed class FlowLoaderModelTests
{
    private const string Yaml = """
        id: auto-insurance
        name: Auto insurance
        fields:
          - first_name
          - email
          - phone_1
          - state
          - { id: vehicle_year, type: number }
        sources:
          - id: acme
            name: Acme Media
            api_key: { env: ACME_API_KEY }
            mappings: { Phone: phone_1, Year: vehicle_year }
          - id: bluebird
            api_key: { file: secrets/bluebird.key }
            acceptance_criteria:
              rule_set: { rules: [ { lhv: lead.state, op: is not blank } ] }
              reason: Need a state
        acceptance_criteria:
          rule_set:
            op: and
            rules:
              - { lhv: lead.email, op: format is valid }
              - { lhv: lead.state, op: is not included in, rhv: { list: blocked-states } }
              - op: any
                rules:
                  - { lhv: lead.vehicle_year, op: is between, rhv: 2005-2026 }
                  - { lhv: lead.first_name, op: is included in, rhv: [Ann, Bob], case_sensitive: true }
          reason: Invalid email
        steps:
          - key: phone_check
            type: enhancement
            integration: phone.verify
            when: { op: or, rules: [ { lhv: lead.phone_1, op: is not blank } ] }
            inputs: { phone: "{{ lead.phone_1 }}", country: US }
            credentials: { api_key: { env: PHONE_KEY } }
            on_failure: stop
            timeout: 500ms
          - key: no_voip
            type: filter
            stop_if:
              op: or
              rules:
                - lhv: phone_check.line_type
                  op: is equal to
                  rhv: voip
                  rule_set: { rules: [ { lhv: lead.state, op: is equal to, rhv: "{{ lead.state }}" } ] }
            outcome: success
            reason: "VOIP phone {{ phone_check.line_type }}"
          - key: crm
            type: delivery
            integration: crm.post
            inputs: { url: "https://crm.example.com/leads", body: templates/auto-insurance-crm.json.sbn }
            credentials: { token: { env: CRM_TOKEN } }
            timeout: 2m
        """;

    private static FlowDefinition Load()
    {
        var result = Parse(Yaml);
        result.Diagnostics.ShouldBeEmpty();
        result.Succeeded.ShouldBeTrue();
        return result.Flow;
    }

    private static SourceLocation At(int line, int column) => new(FlowFile, line, column);

    [Fact]
    public void Flow_has_its_id_name_file_and_content_hash_version()
    {
        var flow = Load();

        flow.Id.ShouldBe("auto-insurance");
        flow.Name.ShouldBe("Auto insurance");
        flow.File.ShouldBe(FlowFile);
        flow.Version.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Yaml)))[..12]);
        flow.Location.ShouldBe(At(1, 1));
    }

    [Fact]
    public void Standard_fields_take_their_catalog_type_and_custom_fields_their_declared_type()
    {
        Load().Fields.ShouldBe(
        [
            new FieldDeclaration("first_name", "first_name", At(4, 5)),
            new FieldDeclaration("email", "email", At(5, 5)),
            new FieldDeclaration("phone_1", "phone", At(6, 5)),
            new FieldDeclaration("state", "state", At(7, 5)),
            new FieldDeclaration("vehicle_year", "number", At(8, 11)),
        ]);
    }

    [Fact]
    public void Sources_have_secrets_mappings_and_criteria()
    {
        var sources = Load().Sources;

        sources.Count.ShouldBe(2);
        sources[0].Id.ShouldBe("acme");
        sources[0].Name.ShouldBe("Acme Media");
        sources[0].ApiKey.ShouldBe(new SecretReference("ACME_API_KEY", null, At(12, 14)));
        sources[0].Mappings.ShouldBe(new Dictionary<string, string> { ["Phone"] = "phone_1", ["Year"] = "vehicle_year" });
        sources[0].AcceptanceCriteria.ShouldBeNull();
        sources[0].Location.ShouldBe(At(10, 5));

        sources[1].Name.ShouldBe("bluebird");
        sources[1].ApiKey.ShouldBe(new SecretReference(null, "secrets/bluebird.key", At(15, 14)));
        sources[1].AcceptanceCriteria!.Reason.ShouldBe("Need a state");
        sources[1].AcceptanceCriteria!.RuleSet.Rules.Count.ShouldBe(1);
    }

    [Fact]
    public void Acceptance_criteria_hold_nested_rule_sets_and_every_kind_of_rhv()
    {
        var criteria = Load().AcceptanceCriteria!;

        criteria.Reason.ShouldBe("Invalid email");
        criteria.RuleSet.Operator.ShouldBe(RuleSetOperator.And);
        var rules = criteria.RuleSet.Rules;
        rules.Count.ShouldBe(3);

        var email = rules[0].ShouldBeOfType<RuleDefinition>();
        email.Lhv.ShouldBe("lead.email");
        email.Operator.ShouldBe("format is valid");
        email.Rhv.ShouldBeNull();
        email.Location.ShouldBe(At(23, 9));
        email.LhvLocation.ShouldBe(At(23, 16));
        email.OperatorLocation.ShouldBe(At(23, 32));

        var state = rules[1].ShouldBeOfType<RuleDefinition>();
        state.Rhv.ShouldBe(RuleValue.ListFile("blocked-states", At(24, 57)));

        var nested = rules[2].ShouldBeOfType<RuleSetDefinition>();
        nested.Operator.ShouldBe(RuleSetOperator.Or);
        nested.Location.ShouldBe(At(25, 9));
        var year = nested.Rules[0].ShouldBeOfType<RuleDefinition>();
        year.Rhv.ShouldBe(RuleValue.Literal("2005-2026", At(27, 60)));
        var name = nested.Rules[1].ShouldBeOfType<RuleDefinition>();
        name.CaseSensitive.ShouldBeTrue();
        name.Rhv!.Kind.ShouldBe(RuleValueKind.List);
        name.Rhv.Items.ShouldBe(["Ann", "Bob"]);
    }

    [Fact]
    public void Integration_steps_have_inputs_credentials_on_failure_and_timeout()
    {
        var steps = Load().Steps;

        steps.Count.ShouldBe(3);
        var phone = steps[0].ShouldBeOfType<IntegrationStepDefinition>();
        phone.Key.ShouldBe("phone_check");
        phone.Kind.ShouldBe(IntegrationKind.Enhancement);
        phone.Integration.ShouldBe("phone.verify");
        phone.When!.Operator.ShouldBe(RuleSetOperator.Or);
        phone.Inputs.ShouldBe(new Dictionary<string, string> { ["phone"] = "{{ lead.phone_1 }}", ["country"] = "US" });
        phone.Credentials["api_key"].Env.ShouldBe("PHONE_KEY");
        phone.OnFailure.ShouldBe(OnFailure.Stop);
        phone.Timeout.ShouldBe(TimeSpan.FromMilliseconds(500));
        phone.Location.ShouldBe(At(31, 5));

        var crm = steps[2].ShouldBeOfType<IntegrationStepDefinition>();
        crm.Kind.ShouldBe(IntegrationKind.Delivery);
        crm.When.ShouldBeNull();
        crm.OnFailure.ShouldBe(OnFailure.Continue);
        crm.Timeout.ShouldBe(TimeSpan.FromMinutes(2));
        crm.Inputs["body"].ShouldBe("templates/auto-insurance-crm.json.sbn");
    }

    [Fact]
    public void Filter_step_has_its_rules_outcome_and_reason_template()
    {
        var filter = Load().Steps[1].ShouldBeOfType<FilterStepDefinition>();

        filter.Key.ShouldBe("no_voip");
        filter.Outcome.ShouldBe(Outcome.Success);
        filter.Reason.ShouldBe("VOIP phone {{ phone_check.line_type }}");
        var rule = filter.StopIf.Rules.ShouldHaveSingleItem().ShouldBeOfType<RuleDefinition>();
        rule.Rhv.ShouldBe(RuleValue.Literal("voip", At(46, 16)));
        var child = rule.RuleSet.ShouldNotBeNull().Rules.ShouldHaveSingleItem().ShouldBeOfType<RuleDefinition>();
        child.Rhv!.Kind.ShouldBe(RuleValueKind.Template);
        child.Rhv.Text.ShouldBe("{{ lead.state }}");
    }

    [Fact]
    public void Defaults_apply_when_optional_keys_are_left_out()
    {
        var result = Parse("""
            id: minimal
            sources: [ { id: web } ]
            steps:
              - key: no_email
                type: filter
                stop_if: { rules: [ { lhv: lead.email, op: is blank } ] }
            """);

        result.Succeeded.ShouldBeTrue();
        result.Flow.Name.ShouldBe("minimal");
        result.Flow.Sources.ShouldHaveSingleItem().Name.ShouldBe("web");
        result.Flow.AcceptanceCriteria.ShouldBeNull();
        var filter = result.Flow.Steps.ShouldHaveSingleItem().ShouldBeOfType<FilterStepDefinition>();
        filter.Outcome.ShouldBe(Outcome.Failure);
        filter.Reason.ShouldBeNull();
        filter.StopIf.Operator.ShouldBe(RuleSetOperator.And);
    }

    [Fact]
    public void Loading_a_file_hashes_its_bytes_and_finds_the_scripts_folder_from_its_path()
    {
        var path = Path.Combine(ScriptsRoot, "flows", "auto-insurance.yaml");
        var loader = new FlowLoader(new FlowLoaderOptions { ResolveIntegration = id => Integrations.FirstOrDefault(i => i.Id == id) });

        var result = loader.Load(path);

        result.Diagnostics.ShouldBeEmpty();
        result.Flow!.File.ShouldBe(path);
        result.Flow.Version.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))[..12]);
    }

    [Fact]
    public void Missing_file_is_reported_not_thrown()
    {
        var result = Loader().Load(Path.Combine(ScriptsRoot, "flows", "no-such-flow.yaml"));

        result.Succeeded.ShouldBeFalse();
        result.Diagnostics.ShouldHaveSingleItem().Code.ShouldBe(FlowDiagnosticCodes.FileUnreadable);
    }
}
