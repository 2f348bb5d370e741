using System.Text.RegularExpressions;
using PluggableFlows.Engine.Tests.Pipeline;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Tests.Docs;

/// <summary>docs/flows.md's conditional-inputs example runs and delivers what the text after it says.</summary>
public sealed partial class ConditionalInputsDocTests
{
    private readonly PipelineHarness _harness = new();
    private readonly FakeIntegration _warehouse = new("file.jsonl", IntegrationKind.Delivery, _ => IntegrationResult.Success());

    [Theory]
    [InlineData("TX", "5125551213", "5125551213", "south")]
    [InlineData("CA", "", "5125551212", "west")]
    [InlineData("NY", "", "5125551212", null)]
    public async Task Conditional_inputs_example_delivers_what_the_doc_says(string state, string phone2, string phone, string? region)
    {
        var yaml = YamlBlock().Matches(File.ReadAllText(PluggableFlows.Testing.RepoPaths.Combine("docs/flows.md")))
            .Select(m => m.Groups[1].Value)
            .Single(block => block.Contains("id: conditional-inputs-example", StringComparison.Ordinal));
        var flow = _harness.Compile(yaml, _warehouse);
        (string, string)[] fields = phone2.Length > 0
            ? [("state", state), ("phone_1", "5125551212"), ("phone_2", phone2)]
            : [("state", state), ("phone_1", "5125551212")];

        var result = await _harness.Processor().ProcessAsync(flow, TestFlows.Lead("acme", fields));

        result.Outcome.ShouldBe(Outcome.Success);
        var inputs = _warehouse.Calls.ShouldHaveSingleItem().Values;
        inputs["phone"].ShouldBeOfType<FieldValue>().Normal.ShouldBe(phone);
        if (region is null)
        {
            inputs.ShouldNotContainKey("region");
        }
        else
        {
            inputs["region"].ShouldBe(region);
        }
    }

    [GeneratedRegex("```yaml\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
