using PluggableFlows.Sdk;
using PluggableFlows.TestPlugins;

namespace PluggableFlows.Conformance.Tests;

/// <summary>The base class as a plugin's test project uses it: an empty class, every check a test.</summary>
public sealed class ConformantLookupConformance : IntegrationConformanceTests<ConformantLookup>;

/// <summary>The same for a handler integration.</summary>
public sealed class ConformantHandlerConformance : IntegrationConformanceTests<ConformantHandler>;

/// <summary>Samples supplied by the test class, for an integration that does not implement IConformanceSamples.</summary>
public sealed class SamplesFromTheTestClass : IntegrationConformanceTests<SamplesFromTheTestClass.WithoutSamples>
{
    protected override IReadOnlyList<ConformanceSample>? Samples => PhoneLookupBase.SampleCalls;

    public sealed class WithoutSamples : IRequestResponseIntegration
    {
        private readonly ConformantLookup _inner = new();

        public IntegrationDescriptor Descriptor => _inner.Descriptor with { Id = "test.without.samples" };

        public string? Validate(IntegrationInput input) => _inner.Validate(input);

        public IntegrationRequest BuildRequest(IntegrationInput input) => _inner.BuildRequest(input);

        public IntegrationResult ParseResponse(IntegrationInput input, IntegrationRequest request, IntegrationResponse response) =>
            _inner.ParseResponse(input, request, response);
    }
}

public class ConformantPluginTests
{
    public static TheoryData<string> Conformant => new() { nameof(ConformantLookup), nameof(ConformantHandler) };

    private static IIntegration Create(string name) => name switch
    {
        nameof(ConformantLookup) => new ConformantLookup(),
        _ => new ConformantHandler(),
    };

    [Theory]
    [MemberData(nameof(Conformant))]
    public async Task A_conformant_plugin_passes_every_check_and_every_check_applies(string plugin)
    {
        var report = await new ConformanceRunner().RunAsync(Create(plugin));

        report.Checks.Select(check => check.Name).ShouldBe(ConformanceChecks.All);
        report.Checks.Where(check => check.Status != ConformanceStatus.Passed).ShouldBeEmpty(report.ToString());
        report.Passed.ShouldBeTrue();
    }

    [Fact]
    public async Task The_report_reads_as_one_line_per_check()
    {
        var report = await new ConformanceRunner().RunAsync(new ConformantLookup());

        var text = report.ToString();
        text.ShouldStartWith("test.conformant.lookup\n");
        text.ShouldContain("  pass http-5xx: 500, 502, 503 and 504 gave error\n");
        text.ShouldEndWith("  conformant\n");
    }

    [Fact]
    public async Task Without_samples_the_sample_checks_say_what_to_add()
    {
        var report = await new ConformanceRunner().RunAsync(new SamplesFromTheTestClass.WithoutSamples());

        report[ConformanceChecks.SuccessSample].Status.ShouldBe(ConformanceStatus.Failed);
        report[ConformanceChecks.SuccessSample].Message.ShouldContain("no sample expects success; implement IConformanceSamples");
        report[ConformanceChecks.SamplesMatch].Status.ShouldBe(ConformanceStatus.NotApplicable);
        report[ConformanceChecks.Http5xx].Status.ShouldBe(ConformanceStatus.NotApplicable);
        report[ConformanceChecks.Http5xx].Message.ShouldContain("needs a sample that expects success");
        report[ConformanceChecks.DescriptorComplete].Status.ShouldBe(ConformanceStatus.Passed);
    }
}
