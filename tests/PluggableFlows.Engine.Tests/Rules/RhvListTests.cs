using PluggableFlows.Engine.Rules;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Tests.Rules;

/// <summary>
/// A list of a few items is scanned; a longer one is looked up in hash sets. Both must find the same values: the same
/// items with ten more (that match nothing asked) must give every answer the short list gives.
/// </summary>
public class RhvListTests
{
    private static readonly string[] Items = ["512", "TX", "900", "2.5", "-0"];
    private static readonly string[] Padding = [.. Enumerable.Range(0, 10).Select(i => $"pad-{i}")];

    public static TheoryData<object?, bool, bool> Values() => new()
    {
        { "512", false, true }, { "0512", false, true }, { "512.0", false, true }, { " 512 ", false, true },
        { "tx", false, true }, { "tx", true, false }, { "TX", true, true }, { " TX ", true, true }, { "CA", false, false },
        { "", false, false }, { "  ", false, false }, { null, false, false }, { "2.50", false, true }, { "0", false, true },
        { 512.0, false, true }, { 513.0, false, false }, { 0.0, false, true }, { "999", false, false },
        { new FieldValue("number", "512", "512", 512.0, true), false, true },
        { new FieldValue("state", "Texas", "TX", "TX", true), false, true },
        { new FieldValue("string", "0512", "0512", "0512", true), false, false },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void Short_and_long_lists_find_the_same_values(object? value, bool caseSensitive, bool expected)
    {
        var comparer = caseSensitive ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;
        var small = new RhvList(Items, comparer, _ => null);
        var large = new RhvList([.. Items, .. Padding], comparer, _ => null);

        small.Contains(value).ShouldBe(expected);
        large.Contains(value).ShouldBe(expected);
        small.Contains(Scalar.Of(value)).ShouldBe(large.Contains(Scalar.Of(value)));
    }
}
