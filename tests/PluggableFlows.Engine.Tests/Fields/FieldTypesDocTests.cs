using PluggableFlows.Engine.Fields;

namespace PluggableFlows.Engine.Tests.Fields;

/// <summary>
/// docs/field-types.md shows <c>pflow types parse</c> examples with their output; every one must be what the
/// engine prints today. Examples are computed on <see cref="FieldTypes.Now"/> (a dob's age depends on it).
/// </summary>
public class FieldTypesDocTests
{
    private const string Prompt = "$ pflow types parse ";

    public static TheoryData<int, string, string, string> Examples()
    {
        var data = new TheoryData<int, string, string, string>();
        var lines = File.ReadAllLines(PluggableFlows.Testing.RepoPaths.Combine("docs", "field-types.md"));
        var inConsole = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inConsole = !inConsole && line == "```console";
                continue;
            }

            if (inConsole && line.StartsWith(Prompt, StringComparison.Ordinal))
            {
                var command = line[Prompt.Length..];
                var space = command.IndexOf(' ', StringComparison.Ordinal);
                var argument = command[(space + 1)..];
                if (argument.Length >= 2 && argument[0] == '"' && argument[^1] == '"')
                {
                    argument = argument[1..^1];
                }

                data.Add(i + 1, command[..space], argument, i + 1 < lines.Length ? lines[i + 1] : "");
            }
        }

        return data;
    }

    [Fact]
    public void Doc_shows_examples_for_every_type()
    {
        var shown = new HashSet<string>();
        foreach (var example in Examples())
        {
            shown.Add((string)example[1]);
        }

        foreach (var name in FieldTypeRegistry.Default.Names)
        {
            if (name is not ("last_name" or "city"))
            {
                shown.ShouldContain(name, $"docs/field-types.md has no example for {name}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Doc_example_output_is_what_the_engine_prints(int line, string type, string argument, string printed)
    {
        var actual = FieldValueJson.ToJson(FieldTypes.Parse(type, argument));

        actual.ShouldBe(printed, $"docs/field-types.md line {line}");
    }

}
