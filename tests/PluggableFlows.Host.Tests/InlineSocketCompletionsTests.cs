namespace PluggableFlows.Host.Tests;

/// <summary>The host turns inline socket completions on unless the operator chose; the host-process tests
/// (<see cref="SampleCrmFlowTests"/>, <see cref="CrashTests"/>) run the real server with them on.</summary>
[Collection(nameof(InlineSocketCompletionsTests))] // The cases change this process's environment: one at a time.
public sealed class InlineSocketCompletionsTests : IDisposable
{
    private readonly string? _before = Environment.GetEnvironmentVariable(InlineSocketCompletions.Variable);

    // This process's sockets are long started, so what the cases set changes nothing but the variable itself.
    public void Dispose() => Environment.SetEnvironmentVariable(InlineSocketCompletions.Variable, _before);

    [Fact]
    public void Unset_it_is_turned_on()
    {
        Environment.SetEnvironmentVariable(InlineSocketCompletions.Variable, null);

        InlineSocketCompletions.PreferByDefault().ShouldBeTrue();

        Environment.GetEnvironmentVariable(InlineSocketCompletions.Variable).ShouldBe("1");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    public void The_operator_s_setting_is_kept(string value)
    {
        Environment.SetEnvironmentVariable(InlineSocketCompletions.Variable, value);

        InlineSocketCompletions.PreferByDefault().ShouldBeFalse();

        Environment.GetEnvironmentVariable(InlineSocketCompletions.Variable).ShouldBe(value);
    }
}
