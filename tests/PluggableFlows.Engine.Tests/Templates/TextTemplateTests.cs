using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Templates;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Tests.Templates;

public class TextTemplateTests
{
    private static readonly LeadVars Vars = new("L1",
        new Dictionary<string, FieldValue>
        {
            ["state"] = FieldTypeRegistry.Default.Parse("state", "texas"),
            ["vehicle_year"] = FieldTypeRegistry.Default.Parse("number", "2,018"),
        },
        new SourceVars("acme", "Acme Media"), new FlowVars("f", "Flow", "v1"), new SubmissionVars("S1", DateTimeOffset.UnixEpoch, null), 7);

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("{{ lead.state }}", "TX")]
    [InlineData("State {{lead.state}} from {{ source.name }}", "State TX from Acme Media")]
    [InlineData("Year {{ lead.vehicle_year }}", "Year 2018")]
    [InlineData("Missing [{{ lead.nothing }}]", "Missing []")]
    [InlineData("Unclosed {{ lead.state", "Unclosed {{ lead.state")]
    [InlineData("{{ random }}%", "7%")]
    [InlineData("", "")]
    public void Renders_placeholders_with_normal_values(string template, string expected) =>
        TextTemplate.Parse(template).Render(Vars).ShouldBe(expected);

    [Fact]
    public void A_lone_placeholder_renders_to_the_typed_value()
    {
        TextTemplate.Parse("{{ lead.state }}").RenderValue(Vars).ShouldBeSameAs(Vars.Fields["state"]);
        TextTemplate.Parse(" {{ lead.state }}").RenderValue(Vars).ShouldBe(" TX");
    }

    [Fact]
    public void Lists_the_paths_it_reads()
    {
        var template = TextTemplate.Parse("{{ lead.state }} {{ crm.reason }}");

        template.Paths.Select(p => p.Text).ShouldBe(["lead.state", "crm.reason"]);
        template.IsConstant.ShouldBeFalse();
        TextTemplate.Parse("constant").IsConstant.ShouldBeTrue();
    }
}
