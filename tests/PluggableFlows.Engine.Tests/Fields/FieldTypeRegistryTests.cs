using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PluggableFlows.Engine.Fields;

namespace PluggableFlows.Engine.Tests.Fields;

public class FieldTypeRegistryTests
{
    private static readonly string[] ArchitectureTypes =
    [
        "string", "first_name", "last_name", "city", "number", "boolean", "range", "date", "dob", "time", "phone",
        "email", "postal_code", "state", "street", "gender", "ssn", "credential", "ip", "url", "trustedform_url",
    ];

    [Fact]
    public void Registry_has_every_type_of_the_architecture()
    {
        FieldTypeRegistry.Default.Names.ShouldBe(ArchitectureTypes, ignoreOrder: true);
        FieldTypeRegistry.Default.All.Count.ShouldBe(ArchitectureTypes.Length);
    }

    [Theory]
    [InlineData("phone")]
    [InlineData("PHONE")]
    [InlineData("Postal_Code")]
    [InlineData(" email ")]
    public void Registry_finds_types_ignoring_case(string name)
    {
        FieldTypeRegistry.Default.TryGet(name, out var type).ShouldBeTrue();
        type.Name.ShouldBe(name.Trim().ToLowerInvariant());
    }

    [Fact]
    public void Registry_get_names_the_known_types_when_the_type_is_unknown()
    {
        var error = Should.Throw<KeyNotFoundException>(() => FieldTypeRegistry.Default.Get("phon"));

        error.Message.ShouldContain("'phon'");
        error.Message.ShouldContain("phone");
        error.Message.ShouldContain("postal_code");
        FieldTypeRegistry.Default.TryGet("phon", out _).ShouldBeFalse();
    }

    [Fact]
    public void Registry_parse_uses_the_named_type()
    {
        var value = FieldTypeRegistry.Default.Parse("Boolean", "yes");

        value.Type.ShouldBe("boolean");
        value.Value.ShouldBe(true);
    }

    [Fact]
    public void Alias_types_keep_their_own_name()
    {
        foreach (var alias in new[] { "first_name", "last_name", "city" })
        {
            FieldTypeRegistry.Default.Parse(alias, "x").Type.ShouldBe(alias);
        }
    }

    [Fact]
    public void Every_type_lists_the_components_it_fills_in()
    {
        var samples = new Dictionary<string, string>
        {
            ["range"] = "1-10", ["dob"] = "1/2/1980", ["phone"] = "512-789-1111 x2 h", ["email"] = "a@gmail.com",
            ["state"] = "tx", ["street"] = "1 Main St", ["gender"] = "m", ["ssn"] = "123-45-6789", ["ip"] = "1.2.3.4",
            ["url"] = "example.com/?q=1", ["trustedform_url"] = "https://cert.trustedform.com/" + new string('a', 40),
        };
        foreach (var type in FieldTypeRegistry.Default.All)
        {
            if (samples.TryGetValue(type.Name, out var sample))
            {
                type.Parse(sample).Components.Keys.ShouldBe(type.Components, type.Name);
            }
            else if (type.Name != "postal_code")
            {
                type.Components.ShouldBeEmpty(type.Name);
            }
        }
    }

    [Fact]
    public void AddFieldTypes_registers_a_singleton_registry_built_from_options_and_the_clock()
    {
        var services = new ServiceCollection();
        services.AddFieldTypes(options => options.DefaultPhoneRegion = "GB");
        var descriptor = services.Single(d => d.ServiceType == typeof(FieldTypeRegistry));
        var clock = new FakeTimeProvider(new DateTimeOffset(2000, 1, 2, 0, 0, 0, TimeSpan.Zero));
        var options = new FieldParsingOptions();
        foreach (var configure in services.Select(d => d.ImplementationInstance).OfType<IConfigureOptions<FieldParsingOptions>>())
        {
            configure.Configure(options);
        }

        var registry = (FieldTypeRegistry)descriptor.ImplementationFactory!(new StubServices(Options.Create(options), clock));

        descriptor.Lifetime.ShouldBe(ServiceLifetime.Singleton);
        registry.Parse("phone", "020 7946 0958").Valid.ShouldBeTrue();
        registry.Parse("dob", "1/2/1990")["age"].ShouldBe(10);
    }

    private sealed class StubServices(IOptions<FieldParsingOptions> options, TimeProvider time) : IServiceProvider
    {
        public object? GetService(Type serviceType) =>
            serviceType == typeof(IOptions<FieldParsingOptions>) ? options
            : serviceType == typeof(TimeProvider) ? time
            : null;
    }
}
