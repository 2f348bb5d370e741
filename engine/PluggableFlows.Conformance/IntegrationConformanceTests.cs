using System.Collections.Concurrent;
using PluggableFlows.Sdk;
using Xunit;

namespace PluggableFlows.Conformance;

#pragma warning disable CA1707 // Test names read as sentences, as in every test project.

/// <summary>
/// The conformance checks as xunit tests: derive an empty class from this one in a plugin's test project and every check
/// becomes a test.
/// <code>
/// public sealed class PhoneLookupConformance : IntegrationConformanceTests&lt;PhoneLookup&gt;;
/// </code>
/// A check that does not apply passes. The checks run once per test class and each test reads its own result.
/// </summary>
/// <typeparam name="TIntegration">The integration under test.</typeparam>
public abstract class IntegrationConformanceTests<TIntegration>
    where TIntegration : IIntegration, new()
{
    private static readonly ConcurrentDictionary<Type, Lazy<Task<ConformanceReport>>> Reports = new();

    /// <summary>Samples for an integration that does not implement <see cref="IConformanceSamples"/> (or to replace its
    /// own); null to use the integration's.</summary>
    protected virtual IReadOnlyList<ConformanceSample>? Samples => null;

    /// <summary>Timeouts, concurrency and clock for the run.</summary>
    protected virtual ConformanceOptions Options => new();

    /// <summary>Creates the integration under test.</summary>
    protected virtual TIntegration CreateIntegration() => new();

    /// <summary>The report of every check, run once for this test class.</summary>
    protected Task<ConformanceReport> ReportAsync() =>
        Reports.GetOrAdd(GetType(), _ => new Lazy<Task<ConformanceReport>>(
            () => new ConformanceRunner(Options).RunAsync(CreateIntegration(), Samples))).Value;

    /// <summary>Fails the test when the named check failed, with the check's message.</summary>
    protected async Task AssertCheckAsync(string check)
    {
        var result = (await ReportAsync())[check];
        if (result.Status == ConformanceStatus.Failed)
        {
            Assert.Fail($"{result.Name}: {result.Message}");
        }
    }

    /// <summary><see cref="ConformanceChecks.DescriptorComplete"/>.</summary>
    [Fact]
    public Task Descriptor_is_complete() => AssertCheckAsync(ConformanceChecks.DescriptorComplete);

    /// <summary><see cref="ConformanceChecks.VariablesTyped"/>.</summary>
    [Fact]
    public Task Variables_are_typed() => AssertCheckAsync(ConformanceChecks.VariablesTyped);

    /// <summary><see cref="ConformanceChecks.SamplesMatch"/>.</summary>
    [Fact]
    public Task Samples_give_their_expected_outcomes() => AssertCheckAsync(ConformanceChecks.SamplesMatch);

    /// <summary><see cref="ConformanceChecks.SuccessSample"/>.</summary>
    [Fact]
    public Task Success_sample_succeeds() => AssertCheckAsync(ConformanceChecks.SuccessSample);

    /// <summary><see cref="ConformanceChecks.ProviderRejection"/>.</summary>
    [Fact]
    public Task Provider_rejection_is_failure() => AssertCheckAsync(ConformanceChecks.ProviderRejection);

    /// <summary><see cref="ConformanceChecks.Http4xx"/>.</summary>
    [Fact]
    public Task Http_4xx_is_failure_or_error() => AssertCheckAsync(ConformanceChecks.Http4xx);

    /// <summary><see cref="ConformanceChecks.Http5xx"/>.</summary>
    [Fact]
    public Task Http_5xx_is_error() => AssertCheckAsync(ConformanceChecks.Http5xx);

    /// <summary><see cref="ConformanceChecks.Timeout"/>.</summary>
    [Fact]
    public Task Timeout_is_error() => AssertCheckAsync(ConformanceChecks.Timeout);

    /// <summary><see cref="ConformanceChecks.MalformedBody"/>.</summary>
    [Fact]
    public Task Malformed_body_is_error() => AssertCheckAsync(ConformanceChecks.MalformedBody);

    /// <summary><see cref="ConformanceChecks.MissingCredential"/>.</summary>
    [Fact]
    public Task Missing_credential_is_error_or_skip() => AssertCheckAsync(ConformanceChecks.MissingCredential);

    /// <summary><see cref="ConformanceChecks.OutcomesValid"/>.</summary>
    [Fact]
    public Task Outcomes_are_valid() => AssertCheckAsync(ConformanceChecks.OutcomesValid);

    /// <summary><see cref="ConformanceChecks.AppendedFieldsDeclared"/>.</summary>
    [Fact]
    public Task Appended_fields_are_declared() => AssertCheckAsync(ConformanceChecks.AppendedFieldsDeclared);

    /// <summary><see cref="ConformanceChecks.NoExceptionEscapes"/>.</summary>
    [Fact]
    public Task No_exception_escapes() => AssertCheckAsync(ConformanceChecks.NoExceptionEscapes);

    /// <summary><see cref="ConformanceChecks.CancellationHonoured"/>.</summary>
    [Fact]
    public Task Cancellation_is_honoured() => AssertCheckAsync(ConformanceChecks.CancellationHonoured);

    /// <summary><see cref="ConformanceChecks.ConcurrentCallsIsolated"/>.</summary>
    [Fact]
    public Task Concurrent_calls_are_isolated() => AssertCheckAsync(ConformanceChecks.ConcurrentCallsIsolated);

    /// <summary><see cref="ConformanceChecks.SecretsMasked"/>.</summary>
    [Fact]
    public Task Secrets_are_masked() => AssertCheckAsync(ConformanceChecks.SecretsMasked);
}
