using PluggableFlows.Engine.Flows;
using PluggableFlows.Engine.Tests.Flows;
using PluggableFlows.Engine.Tests.Pipeline;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Tests.Templates;

/// <summary>Templates in flow files: where they are allowed, how their errors are reported, what reaches the integration.</summary>
public sealed class TemplateFlowTests : IDisposable
{
    private readonly PipelineHarness _harness = new();
    private readonly FakeIntegration _crm = new("crm.json", IntegrationKind.Delivery, _ => IntegrationResult.Success());
    private readonly string _scripts = Directory.CreateTempSubdirectory("pf-templates-").FullName;

    public TemplateFlowTests() => Directory.CreateDirectory(Path.Combine(_scripts, "templates"));

    public void Dispose() => Directory.Delete(_scripts, recursive: true);

    private static string Checked(string body) => Flow("      url: https://crm.example.com\n" + body, "crm.post");

    private static string Flow(string inputs, string integration = "crm.json") => $$"""
        id: templated
        name: Templated
        fields: [first_name, last_name, phone_1, state, comments]
        sources: [ { id: acme, name: Acme } ]
        steps:
          - key: crm
            type: delivery
            integration: {{integration}}
            inputs:
        {{inputs}}
        """;

    [Fact]
    public async Task Inline_multi_line_body_reaches_the_integration_rendered_and_escaped()
    {
        var flow = _harness.Compile(Flow("""
                  url: https://crm.example.com/{{ lead.state | string.downcase }}
                  body: |
                    {
                      "name": "{{ lead.first_name }} {{ lead.last_name }}",
                      "phone": {{ lead.phone_1 | phone_e164 | json }},
                      "note": "{{ lead.comments }}"
                    }
            """), _crm);

        var result = await _harness.Processor().ProcessAsync(flow,
            TestFlows.Lead("acme", ("first_name", "Ada"), ("last_name", "O\"Brien"), ("phone_1", "512-555-0123"), ("state", "TX"),
                ("comments", "line1\nline2 </x> & {{ x }}")));

        var step = result.Events.Single(e => e.StepKey == "crm");
        step.Outcome.ShouldBe(Outcome.Success, step.Reason);
        var inputs = _crm.Calls.ShouldHaveSingleItem().Values;
        inputs["url"].ShouldBe("https://crm.example.com/tx");
        var body = System.Text.Json.JsonDocument.Parse((string)inputs["body"]!).RootElement;
        body.GetProperty("name").GetString().ShouldBe("Ada O\"Brien");
        body.GetProperty("phone").GetString().ShouldBe("+15125550123");
        body.GetProperty("note").GetString().ShouldBe("line1\nline2 </x> & {{ x }}");
    }

    [Fact]
    public async Task Template_file_body_reaches_the_integration_rendered()
    {
        File.WriteAllText(Path.Combine(_scripts, "templates", "lead.json.sbn"), """{"first": "{{ lead.first_name }}", "upper": {{ lead.first_name | string.upcase | json }}}""");
        var flow = TestFlows.CompileIn(_scripts, Flow("      body: { template: lead.json.sbn }"), _crm);

        var result = await new PipelineHarnessWith(_crm).Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("first_name", "Ada")));

        result.Events.Single(e => e.StepKey == "crm").Reason.ShouldBeNull();
        _crm.Calls.ShouldHaveSingleItem().Values["body"].ShouldBe("""{"first": "Ada", "upper": "ADA"}""");
    }

    [Fact]
    public async Task Malformed_json_body_is_an_error_naming_the_position_and_nothing_is_sent()
    {
        var flow = _harness.Compile(Flow("""      body: "{\"state\": {{ lead.state }} }" """), _crm);

        var result = await _harness.Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("state", "TX")));

        var step = result.Events.Single(e => e.StepKey == "crm");
        step.Outcome.ShouldBe(Outcome.Error);
        step.Reason.ShouldNotBeNull().ShouldContain("malformed JSON at line 1, column 11");
        step.Reason.ShouldContain("nothing was sent");
        _crm.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task Render_error_is_the_steps_error_outcome()
    {
        var flow = _harness.Compile(Flow("""      body: "{{ lead.phone_1.aera | string.upcase }}" """), _crm);

        var result = await _harness.Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("phone_1", "5125550123")));

        var step = result.Events.Single(e => e.StepKey == "crm");
        step.Outcome.ShouldBe(Outcome.Error);
        step.Reason.ShouldNotBeNull().ShouldContain("no component 'aera'");
        _crm.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task Filter_reason_is_a_scriban_template()
    {
        var flow = _harness.Compile("""
            id: templated
            name: Templated
            fields: [state]
            sources: [ { id: acme, name: Acme } ]
            steps:
              - key: south_only
                type: filter
                stop_if: { op: and, rules: [ { lhv: lead.state, op: is not equal to, rhv: TX } ] }
                reason: "State {{ lead.state | string.downcase }} is not served"
            """);

        var result = await _harness.Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("state", "CA")));

        result.Reason.ShouldBe("State ca is not served");
    }

    [Fact]
    public void Syntax_error_in_a_block_scalar_points_into_the_flow_file()
    {
        var yaml = Checked("""
                  body: |
                    {
                      "a": "{{ if lead.state }}"
                    }
            """);

        var diagnostic = FlowTestKit.Loader(_scripts).Parse(yaml, "f.yaml").Diagnostics
            .ShouldHaveSingleItem();
        diagnostic.Code.ShouldBe(FlowDiagnosticCodes.TemplateSyntax);
        var line = yaml.Split('\n').ToList().FindIndex(l => l.Contains("\"a\"", StringComparison.Ordinal)) + 1;
        diagnostic.Location.Line.ShouldBe(line);
        diagnostic.Location.Column.ShouldBe(yaml.Split('\n')[line - 1].IndexOf("}}", StringComparison.Ordinal) + 3);
        diagnostic.Hint.ShouldNotBeNull();
    }

    [Fact]
    public void Syntax_error_in_a_template_file_points_into_the_file()
    {
        File.WriteAllText(Path.Combine(_scripts, "templates", "bad.json.sbn"), "{\n  \"a\": {{ for }}\n}");

        var diagnostic = FlowTestKit.Loader(_scripts).Parse(Checked("      body: { template: bad.json.sbn }"), "f.yaml").Diagnostics
            .ShouldHaveSingleItem();

        diagnostic.Code.ShouldBe(FlowDiagnosticCodes.TemplateSyntax);
        diagnostic.Location.File.ShouldEndWith(Path.Combine("templates", "bad.json.sbn"));
        (diagnostic.Location.Line, diagnostic.Location.Column).ShouldBe((2, 15));
    }

    [Fact]
    public void Template_file_outside_the_templates_folder_is_refused() =>
        FlowTestKit.Loader(_scripts).Parse(Checked("      body: { template: ../flows/secret.sbn }"), "f.yaml").Diagnostics
            .ShouldHaveSingleItem().Code.ShouldBe(FlowDiagnosticCodes.TemplateFileOutsideFolder);

    [Fact]
    public void Missing_template_file_is_reported() =>
        FlowTestKit.Loader(_scripts).Parse(Checked("      body: { template: nope.json.sbn }"), "f.yaml").Diagnostics
            .ShouldHaveSingleItem().Code.ShouldBe(FlowDiagnosticCodes.TemplateFileNotFound);

    /// <summary>A processor over integrations compiled elsewhere (a flow compiled from a scripts folder).</summary>
    private sealed class PipelineHarnessWith(params PluggableFlows.Sdk.IIntegration[] integrations)
    {
        public PluggableFlows.Engine.Pipeline.LeadProcessor Processor() =>
            new(PluggableFlows.Engine.Fields.FieldTypeRegistry.Default, new PluggableFlows.Engine.Plugins.IntegrationRegistry(integrations),
                new PluggableFlows.Engine.Pipeline.IntegrationInvoker(new SocketsHttpHandler(), TimeProvider.System), TimeProvider.System);
    }
}
