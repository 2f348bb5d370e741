using PluggableFlows.Engine.Templates;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Tests.Templates;

public class FlowTemplateTests
{
    private static readonly TemplateEngine Engine = TemplateLeads.Engine();

    private static string Render(string text, TemplateFormat format = TemplateFormat.Text) =>
        Engine.Parse(text, format, TemplateLeads.Steps).Render(TemplateLeads.Lead());

    private static TemplateRenderException Fails(string text, TemplateEngine? engine = null) =>
        Should.Throw<TemplateRenderException>(() => (engine ?? Engine).Parse(text, TemplateFormat.Text, TemplateLeads.Steps).Render(TemplateLeads.Lead()));

    [Theory]
    [InlineData("Hello {{ lead.first_name }}", "Hello Ada")]
    [InlineData("{{ lead.first_name | string.upcase }}", "ADA")]
    [InlineData("{{ if lead.state == 'TX' }}south{{ else }}other{{ end }}", "south")]
    [InlineData("{{ for c in lead.comments.normal | string.split ',' }}[{{ c | string.strip }}]{{ end }}", "[red][green][blue]")]
    [InlineData("{{ phone_check.line_type }}/{{ phone_check.outcome }}", "mobile/success")]
    [InlineData("{{ crm.outcome }}", "")]
    [InlineData("{{ lead.phone_1.area }}", "512")]
    [InlineData("{{ x = 2 }}{{ x * 21 }}", "42")]
    public void Renders_scriban(string template, string expected) => Render(template).ShouldBe(expected);

    [Fact]
    public void Plain_placeholders_render_by_substitution_and_keep_the_typed_value()
    {
        var template = Engine.Parse("{{ lead.phone_1 }}", TemplateFormat.Text, TemplateLeads.Steps);
        template.IsSubstitution.ShouldBeTrue();
        template.RenderValue(TemplateLeads.Lead()).ShouldBeOfType<FieldValue>().Normal.ShouldBe("5125550123");
    }

    [Theory]
    [InlineData("{{ lead.email | md5 'salt' }}")]
    [InlineData("{\"p\": {{ lead.phone_1 | phone_e164 | json }}, \"c\": \"{{ lead.comments }}\"}")]
    [InlineData("{\"d\": {{ lead.dob | format_date 'MM/dd/yyyy' | json }}}")]
    public void Piped_engine_functions_render_by_substitution_exactly_as_scriban_would(string template)
    {
        var fast = Engine.Parse(template, TemplateFormat.Json, TemplateLeads.Steps);
        // Parentheses around the path make the same template something only Scriban renders.
        var scriban = Engine.Parse(System.Text.RegularExpressions.Regex.Replace(template, @"\{\{ (lead\.[\w.]+)", "{{ ($1)"),
            TemplateFormat.Json, TemplateLeads.Steps);

        fast.IsSubstitution.ShouldBeTrue();
        scriban.IsSubstitution.ShouldBeFalse(scriban.Text);
        var lead = TemplateLeads.Lead(("comments", "string", "say \"hi\"\n"));
        fast.Render(lead).ShouldBe(scriban.Render(lead));
    }

    [Fact]
    public void Scribans_function_library_is_made_at_the_first_template_that_needs_it_not_when_templates_load()
    {
        // Made by reflection over every Scriban built-in, the library is a large part of a flow's cold start; a flow whose
        // templates are all substitutions never needs it.
        var engine = TemplateLeads.Engine();
        var substitution = engine.Parse("{{ lead.phone_1 | phone_e164 }}, {{ lead.first_name }}", TemplateFormat.Text, TemplateLeads.Steps);
        var code = engine.Parse("{{ lead.first_name | string.upcase }} {{ lead.phone_1 | phone_digits }}", TemplateFormat.Text,
            TemplateLeads.Steps);

        substitution.Render(TemplateLeads.Lead()).ShouldBe("+15125550123, Ada");
        engine.Pool.LibraryMade.ShouldBeFalse();

        code.Render(TemplateLeads.Lead()).ShouldBe("ADA 5125550123");
        engine.Pool.LibraryMade.ShouldBeTrue();
    }

    [Fact]
    public void Code_is_rendered_by_scriban() =>
        Engine.Parse("{{ lead.state | string.downcase }}").IsSubstitution.ShouldBeFalse();

    [Theory]
    [InlineData("{{ if lead.state }}x", 1, 20)]
    [InlineData("line one\n{{ for }}", 2, 8)]
    [InlineData("a {{ 1 + }}", 1, 10)]
    public void Syntax_errors_have_line_and_column(string template, int line, int column)
    {
        var errors = FlowTemplate.CheckSyntax(template);
        errors.ShouldNotBeEmpty();
        var error = errors[0];
        (error.Line, error.Column).ShouldBe((line, column), error.Message);
    }

    [Fact]
    public void Unknown_variable_is_an_error() =>
        Fails("{{ leed.first_name }}").Message.ShouldContain("leed");

    [Fact]
    public void Unknown_component_is_an_error() =>
        Fails("{{ lead.phone_1.aera | string.upcase }}").Message.ShouldContain("no component 'aera'");

    [Fact]
    public void Unknown_component_is_an_error_on_the_substitution_path_too() =>
        Should.Throw<TemplateRenderException>(() => Engine.Parse("{{ lead.phone_1.aera }}", TemplateFormat.Text, TemplateLeads.Steps)
            .Render(TemplateLeads.Lead())).Message.ShouldContain("aera");

    [Fact]
    public void Unknown_member_of_a_fixed_root_is_an_error() =>
        Fails("{{ source.nmae | string.upcase }}").Message.ShouldContain("no member 'nmae'");

    [Fact]
    public void Net_members_are_not_reachable() =>
        Render("[{{ submission.timestamp.ticks }}]").ShouldBe("[]");

    [Theory]
    [InlineData("{{ include 'x' }}")]
    [InlineData("{{ object.eval '1' }}")]
    [InlineData("{{ math.random 1 10 }}")]
    public void Escapes_from_the_lead_are_not_available(string template) => Fails(template);

    [Fact]
    public void Loop_limit_stops_a_long_loop() =>
        Fails("{{ for i in 1..100 }}{{ end }}", TemplateLeads.Engine(new TemplateOptions { LoopLimit = 10 })).Message.ShouldContain("loop");

    [Fact]
    public void Recursion_limit_stops_deep_recursion() =>
        Fails("{{ func f(n); ret f(n + 1); end; f(0) }}", TemplateLeads.Engine(new TemplateOptions { RecursionLimit = 5 }));

    [Fact]
    public void Output_limit_stops_a_large_body() =>
        Fails("{{ for i in 1..50 }}0123456789{{ end }}", TemplateLeads.Engine(new TemplateOptions { OutputLimit = 100 }));

    [Fact]
    public void Time_limit_stops_a_slow_template() =>
        Fails("{{ for i in 1..1000000; for j in 1..1000000; x = i; end; end }}",
            TemplateLeads.Engine(new TemplateOptions { Timeout = TimeSpan.FromMilliseconds(50), LoopLimit = int.MaxValue }))
            .Message.ShouldContain("time limit");

    [Fact]
    public void Regex_helpers_have_a_timeout() =>
        Fails("{{ '" + new string('a', 5000) + "!' | regex.replace '^(a+)+$' 'x' }}",
            TemplateLeads.Engine(new TemplateOptions { RegexTimeout = TimeSpan.FromMilliseconds(10) }));

    [Theory]
    [InlineData("{{ lead.first_name | json }}", "\"Ada\"")]
    [InlineData("{{ lead.price | json }}", "1234.5")]
    [InlineData("{{ 'a<b & \"c\"' | xml }}", "a&lt;b &amp; &quot;c&quot;")]
    [InlineData("{{ 'a b&c=d' | form }}", "a+b%26c%3Dd")]
    [InlineData("{{ 'a b/c' | url }}", "a%20b%2Fc")]
    [InlineData("{{ lead.email | md5 }}", "3e3417d7ef77d5932a6734b916515ed5")]
    [InlineData("{{ 'x' | sha1 }}", "11f6ad8ec52a2984abaafd7c3b516503785c2072")]
    [InlineData("{{ 'x' | sha256 'salt' }}", "59098e2e749becb74e501e20763edb94b09433e20c2aff0ebc9a061bb92448e6")]
    [InlineData("{{ submission.timestamp | format_date 'yyyy-MM-dd HH:mm' 'America/Chicago' }}", "2026-03-14 10:09")]
    [InlineData("{{ lead.dob | format_date 'MM/dd/yyyy' }}", "12/10/1990")]
    [InlineData("{{ lead.price | format_number '0.00' }}", "1234.50")]
    [InlineData("{{ lead.phone_1 | phone_e164 }}", "+15125550123")]
    [InlineData("{{ lead.phone_1 | phone_national }}", "(512) 555-0123")]
    [InlineData("{{ lead.phone_1 | phone_digits }}", "5125550123")]
    [InlineData("{{ '+44 20 7946 0958' | phone_e164 }}", "+442079460958")]
    [InlineData("{{ now | format_date 'yyyy-MM-ddTHH:mm:ssZ' }}", "2026-03-14T15:09:26Z")]
    [InlineData("{{ (lead.comments.normal | string.split ',') | array.join '|' }}", "red| green|blue")]
    [InlineData("{{ 'abc-123' | regex.replace '[^0-9]' '' }}", "123")]
    [InlineData("{{ 'lovelace' | string.slice 0 4 }}", "love")]
    [InlineData("{{ [3, 1, 2] | array.sort | array.first }}", "1")]
    [InlineData("{{ 7 / 2 }} {{ 7 | math.divided_by 2 }} {{ 2.567 | math.round 1 }}", "3.5 3 2.6")]
    public void Helpers(string template, string expected) => Render(template).ShouldBe(expected);

    public static TheoryData<string> Hostile => new()
    {
        "say \"hi\" \\ there",
        "</name><admin>true</admin>",
        "Tom & Jerry's <b>",
        "{{ lead.ssn }}",
        "two\nlines\r\nhere\ttab",
        "nul\0byte",
        "emoji 😀👩‍👩‍👧",
        "RTL שלום مرحبا",
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Json_body_stays_well_formed_and_keeps_the_value(string value)
    {
        var lead = TemplateLeads.Lead(("comments", "string", value));
        foreach (var text in new[] { "{\"c\": \"{{ lead.comments }}\", \"n\": {{ lead.first_name | json }}}", "{\"c\": {{ lead.comments | json }}}" })
        {
            var body = Engine.Parse(text, TemplateFormat.Json, TemplateLeads.Steps).Render(lead);
            WellFormed.Json(body).ShouldBeNull(body);
            System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("c").GetString().ShouldBe(value);
        }
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Xml_body_stays_well_formed_and_keeps_the_value(string value)
    {
        var lead = TemplateLeads.Lead(("comments", "string", value));
        var body = Engine.Parse("<lead><c a=\"{{ lead.comments }}\">{{ lead.comments }}</c></lead>", TemplateFormat.Xml, TemplateLeads.Steps).Render(lead);
        WellFormed.Xml(body).ShouldBeNull(body);
        var element = System.Xml.Linq.XElement.Parse(body).Element("c")!;
        // XML 1.0 cannot hold NUL at all: it is dropped, everything else arrives as sent (line ends normalized by XML).
        var expected = value.Replace("\0", "", StringComparison.Ordinal).Replace("\r\n", "\n", StringComparison.Ordinal);
        element.Value.ShouldBe(expected);
    }

    [Fact]
    public void Raw_opts_out_of_escaping() =>
        Engine.Parse("{\"x\": {{ lead.state | raw }}}", TemplateFormat.Json).Render(TemplateLeads.Lead()).ShouldBe("{\"x\": TX}");

    [Fact]
    public void Parallel_renders_of_one_template_do_not_interfere()
    {
        var template = Engine.Parse("{{ for i in 1..3 }}{{ lead.first_name | string.upcase }}{{ end }}", TemplateFormat.Text, TemplateLeads.Steps);
        var results = new string[2000];
        Parallel.For(0, results.Length, i =>
            results[i] = template.Render(TemplateLeads.Lead(("first_name", "first_name", "n" + i))));
        for (var i = 0; i < results.Length; i++)
        {
            results[i].ShouldBe(string.Concat(Enumerable.Repeat("N" + i, 3)));
        }
    }

    [Theory]
    [InlineData("{\"a\": 1,}", 1, 9)]
    [InlineData("{\"a\":\n \"b\" \"c\"}", 2, 6)]
    public void WellFormed_json_names_the_position(string body, int line, int column)
    {
        var error = WellFormed.Json(body).ShouldNotBeNull();
        (error.Line, error.Column).ShouldBe((line, column), error.Message);
    }

    [Fact]
    public void WellFormed_xml_names_the_position()
    {
        var error = WellFormed.Xml("<a>\n  <b></a>").ShouldNotBeNull();
        error.Line.ShouldBe(2);
    }
}
