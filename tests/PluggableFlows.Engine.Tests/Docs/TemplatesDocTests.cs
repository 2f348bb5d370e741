using System.Text.RegularExpressions;
using PluggableFlows.Engine.Templates;
using PluggableFlows.Engine.Tests.Templates;

namespace PluggableFlows.Engine.Tests.Docs;

/// <summary>Every example in docs/templates.md renders exactly the output the doc prints under it.</summary>
public sealed partial class TemplatesDocTests
{
    public static TheoryData<int> Examples() => [.. Enumerable.Range(0, Pairs().Count)];

    [Fact]
    public void Doc_has_examples() => Pairs().Count.ShouldBeGreaterThanOrEqualTo(7);

    [Theory]
    [MemberData(nameof(Examples))]
    public void Templates_doc_example_renders_what_the_doc_shows(int index)
    {
        var (template, expected) = Pairs()[index];

        var rendered = TemplateLeads.Engine().Parse(template, TemplateFormat.Text, TemplateLeads.Steps).Render(TemplateLeads.Lead());

        rendered.ShouldBe(expected, template);
    }

    [Fact]
    public void Every_function_the_engine_adds_is_documented()
    {
        var doc = File.ReadAllText(PluggableFlows.Testing.RepoPaths.Combine("docs/templates.md"));
        foreach (var name in new[] { "json", "xml", "form", "url", "raw", "md5", "sha1", "sha256", "format_date", "format_number", "now",
                     "phone_e164", "phone_national", "phone_digits" })
        {
            doc.ShouldContain($"`{name}`", customMessage: name);
        }
    }

    private static List<(string Template, string Output)> Pairs() =>
        [.. Pair().Matches(File.ReadAllText(PluggableFlows.Testing.RepoPaths.Combine("docs/templates.md")))
            .Select(m => (m.Groups["template"].Value.TrimEnd('\n'), m.Groups["output"].Value.TrimEnd('\n')))];

    [GeneratedRegex("```scriban\\n(?<template>.*?)```\\n```text\\n(?<output>.*?)```", RegexOptions.Singleline)]
    private static partial Regex Pair();
}
