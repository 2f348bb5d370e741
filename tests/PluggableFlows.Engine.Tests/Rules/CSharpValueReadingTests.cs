using System.Globalization;
using PluggableFlows.Engine.Rules;
using PluggableFlows.Engine.Rules.CSharp.Runtime;
using static PluggableFlows.Engine.Tests.Rules.RuleKit;

namespace PluggableFlows.Engine.Tests.Rules;

/// <summary>
/// A C# rule's <see cref="Value"/> reads plain text, numbers and booleans straight from the value and everything else
/// through <see cref="Scalar"/>. For every value in <see cref="RuleKit"/>'s lead (fields, components, appended data)
/// and a few odd ones, <c>is_blank</c>, <c>number</c> and <c>boolean</c> must say what the <see cref="Scalar"/> reading
/// says.
/// </summary>
public class CSharpValueReadingTests
{
    public static TheoryData<string> Values()
    {
        var data = new TheoryData<string>();
        foreach (var name in Samples().Keys)
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void Reading_a_value_agrees_with_its_scalar(string name)
    {
        var value = Samples()[name];
        var scalar = Scalar.Of(value);
        var read = new Value(value);

        read.is_blank.ShouldBe(scalar.IsBlank);
        read.number.ShouldBe(scalar.Kind switch
        {
            ScalarKind.Number or ScalarKind.Range => scalar.Number,
            ScalarKind.Text when double.TryParse(scalar.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => (double?)null,
        });
        read.boolean.ShouldBe(scalar.Kind == ScalarKind.Boolean ? scalar.Boolean : scalar.Text?.Trim().ToUpperInvariant() switch
        {
            "TRUE" or "YES" or "Y" or "1" => true,
            "FALSE" or "NO" or "N" or "0" => false,
            _ => (bool?)null,
        });
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void Text_equality_agrees_with_the_trimmed_scalar_text(string name)
    {
        var value = Samples()[name];
        var scalar = Scalar.Of(value);
        var own = scalar.Text ?? scalar.TextSpan(stackalloc char[64]).ToString();
        string[] texts = [own, own.ToUpperInvariant(), $" {own}", $"{own}\t", $"  {own.ToLowerInvariant()}  ", own + "x", "x", "", " "];
        foreach (var text in texts)
        {
            var expected = scalar.IsBlank
                ? string.IsNullOrWhiteSpace(text)
                : string.Equals(own.Trim(), text.Trim(), StringComparison.OrdinalIgnoreCase);
            (new Value(value) == text).ShouldBe(expected, $"{name} == \"{text}\"");
            (new Value(value) != text).ShouldBe(!expected, $"{name} != \"{text}\"");
        }
    }

    private static Dictionary<string, object?> Samples()
    {
        var samples = new Dictionary<string, object?>
        {
            ["null"] = null, ["int"] = 3, ["long"] = 4L, ["double"] = 42.5, ["NaN"] = double.NaN, ["decimal"] = 10.5m,
            ["true"] = true, ["text"] = "mobile", ["numeric text"] = "15", ["blank text"] = "  ", ["yes"] = "Yes",
            ["padded text"] = " mobile ", ["tabbed text"] = "\tTX",
            ["list"] = new List<object?> { "a" }, ["empty list"] = new List<object?>(),
            ["blank number field"] = new PluggableFlows.Sdk.FieldValue("number", " ", "", null, false),
            ["NaN field"] = new PluggableFlows.Sdk.FieldValue("number", "x", "x", double.NaN, true),
        };
        foreach (var (id, field) in LeadFields())
        {
            samples["lead." + id] = field;
            foreach (var (component, part) in field.Components)
            {
                samples[$"lead.{id}.{component}"] = part;
            }
        }

        return samples;
    }
}
