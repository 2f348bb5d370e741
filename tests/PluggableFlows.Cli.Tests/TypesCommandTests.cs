using System.Text.Json;
using PluggableFlows.Engine.Fields;

namespace PluggableFlows.Cli.Tests;

public class TypesCommandTests
{
    [Fact]
    public async Task Types_parse_prints_one_json_object_per_value()
    {
        var (exit, output, _) = await Pflow.InProcessAsync("", "types", "parse", "phone", "(512) 555-1212", "not a phone");

        exit.ShouldBe(0);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(2);
        lines[0].ShouldBe(FieldValueJson.ToJson(FieldTypeRegistry.Default.Parse("phone", "(512) 555-1212")));
        using var first = JsonDocument.Parse(lines[0]);
        first.RootElement.GetProperty("type").GetString().ShouldBe("phone");
        first.RootElement.GetProperty("raw").GetString().ShouldBe("(512) 555-1212");
        first.RootElement.GetProperty("normal").GetString().ShouldBe("5125551212");
        first.RootElement.GetProperty("valid").GetBoolean().ShouldBeTrue();
        first.RootElement.GetProperty("area").GetString().ShouldBe("512");
        using var second = JsonDocument.Parse(lines[1]);
        second.RootElement.GetProperty("valid").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task Types_parse_reads_one_value_per_line_from_stdin_when_none_are_given()
    {
        var (exit, output, _) = await Pflow.InProcessAsync("$1,000.50\n42\nabc\n", "types", "parse", "number");

        exit.ShouldBe(0);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(3);
        using var first = JsonDocument.Parse(lines[0]);
        first.RootElement.GetProperty("normal").GetDouble().ShouldBe(1000.5);
        using var third = JsonDocument.Parse(lines[2]);
        third.RootElement.GetProperty("valid").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task Types_parse_names_the_known_types_for_an_unknown_one()
    {
        var (exit, _, error) = await Pflow.InProcessAsync("", "types", "parse", "fone", "123");

        exit.ShouldBe(2);
        error.ShouldContain("Unknown field type 'fone'");
        error.ShouldContain("phone");
    }
}
