using PluggableFlows.Sdk;
using PluggableFlows.TestPlugins;

namespace PluggableFlows.Conformance.Tests;

/// <summary>Each broken test plugin (tests/plugins/Broken.*) is reported by the check for its defect, and only by the
/// checks that defect really breaks.</summary>
public class BrokenPluginTests
{
    private static async Task<ConformanceReport> RunAsync(IIntegration integration)
    {
        var report = await new ConformanceRunner().RunAsync(integration);
        report.Passed.ShouldBeFalse();
        return report;
    }

    private static void ShouldFailExactly(ConformanceReport report, params string[] checks) =>
        report.Failures.Select(check => check.Name).ShouldBe(checks, ignoreOrder: true, report.ToString());

    [Fact]
    public async Task Throwing_on_5xx_is_reported_by_http_5xx_and_no_exception_escapes()
    {
        var report = await RunAsync(new ThrowsOn5xx());

        ShouldFailExactly(report, ConformanceChecks.Http5xx, ConformanceChecks.NoExceptionEscapes);
        report[ConformanceChecks.Http5xx].Message.ShouldStartWith("ParseResponse threw InvalidOperationException on a 500 response;");
        report[ConformanceChecks.NoExceptionEscapes].Message.ShouldContain("ParseResponse threw InvalidOperationException on a 500 response (Unexpected status 500)");
    }

    [Fact]
    public async Task Inventing_an_outcome_is_reported_by_outcomes_valid()
    {
        var report = await RunAsync(new InventsOutcome());

        ShouldFailExactly(report, ConformanceChecks.OutcomesValid, ConformanceChecks.SamplesMatch, ConformanceChecks.ProviderRejection,
            ConformanceChecks.Http4xx);
        report[ConformanceChecks.OutcomesValid].Message.ShouldStartWith(
            "ParseResponse returned the outcome 42 on the sample 'not a valid number'; only success, failure, error and skip are defined");
        report[ConformanceChecks.ProviderRejection].Message.ShouldStartWith("the sample 'not a valid number' gave error (test.broken.invents-outcome returned an unknown outcome (42).)");
    }

    [Fact]
    public async Task Appending_an_undeclared_field_is_reported_by_appended_fields_declared()
    {
        var report = await RunAsync(new UndeclaredField());

        ShouldFailExactly(report, ConformanceChecks.AppendedFieldsDeclared);
        report[ConformanceChecks.AppendedFieldsDeclared].Message.ShouldStartWith(
            "ParseResponse appended 'score' on the sample 'mobile number', which is not a declared response variable; declare it in ResponseVariables");
    }

    [Fact]
    public async Task A_response_variable_named_star_declares_fields_the_provider_names()
    {
        var report = await new ConformanceRunner().RunAsync(new AppendsProviderFields(), PhoneLookupBase.SampleCalls);

        report[ConformanceChecks.AppendedFieldsDeclared].Status.ShouldBe(ConformanceStatus.Passed, report.ToString());
    }

    [Fact]
    public async Task Leaking_a_credential_is_reported_by_secrets_masked()
    {
        var report = await RunAsync(new LeaksCredential());

        ShouldFailExactly(report, ConformanceChecks.SecretsMasked);
        report[ConformanceChecks.SecretsMasked].Message.ShouldStartWith(
            "the credential 'api_key' appears hex-encoded in the transcript (request header X-Key-Digest) on the sample 'mobile number'");
    }

    [Fact]
    public async Task Ignoring_cancellation_is_reported_by_cancellation_honoured_and_timeout()
    {
        var report = await RunAsync(new IgnoresCancellation());

        ShouldFailExactly(report, ConformanceChecks.CancellationHonoured, ConformanceChecks.Timeout);
        report[ConformanceChecks.CancellationHonoured].Message.ShouldBe(
            "HandleAsync was still running 2 s after the call was cancelled; pass the cancellation token to every await");
        report[ConformanceChecks.Timeout].Message.ShouldBe(
            "HandleAsync was still running 2.3 s after the call started (step timeout 300 ms); pass the cancellation token to every await");
    }

    [Fact]
    public async Task Sharing_mutable_static_state_is_reported_by_concurrent_calls_isolated()
    {
        var report = await RunAsync(new SharedState());

        ShouldFailExactly(report, ConformanceChecks.ConcurrentCallsIsolated);
        var message = report[ConformanceChecks.ConcurrentCallsIsolated].Message;
        message.ShouldContain("of 50 concurrent calls differ from the same call run alone, so calls share mutable state");
        message.ShouldMatch("with phone '51255512\\d\\d', alone: \"appended phone 51255512\\d\\d\", concurrently: \"appended phone 51255512\\d\\d\"");
    }

    /// <summary>The undeclared-field plugin, declaring with <c>*</c> that it appends fields the provider names.</summary>
    private sealed class AppendsProviderFields : IRequestResponseIntegration
    {
        private readonly UndeclaredField _inner = new();

        public IntegrationDescriptor Descriptor => _inner.Descriptor with
        {
            ResponseVariables = [.. _inner.Descriptor.ResponseVariables, new VariableDescriptor("*", "string")],
        };

        public string? Validate(IntegrationInput input) => _inner.Validate(input);

        public IntegrationRequest BuildRequest(IntegrationInput input) => _inner.BuildRequest(input);

        public IntegrationResult ParseResponse(IntegrationInput input, IntegrationRequest request, IntegrationResponse response) =>
            _inner.ParseResponse(input, request, response);
    }
}
