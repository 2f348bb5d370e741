using PluggableFlows.Engine.Fields;

namespace PluggableFlows.Engine.Tests.Fields;

/// <summary>Every type takes any text without throwing, keeps it as <c>raw</c> and says whether it is valid.</summary>
public class FieldTypeEdgeCaseTests
{
    // Types that accept anything at all; every other type rejects all of the hostile inputs below.
    private static readonly HashSet<string> AcceptsAnything = ["string", "first_name", "last_name", "city", "credential"];

    public static TheoryData<string, string, string> HostileInputs()
    {
        var inputs = new (string Name, string Text)[]
        {
            ("empty", ""),
            ("white space", " \t \n "),
            ("emoji", "😀🎉"),
            ("accented letters", "ÑandúÇağrıéèê"),
            ("10 KB", new string('9', 10 * 1024)),
            ("10 KB of letters", new string('a', 10 * 1024)),
            ("nul", "\0"),
            ("bell", "\u0007"),
            ("crlf", "\r\n"),
            ("control characters around text", "\0abc\u0007\r\n"),
            ("lone high surrogate", "\ud800"),
            ("lone low surrogate in text", "ab\udc00cd"),
        };
        var data = new TheoryData<string, string, string>();
        foreach (var type in FieldTypeRegistry.Default.Names)
        {
            foreach (var (name, text) in inputs)
            {
                data.Add(type, name, text);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(HostileInputs))]
    public void Every_type_parses_hostile_input_without_throwing(string type, string inputName, string raw)
    {
        var value = FieldTypes.Parse(type, raw);

        value.Type.ShouldBe(type);
        value.Raw.ShouldBe(raw);
        value.Valid.ShouldBe(AcceptsAnything.Contains(type), inputName);
        if (!value.Valid)
        {
            value.Value.ShouldBeNull();
            value.Normal.ShouldBe(raw.Trim());
        }

        FieldValueJson.ToJson(value).ShouldStartWith("{\"type\":\"" + type + "\"");
    }

    [Theory]
    [InlineData("phone", "512-789-1111\0", true)]
    [InlineData("email", "\u00a0john@example.com\u00a0", true)]
    [InlineData("postal_code", "78704\r\n", true)]
    [InlineData("state", "tx\u0007", false)]
    [InlineData("number", "12\0", false)]
    [InlineData("first_name", "Zoë 😀", true)]
    [InlineData("email", "😀@example.com", false)]
    public void Control_and_unicode_characters_inside_values_are_handled(string type, string raw, bool valid)
    {
        var value = FieldTypes.Parse(type, raw);

        value.Valid.ShouldBe(valid);
        value.Raw.ShouldBe(raw);
    }

    [Fact]
    public void Blank_values_have_no_typed_value()
    {
        foreach (var type in FieldTypeRegistry.Default.All)
        {
            var value = type.Parse("   ");

            value.IsBlank.ShouldBeTrue(type.Name);
            value.Value.ShouldBeNull(type.Name);
        }
    }
}
