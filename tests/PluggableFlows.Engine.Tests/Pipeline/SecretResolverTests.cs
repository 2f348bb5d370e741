using Microsoft.Extensions.Time.Testing;
using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Flows;
using PluggableFlows.Engine.Pipeline;
using Shouldly;
using Xunit;

namespace PluggableFlows.Engine.Tests.Pipeline;

public sealed class SecretResolverTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pflow-secrets-").FullName;
    private readonly FakeTimeProvider _time = new();

    private string FlowFile => Path.Combine(_folder, "flow.yaml");

    private SourceLocation Location => new(FlowFile, 1, 1);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_key_file_is_read_relative_to_the_flow_file_and_trimmed()
    {
        File.WriteAllText(Path.Combine(_folder, "acme.key"), "  key-one\n");
        var resolver = new EnvironmentSecretResolver(time: _time);

        resolver.Resolve(new SecretReference(null, "acme.key", Location), FlowFile).ShouldBe("key-one");
        resolver.Resolve(new SecretReference(null, "missing.key", Location), FlowFile).ShouldBeNull();
    }

    [Fact]
    public void A_rotated_key_file_takes_effect_once_the_refresh_interval_has_passed()
    {
        var key = Path.Combine(_folder, "acme.key");
        File.WriteAllText(key, "key-one");
        var resolver = new EnvironmentSecretResolver(TimeSpan.FromSeconds(1), _time);
        var reference = new SecretReference(null, "acme.key", Location);
        resolver.Resolve(reference, FlowFile).ShouldBe("key-one");

        File.WriteAllText(key, "key-two");
        _time.Advance(TimeSpan.FromMilliseconds(500));
        resolver.Resolve(reference, FlowFile).ShouldBe("key-one", "read again only once the value is a second old");

        _time.Advance(TimeSpan.FromMilliseconds(600));
        resolver.Resolve(reference, FlowFile).ShouldBe("key-two");
    }

    [Fact]
    public void A_key_file_created_after_a_miss_is_found_after_the_refresh_interval()
    {
        var resolver = new EnvironmentSecretResolver(TimeSpan.FromSeconds(1), _time);
        var reference = new SecretReference(null, "late.key", Location);
        resolver.Resolve(reference, FlowFile).ShouldBeNull();

        File.WriteAllText(Path.Combine(_folder, "late.key"), "late-key");
        _time.Advance(TimeSpan.FromSeconds(2));
        resolver.Resolve(reference, FlowFile).ShouldBe("late-key");
    }

    [Fact]
    public void A_zero_interval_reads_the_file_every_time()
    {
        var key = Path.Combine(_folder, "acme.key");
        File.WriteAllText(key, "key-one");
        var resolver = new EnvironmentSecretResolver(TimeSpan.Zero, _time);
        var reference = new SecretReference(null, "acme.key", Location);
        resolver.Resolve(reference, FlowFile).ShouldBe("key-one");

        File.WriteAllText(key, "key-two");
        resolver.Resolve(reference, FlowFile).ShouldBe("key-two");
    }
}
