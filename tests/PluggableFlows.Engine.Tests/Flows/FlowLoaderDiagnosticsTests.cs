using PluggableFlows.Engine.Flows;
using static PluggableFlows.Engine.Tests.Flows.FlowTestKit;

namespace PluggableFlows.Engine.Tests.Flows;

/// <summary>Each problem a flow file can have: its code, exact place, message and hint.</summary>
public sealed class FlowLoaderDiagnosticsTests
{
    [Fact]
    public void Yaml_syntax_error_is_reported_where_the_scanner_stopped()
    {
        var diagnostic = SingleDiagnostic("""
            id: demo
            name: Demo: flow
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.YamlSyntax, 2, 11);
        diagnostic.Message.ShouldBe("The file is not valid YAML: while scanning a plain scalar value, found invalid mapping.");
        diagnostic.Hint.ShouldBe("Check indentation and quoting near here; quote values that contain ': ' or start with '{', '[', '*', '&' or '!'.");
    }

    [Fact]
    public void Unclosed_flow_list_is_a_yaml_syntax_error()
    {
        var diagnostic = SingleDiagnostic("""
            id: demo
            fields: [email, phone_1
            name: Demo
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.YamlSyntax, 3, 1);
        diagnostic.Message.ShouldBe("The file is not valid YAML: a '[' or '{' is not closed.");
        diagnostic.Hint.ShouldBe("Close the list with ']' or the mapping with '}'.");
    }

    [Fact]
    public void Key_written_twice_in_one_mapping_is_a_yaml_syntax_error()
    {
        var diagnostic = SingleDiagnostic("""
            id: demo
            name: One
            name: Two
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.YamlSyntax, 3, 1);
        diagnostic.Message.ShouldBe("The file is not valid YAML: duplicate key name.");
    }

    [Fact]
    public void Root_that_is_not_a_mapping_is_reported()
    {
        var diagnostic = SingleDiagnostic("""
            - id: demo
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.NotAFlow, 1, 1);
        diagnostic.Message.ShouldBe("A flow file must be a mapping of keys (id, name, fields, sources, steps, ...), but found a list.");
        diagnostic.Hint.ShouldBe("Start the file with the flow's id, e.g. id: auto-insurance.");
    }

    [Fact]
    public void Empty_file_is_reported()
    {
        var diagnostic = SingleDiagnostic("# nothing yet\n");

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.NotAFlow, 1, 1);
        diagnostic.Message.ShouldBe("The flow file is empty.");
    }

    [Fact]
    public void Unknown_key_is_reported_with_the_nearest_valid_key()
    {
        var diagnostic = SingleDiagnostic("""
            id: demo
            nmae: Demo
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.UnknownKey, 2, 1);
        diagnostic.Message.ShouldBe("Unknown key 'nmae' in the flow.");
        diagnostic.Hint.ShouldBe("Did you mean 'name'?");
    }

    [Fact]
    public void Misspelled_required_key_is_one_error_not_two()
    {
        var diagnostic = SingleDiagnostic("""
            id: demo
            steps:
              - key: phone_check
                type: enhancement
                integation: phone.verify
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.UnknownKey, 5, 5);
        diagnostic.Message.ShouldBe("Unknown key 'integation' in step 'phone_check'.");
        diagnostic.Hint.ShouldBe("Did you mean 'integration'?");
    }

    [Fact]
    public void Unknown_key_far_from_any_valid_key_lists_the_valid_keys()
    {
        var diagnostic = SingleDiagnostic("""
            id: demo
            sources:
              - id: acme
                password: { env: ACME }
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.UnknownKey, 4, 5);
        diagnostic.Message.ShouldBe("Unknown key 'password' in source 'acme'.");
        diagnostic.Hint.ShouldBe("Valid keys here: id, name, api_key, mappings, acceptance_criteria.");
    }

    [Theory]
    [InlineData("name: Demo\n", 1, 1, "Missing required key 'id' in the flow.",
        "Add the flow's id, e.g. id: auto-insurance; it appears in submit URLs.")]
    [InlineData("id: demo\nsources:\n  - name: Acme\n", 3, 5, "Missing required key 'id' in a source.",
        "Give the source an id, e.g. id: acme; it appears in the submit URL /flows/{flow}/sources/{source}/submit.")]
    [InlineData("id: demo\nsteps:\n  - type: enhancement\n    integration: email.verify\n    inputs: { email: x }\n", 3, 5,
        "Missing required key 'key' in a step.",
        "Give the step a key, e.g. key: phone_check; rules and templates read what it appends as phone_check.*.")]
    [InlineData("id: demo\nsteps:\n  - key: check\n    integration: email.verify\n", 3, 5, "Missing required key 'type' in step 'check'.",
        "Give the step a type: filter, enhancement or delivery.")]
    [InlineData("id: demo\nsteps:\n  - key: check\n    type: enhancement\n", 3, 5, "Missing required key 'integration' in step 'check'.",
        "Name the integration the step calls, e.g. integration: phone.verify.")]
    [InlineData("id: demo\nacceptance_criteria:\n  reason: No\n", 3, 3, "Missing required key 'rule_set' in acceptance criteria.",
        "Add the rules a lead must pass, e.g. rule_set: { op: and, rules: [ { lhv: lead.email, op: format is valid } ] }.")]
    [InlineData("id: demo\nacceptance_criteria:\n  rule_set:\n    rules:\n      - { lhv: lead.email }\n", 5, 9,
        "Missing required key 'op' in a rule.", "Name the operator, e.g. op: is equal to.")]
    public void Missing_required_key_is_reported_at_its_mapping(string yaml, int line, int column, string message, string hint)
    {
        var diagnostic = SingleDiagnostic(yaml);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.MissingKey, line, column);
        diagnostic.Message.ShouldBe(message);
        diagnostic.Hint.ShouldBe(hint);
    }

    [Theory]
    [InlineData("name: { first: Demo }", 2, 7, "'name' must be text, but found a mapping.",
        "Write a single value; quote it if it contains ': ' or starts with '{' or '['.")]
    [InlineData("fields: email", 2, 9, "'fields' must be a list of field ids or { id, type } mappings, but found 'email'.",
        "Write a list: one '- item' per line, or [a, b] on one line.")]
    [InlineData("steps:\n  - { key: check, type: enhancement, integration: email.verify, inputs: { email: x }, on_failure: maybe }", 3, 99,
        "'on_failure' must be one of continue, stop, but found 'maybe'.", null)]
    [InlineData("steps:\n  - { key: check, type: enhancement, integration: email.verify, inputs: { email: x }, on_failure: stpo }", 3, 99,
        "'on_failure' must be one of continue, stop, but found 'stpo'.", "Did you mean 'stop'?")]
    [InlineData("steps:\n  - { key: check, type: enhancement, integration: email.verify, inputs: { email: x }, timeout: soon }", 3, 96,
        "'timeout' must be a duration such as 500ms, 10s, 2m or 1h, but found 'soon'.",
        "Write a whole number above zero followed by ms (milliseconds), s (seconds), m (minutes) or h (hours).")]
    [InlineData("steps:\n  - { key: stop, type: filter, stop_if: { rules: [ { lhv: lead.email, op: is blank } ] }, outcome: great }", 3, 100,
        "'outcome' must be one of failure, success, but found 'great'.", null)]
    [InlineData("acceptance_criteria:\n  rule_set:\n    rules:\n      - { lhv: lead.email, op: is equal to, rhv: x, case_sensitive: perhaps }", 5, 69,
        "'case_sensitive' must be true or false, but found 'perhaps'.", null)]
    [InlineData("acceptance_criteria:\n  rule_set:\n    op: maybe\n    rules: []", 4, 9,
        "'op' must be one of and, or, all, any, but found 'maybe'.", null)]
    public void Value_of_the_wrong_type_names_what_was_expected(string body, int line, int column, string message, string? hint)
    {
        var diagnostic = SingleDiagnostic("id: demo\n" + body + "\n");

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.InvalidValue, line, column);
        diagnostic.Message.ShouldBe(message);
        diagnostic.Hint.ShouldBe(hint);
    }

    [Fact]
    public void Single_rule_where_a_rule_set_belongs_is_reported_with_how_to_wrap_it()
    {
        var diagnostic = SingleDiagnostic("""
            id: demo
            acceptance_criteria:
              rule_set: { lhv: lead.email, op: format is valid }
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.InvalidValue, 3, 13);
        diagnostic.Message.ShouldBe("'rule_set' must be a rule set, but found a single rule.");
        diagnostic.Hint.ShouldBe("Wrap the rule in a rule set: rule_set: { op: and, rules: [ { lhv: ..., op: ... } ] }.");
    }

    [Fact]
    public void Flow_id_with_spaces_and_capitals_is_invalid()
    {
        var diagnostic = SingleDiagnostic("""
            id: Auto Insurance
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.InvalidId, 1, 5);
        diagnostic.Message.ShouldBe("Flow id 'Auto Insurance' is not valid.");
        diagnostic.Hint.ShouldBe("Use lower-case letters, digits, '-' and '_', starting with a letter or digit, e.g. auto-insurance.");
    }

    [Fact]
    public void Step_key_with_a_dash_is_invalid()
    {
        var diagnostic = SingleDiagnostic("""
            id: demo
            steps:
              - key: phone-check
                type: filter
                stop_if: { rules: [ { lhv: lead.email, op: is blank } ] }
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.InvalidId, 3, 10);
        diagnostic.Message.ShouldBe("Step key 'phone-check' is not valid.");
        diagnostic.Hint.ShouldBe("Use lower-case letters, digits and '_', starting with a letter, e.g. phone_check.");
    }

    [Fact]
    public void Unknown_field_type_is_reported_with_the_nearest_type()
    {
        var diagnostic = SingleDiagnostic("""
            id: demo
            fields:
              - email
              - { id: vehicle_year, type: numbr }
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.UnknownFieldType, 4, 31);
        diagnostic.Message.ShouldBe("Unknown field type 'numbr' for field 'vehicle_year'.");
        diagnostic.Hint.ShouldBe("Did you mean 'number'?");
    }

    [Fact]
    public void Custom_field_without_a_type_is_reported()
    {
        var diagnostic = SingleDiagnostic("""
            id: demo
            fields: [email, frist_name]
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.UnknownFieldType, 2, 17);
        diagnostic.Message.ShouldBe("Field 'frist_name' is not a standard field, so it needs a type.");
        diagnostic.Hint.ShouldBe("Did you mean the standard field 'first_name'? Otherwise declare it with a type: { id: frist_name, type: string }.");
    }

    [Fact]
    public void Field_listed_twice_is_reported_with_the_first_location()
    {
        var diagnostic = SingleDiagnostic("""
            id: demo
            fields:
              - email
              - phone_1
              - { id: email, type: string }
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.DuplicateField, 5, 11);
        diagnostic.Message.ShouldBe("Field 'email' is listed twice.");
        diagnostic.Hint.ShouldBe("It is first listed at line 3, column 5; list each field once.");
    }

    [Fact]
    public void Duplicate_source_ids_are_reported_with_both_locations()
    {
        var diagnostic = SingleDiagnostic("""
            id: demo
            sources:
              - id: acme
              - id: acme
                name: Acme again
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.DuplicateSource, 4, 9);
        diagnostic.Message.ShouldBe("Source id 'acme' is used twice.");
        diagnostic.Hint.ShouldBe("The first 'acme' is at line 3, column 9; source ids must be unique in a flow.");
    }

    [Fact]
    public void Duplicate_step_keys_are_reported_with_both_locations()
    {
        var diagnostic = SingleDiagnostic("""
            id: demo
            steps:
              - key: check
                type: enhancement
                integration: email.verify
                inputs: { email: "{{ lead.email }}" }
              - key: check
                type: filter
                stop_if: { rules: [ { lhv: check.deliverable, op: is false } ] }
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.DuplicateStepKey, 7, 10);
        diagnostic.Message.ShouldBe("Step key 'check' is used twice.");
        diagnostic.Hint.ShouldBe("The first 'check' is at line 3, column 10; each step appends under its own key, so step keys must be unique.");
    }

    [Fact]
    public void Step_key_that_is_a_vars_root_is_reserved()
    {
        var diagnostic = SingleDiagnostic("""
            id: demo
            steps:
              - key: lead
                type: filter
                stop_if: { rules: [ { lhv: lead.email, op: is blank } ] }
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.ReservedStepKey, 3, 10);
        diagnostic.Message.ShouldBe("Step key 'lead' is reserved.");
        diagnostic.Hint.ShouldBe("Paths starting with lead, source, flow, submission, random mean the lead and its submission; name the step after what it does, e.g. lead_check.");
    }

    [Fact]
    public void Unknown_step_type_is_reported_with_the_nearest_type()
    {
        var diagnostic = SingleDiagnostic("""
            id: demo
            steps:
              - key: check
                type: enhancment
                integration: email.verify
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.UnknownStepType, 4, 11);
        diagnostic.Message.ShouldBe("Unknown step type 'enhancment'.");
        diagnostic.Hint.ShouldBe("Did you mean 'enhancement'?");
    }

    [Fact]
    public void Filter_without_stop_if_is_reported()
    {
        var diagnostic = SingleDiagnostic("""
            id: demo
            steps:
              - key: no_voip
                type: filter
                reason: VOIP
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.FilterWithoutRules, 3, 5);
        diagnostic.Message.ShouldBe("Filter step 'no_voip' has no stop_if rules, so it would never stop a lead.");
        diagnostic.Hint.ShouldBe("Add the rules that stop a lead, e.g. stop_if: { op: or, rules: [ { lhv: lead.email, op: format is invalid } ] }.");
    }

    [Fact]
    public void Filter_with_an_empty_stop_if_is_reported()
    {
        var diagnostic = SingleDiagnostic("""
            id: demo
            steps:
              - key: no_voip
                type: filter
                stop_if: { op: or, rules: [] }
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.FilterWithoutRules, 5, 14);
        diagnostic.Message.ShouldBe("Filter step 'no_voip' has no rules in stop_if, so it would never stop a lead.");
    }

    [Fact]
    public void Unknown_integration_is_reported_with_the_nearest_known_id()
    {
        var diagnostic = SingleDiagnostic("""
            id: demo
            steps:
              - key: check
                type: enhancement
                integration: phone.verfy
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.UnknownIntegration, 5, 18);
        diagnostic.Message.ShouldBe("Unknown integration 'phone.verfy'.");
        diagnostic.Hint.ShouldBe("Did you mean 'phone.verify'?");
    }

    [Fact]
    public void Enhancement_integration_in_a_delivery_step_is_reported()
    {
        var diagnostic = SingleDiagnostic("""
            id: demo
            steps:
              - key: check
                type: delivery
                integration: email.verify
                inputs: { email: "{{ lead.email }}" }
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.IntegrationKindMismatch, 5, 18);
        diagnostic.Message.ShouldBe("Integration 'email.verify' is an enhancement integration, but step 'check' is a delivery step.");
        diagnostic.Hint.ShouldBe("Use type: enhancement for this step, or choose a delivery integration.");
    }

    [Fact]
    public void Input_the_integration_does_not_read_is_reported_with_the_nearest_name()
    {
        var diagnostic = SingleDiagnostic("""
            id: demo
            steps:
              - key: phone_check
                type: enhancement
                integration: phone.verify
                inputs:
                  phone: "{{ lead.phone_1 }}"
                  contry: US
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.UnknownInput, 8, 7);
        diagnostic.Message.ShouldBe("Integration 'phone.verify' has no input 'contry'.");
        diagnostic.Hint.ShouldBe("Did you mean 'country'?");
    }

    [Fact]
    public void Required_input_that_is_not_mapped_is_reported_at_inputs()
    {
        var diagnostic = SingleDiagnostic("""
            id: demo
            steps:
              - key: phone_check
                type: enhancement
                integration: phone.verify
                inputs:
                  country: US
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.MissingRequiredInput, 6, 5);
        diagnostic.Message.ShouldBe("Step 'phone_check' does not map input 'phone', which integration 'phone.verify' requires.");
        diagnostic.Hint.ShouldBe("Add 'phone:' under the step's inputs, e.g. phone: \"{{ lead.phone }}\".");
    }

    [Fact]
    public void Credential_the_integration_does_not_declare_is_reported()
    {
        var diagnostic = SingleDiagnostic("""
            id: demo
            steps:
              - key: phone_check
                type: enhancement
                integration: phone.verify
                inputs: { phone: "{{ lead.phone_1 }}" }
                credentials:
                  apikey: { env: PHONE_KEY }
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.UnknownCredential, 8, 7);
        diagnostic.Message.ShouldBe("Integration 'phone.verify' has no credential 'apikey'.");
        diagnostic.Hint.ShouldBe("Did you mean 'api_key'?");
    }

    [Fact]
    public void Secret_written_inline_is_reported()
    {
        var diagnostic = SingleDiagnostic("""
            id: demo
            sources:
              - id: acme
                api_key: abc123
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.InlineSecret, 4, 14);
        diagnostic.Message.ShouldBe("'api_key' is written inline, but secrets never live in flow files; use { env: NAME } or { file: path }.");
        diagnostic.Hint.ShouldBe("Move the value to an environment variable and write api_key: { env: NAME }, or to a file and write api_key: { file: path }.");
    }

    [Fact]
    public void Inline_credential_on_a_step_is_reported()
    {
        var diagnostic = SingleDiagnostic("""
            id: demo
            steps:
              - key: crm
                type: delivery
                integration: crm.post
                inputs: { url: https://crm.example.com, body: "{}" }
                credentials: { token: s3cr3t }
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.InlineSecret, 7, 27);
        diagnostic.Message.ShouldBe("'token' is written inline, but secrets never live in flow files; use { env: NAME } or { file: path }.");
    }

    [Fact]
    public void Mapping_to_a_field_the_flow_does_not_know_is_reported()
    {
        var diagnostic = SingleDiagnostic("""
            id: demo
            fields: [email, phone_1]
            sources:
              - id: acme
                mappings: { Email: email, Phone: phone_one }
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.UnknownMappingTarget, 5, 38);
        diagnostic.Message.ShouldBe("Mapping 'Phone' targets field 'phone_one', which is neither declared in fields nor a standard field.");
        diagnostic.Hint.ShouldBe("Did you mean 'phone_1'?");
    }

    [Fact]
    public void List_file_that_does_not_exist_is_reported()
    {
        var diagnostic = SingleDiagnostic("""
            id: demo
            fields: [state]
            acceptance_criteria:
              rule_set:
                rules:
                  - { lhv: lead.state, op: is not included in, rhv: { list: blocked-stats } }
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.ListFileNotFound, 6, 65);
        diagnostic.Message.ShouldBe("List file 'lists/blocked-stats.txt' does not exist.");
        diagnostic.Hint.ShouldBe("Did you mean 'blocked-states'?");
    }

    [Fact]
    public void Template_file_that_does_not_exist_is_reported()
    {
        var diagnostic = SingleDiagnostic("""
            id: demo
            steps:
              - key: crm
                type: delivery
                integration: crm.post
                inputs:
                  url: https://crm.example.com/leads
                  body: templates/auto-insurance-crm.sbn
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.TemplateFileNotFound, 8, 13);
        diagnostic.Message.ShouldBe("Template file 'templates/auto-insurance-crm.sbn' does not exist.");
        diagnostic.Hint.ShouldBe("Did you mean 'templates/auto-insurance-crm.json.sbn'?");
    }

    [Fact]
    public void Placeholder_with_an_unknown_root_is_reported_where_it_is_written()
    {
        var diagnostic = SingleDiagnostic("""
            id: demo
            fields: [phone_1]
            steps:
              - key: phone_check
                type: enhancement
                integration: phone.verify
                inputs: { phone: "{{ lead.phone_1 }}" }
              - key: no_voip
                type: filter
                stop_if: { rules: [ { lhv: phone_check.line_type, op: is equal to, rhv: voip } ] }
                reason: "Rejected {{ phone_chek.line_type }} phone"
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.UnknownPlaceholderRoot, 11, 23);
        diagnostic.Message.ShouldBe("Placeholder '{{ phone_chek.line_type }}' starts with 'phone_chek', which is not lead, source, flow, submission, random or a step key of this flow.");
        diagnostic.Hint.ShouldBe("Did you mean 'phone_check'?");
    }

    [Fact]
    public void Placeholder_reading_an_unknown_lead_field_is_reported()
    {
        var diagnostic = SingleDiagnostic("""
            id: demo
            fields: [email]
            steps:
              - key: email_check
                type: enhancement
                integration: email.verify
                inputs:
                  email: "{{ lead.emial | string.downcase }}"
            """);

        diagnostic.ShouldBeAt(FlowDiagnosticCodes.UnknownPlaceholderField, 8, 15);
        diagnostic.Message.ShouldBe("Placeholder '{{ lead.emial }}' reads field 'emial', which is neither declared in fields nor a standard field.");
        diagnostic.Hint.ShouldBe("Did you mean 'email'?");
    }

    [Fact]
    public void Every_error_in_a_file_is_reported_not_just_the_first()
    {
        var result = Parse("""
            id: demo
            fields: [email, { id: vehicle_year, type: numbr }]
            sources:
              - id: acme
                api_key: abc123
            steps:
              - key: check
                type: enhancement
                integration: phone.verfy
              - key: check
                type: filter
                stop_if: { rules: [ { lhv: lead.email, op: is blank } ] }
                outcome: great
            """);

        result.Succeeded.ShouldBeFalse();
        result.Flow.ShouldBeNull();
        result.Diagnostics.Select(d => (d.Code, d.Location.Line)).ShouldBe(
        [
            (FlowDiagnosticCodes.UnknownFieldType, 2),
            (FlowDiagnosticCodes.InlineSecret, 5),
            (FlowDiagnosticCodes.UnknownIntegration, 9),
            (FlowDiagnosticCodes.DuplicateStepKey, 10),
            (FlowDiagnosticCodes.InvalidValue, 13),
        ]);
    }

    [Theory]
    [InlineData("id: demo\nsteps: [ [1] ]")]
    [InlineData("id: demo\nsteps: [ { key: [a], type: { x: 1 } } ]")]
    [InlineData("id: demo\nfields: [ { id: [x] }, { type: number }, ~ ]")]
    [InlineData("id: demo\nsources: [ { id: a, mappings: { [x]: y, z: [w] }, api_key: [k] } ]")]
    [InlineData("id: demo\nacceptance_criteria: { rule_set: { rules: [ x, [y], { lhv: [a], op: { b: c } } ] } }")]
    [InlineData("id: demo\nacceptance_criteria: { rule_set: { rules: [ { lhv: a, op: b, rhv: { list: ../etc/passwd } } ] } }")]
    [InlineData("id: demo\nacceptance_criteria: { rule_set: { rules: [ { lhv: a, op: b, rhv: [ [x] ] } ] } }")]
    [InlineData("id: demo\nsteps: [ { key: a, type: delivery, integration: crm.post, inputs: [x], credentials: [y], when: [z] } ]")]
    [InlineData("? [complex, key]\n: value\nid: demo")]
    [InlineData("id: demo\n---\nid: other")]
    [InlineData("just text")]
    [InlineData("id: demo\nsources: [ { id: acme, api_key: { env: A, file: b } } ]")]
    public void Odd_shapes_are_reported_never_thrown(string yaml)
    {
        var result = Parse(yaml);

        result.Succeeded.ShouldBeFalse();
        result.Diagnostics.ShouldNotBeEmpty();
        result.Diagnostics.ShouldAllBe(d => d.Location.Line >= 1 && d.Location.Column >= 1);
    }
}
