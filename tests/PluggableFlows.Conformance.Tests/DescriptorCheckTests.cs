using PluggableFlows.Sdk;
using PluggableFlows.TestPlugins;

namespace PluggableFlows.Conformance.Tests;

public class DescriptorCheckTests
{
    /// <summary>The conformant lookup with one thing changed in its descriptor.</summary>
    private sealed class Described(Func<IntegrationDescriptor, IntegrationDescriptor> change) : IRequestResponseIntegration
    {
        private readonly ConformantLookup _inner = new();

        public IntegrationDescriptor Descriptor => change(_inner.Descriptor);

        public string? Validate(IntegrationInput input) => _inner.Validate(input);

        public IntegrationRequest BuildRequest(IntegrationInput input) => _inner.BuildRequest(input);

        public IntegrationResult ParseResponse(IntegrationInput input, IntegrationRequest request, IntegrationResponse response) =>
            _inner.ParseResponse(input, request, response);
    }

    public static TheoryData<string, string, string> Defects => new()
    {
        { "id Phone_Lookup", ConformanceChecks.DescriptorComplete, "the id 'Phone_Lookup' is not dotted lower-case (like 'phone.verify')" },
        { "no name", ConformanceChecks.DescriptorComplete, "the display name is empty" },
        { "free add-on", ConformanceChecks.DescriptorComplete, "it is an add-on but costs 0 per transaction; add-ons are billed per call, so the cost must be above 0" },
        { "priced BYOC", ConformanceChecks.DescriptorComplete, "it is BYOC but costs 0.05 per transaction; the provider bills BYOC users directly, so the cost must be 0" },
        { "duplicate credential", ConformanceChecks.DescriptorComplete, "the credential 'api_key' is declared twice" },
        { "reserved response name", ConformanceChecks.DescriptorComplete, "the response variable 'outcome' collides with the step's own 'outcome'; rename it" },
        { "unknown type", ConformanceChecks.VariablesTyped, "the response variable 'carrier' has the unknown type 'text'" },
    };

    private static IntegrationDescriptor Change(string defect, IntegrationDescriptor d) => defect switch
    {
        "id Phone_Lookup" => d with { Id = "Phone_Lookup" },
        "no name" => d with { Name = " " },
        "free add-on" => d with { Class = IntegrationClass.AddOn, CostPerTransaction = 0 },
        "priced BYOC" => d with { CostPerTransaction = 0.05m },
        "duplicate credential" => d with { Credentials = [.. d.Credentials, new CredentialDescriptor("api_key")] },
        "reserved response name" => d with { ResponseVariables = [.. d.ResponseVariables, new VariableDescriptor("outcome", "string")] },
        "unknown type" => d with { ResponseVariables = [.. d.ResponseVariables.Where(v => v.Name != "carrier"), new VariableDescriptor("carrier", "text")] },
        _ => throw new ArgumentOutOfRangeException(nameof(defect)),
    };

    [Theory]
    [MemberData(nameof(Defects))]
    public async Task A_descriptor_defect_is_reported_by_name(string defect, string check, string message)
    {
        var report = await new ConformanceRunner().RunAsync(new Described(d => Change(defect, d)), PhoneLookupBase.SampleCalls);

        report[check].Status.ShouldBe(ConformanceStatus.Failed);
        report[check].Message.ShouldContain(message);
    }

    [Fact]
    public async Task A_descriptor_that_throws_is_reported_and_the_run_goes_on()
    {
        var report = await new ConformanceRunner().RunAsync(
            new Described(_ => throw new InvalidOperationException("no descriptor today")), PhoneLookupBase.SampleCalls);

        report.IntegrationId.ShouldBe(nameof(Described));
        report[ConformanceChecks.DescriptorComplete].Message.ShouldBe("Descriptor threw InvalidOperationException: no descriptor today");
        report[ConformanceChecks.NoExceptionEscapes].Message.ShouldStartWith("Descriptor threw InvalidOperationException when read");
        report.Checks.Count.ShouldBe(ConformanceChecks.All.Count);
    }
}
