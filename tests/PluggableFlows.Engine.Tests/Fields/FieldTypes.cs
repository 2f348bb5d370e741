using Microsoft.Extensions.Time.Testing;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Tests.Fields;

/// <summary>One registry for the field type tests, on a clock stopped at <see cref="Now"/> so ages are fixed.</summary>
internal static class FieldTypes
{
    /// <summary>2025-06-15 12:00 UTC.</summary>
    public static readonly DateTimeOffset Now = new(2025, 6, 15, 12, 0, 0, TimeSpan.Zero);

    public static readonly FieldTypeRegistry Registry = new(new FieldParsingOptions(), new FakeTimeProvider(Now));

    public static FieldValue Parse(string type, string raw) => Registry.Parse(type, raw);
}
