using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Flows;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Plugins;
using PluggableFlows.Engine.Rules.CSharp;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Tests.Pipeline;

/// <summary>C# rules in flow files: errors located in the file, every check's error path, one compilation per flow,
/// the disk cache, and unloading on reload.</summary>
public class CSharpRulePipelineTests
{
    private const string Header = """
        id: test-flow
        name: Test flow
        fields: [first_name, email, phone_1, state, dob, { id: vehicle_year, type: number }]
        sources:
          - id: acme
            name: Acme Media

        """;

    private const string Throws = "lead.state.normal[99] == 'x'";

    private readonly PipelineHarness _harness = new();

    private static IReadOnlyList<FlowDiagnostic> Problems(string yaml, string? cacheDirectory = null)
    {
        var loaded = new FlowLoader(new FlowLoaderOptions()).Parse(yaml, "flows/test.yaml");
        loaded.Diagnostics.ShouldBeEmpty();
        var diagnostics = new DiagnosticBag();
        new FlowCompiler(FieldTypeRegistry.Default, new IntegrationRegistry([]), scriptsRoot: null).Compile(loaded.Flow!, diagnostics);
        return diagnostics.Items;
    }

    [Theory]
    [InlineData("TX", "2010", Outcome.Success)]
    [InlineData("TX", "2001", Outcome.Failure)]
    [InlineData("CA", "2010", Outcome.Failure)]
    public async Task Csharp_acceptance_criteria_read_typed_fields(string state, string year, Outcome expected)
    {
        var flow = _harness.Compile(Header + """
            acceptance_criteria:
              rule_set: { rules: [ { csharp: 'lead.state == "TX" && lead.vehicle_year > 2005' } ] }
              reason: Texas and newer than 2005 only
            """);

        var result = await _harness.Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("state", state), ("vehicle_year", year)));

        result.Outcome.ShouldBe(expected);
    }

    [Fact]
    public void A_misspelt_field_is_a_compile_error_at_its_place_in_the_flow_file_with_a_suggestion()
    {
        var problem = Problems(Header + """
            acceptance_criteria:
              rule_set: { rules: [ { csharp: 'lead.state == "TX" && lead.vehicle_yaer > 2005' } ] }
            """).ShouldHaveSingleItem();

        problem.Code.ShouldBe("PF0222");
        // The expression starts at column 35 of line 8; vehicle_yaer is 28 characters in.
        problem.Location.ShouldBe(new SourceLocation("flows/test.yaml", 8, 35 + 27));
        problem.Message.ShouldStartWith("C# error CS1061 at line 1, column 28 of the rule: ");
        problem.Message.ShouldContain("vehicle_yaer");
        problem.Hint.ShouldBe("Did you mean lead.vehicle_year?");
    }

    [Fact]
    public void A_syntax_error_names_the_position_inside_the_expression()
    {
        var problem = Problems(Header + """
            acceptance_criteria:
              rule_set: { rules: [ { csharp: 'lead.state == "TX" && > 2005' } ] }
            """).ShouldHaveSingleItem();

        problem.Code.ShouldBe("PF0221");
        problem.Location.ShouldBe(new SourceLocation("flows/test.yaml", 8, 35 + 22));
        problem.Message.ShouldStartWith("C# syntax error CS1525 at line 1, column 23 of the rule: Invalid expression term '>'");
    }

    [Fact]
    public void A_non_boolean_rule_is_a_type_error_with_a_hint()
    {
        var problem = Problems(Header + """
            acceptance_criteria:
              rule_set: { rules: [ { csharp: 'lead.state.normal' } ] }
            """).ShouldHaveSingleItem();

        problem.Code.ShouldBe("PF0222");
        problem.Hint.ShouldNotBeNull().ShouldStartWith("A C# rule is a boolean expression");
    }

    [Fact]
    public void A_rule_cannot_close_the_generated_method_and_add_code_of_its_own()
    {
        var problem = Problems(Header + """
            acceptance_criteria:
              rule_set: { rules: [ { csharp: 'true; } public static bool Evil() { return System.IO.File.Exists("/etc/passwd"); ' } ] }
            """).ShouldHaveSingleItem();

        problem.Code.ShouldBe("PF0221");
    }

    [Fact]
    public void Every_rule_of_a_flow_with_errors_is_reported_in_one_go()
    {
        var problems = Problems(Header + """
            acceptance_criteria:
              rule_set: { rules: [ { csharp: 'lead.stat == "TX"' }, { csharp: 'System.IO.File.Exists("x")' } ] }
            steps:
              - key: gate
                type: filter
                stop_if: { rules: [ { csharp: 'lead.first_nam == "test"' } ] }
            """);

        problems.Select(p => p.Code).ShouldBe(["PF0222", "PF0222", "PF0223"], ignoreOrder: true);
    }

    [Fact]
    public async Task Acceptance_criteria_that_throw_answer_with_outcome_error()
    {
        var flow = _harness.Compile(Header + $$"""
            acceptance_criteria:
              rule_set: { rules: [ { csharp: "{{Throws}}" } ] }
            """);

        var result = await _harness.Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("state", "TX")));

        result.Outcome.ShouldBe(Outcome.Error);
        result.Reason.ShouldNotBeNull().ShouldStartWith("Rule error in flow acceptance criteria: ");
        result.Reason.ShouldContain("IndexOutOfRangeException");
    }

    [Fact]
    public async Task A_filter_whose_rule_runs_away_answers_with_outcome_error()
    {
        var flow = _harness.Compile(Header + """
            steps:
              - key: gate
                type: filter
                stop_if: { rules: [ { csharp: "((Func<bool>)(() => { while (true) { } }))()" } ] }
            """);

        var result = await _harness.Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("state", "TX")));

        result.Outcome.ShouldBe(Outcome.Error);
        result.Reason.ShouldNotBeNull().ShouldStartWith("Rule error in filter gate: ");
        result.Reason.ShouldContain("budget");
    }

    [Fact]
    public async Task A_step_whose_when_rule_fails_is_skipped_with_the_reason()
    {
        var crm = new FakeIntegration("crm.post", IntegrationKind.Delivery, _ => IntegrationResult.Success());
        var flow = _harness.Compile(Header + $$"""
            steps:
              - key: crm
                type: delivery
                integration: crm.post
                when: { csharp: "{{Throws}}" }
            """, crm);

        var result = await _harness.Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("state", "TX")));

        crm.Calls.ShouldBeEmpty();
        result.Vars.TryGetStep("crm", out var step).ShouldBeTrue();
        step.Outcome.ShouldBe(Outcome.Skip);
        step.Reason.ShouldNotBeNull().ShouldContain("IndexOutOfRangeException");
    }

    [Fact]
    public async Task Csharp_rules_read_what_earlier_steps_appended()
    {
        var check = new FakeIntegration("phone.check", IntegrationKind.Enhancement,
            _ => IntegrationResult.Success(appended: new Dictionary<string, object?> { ["line_type"] = "mobile", ["score"] = 87.0 }));
        var crm = new FakeIntegration("crm.post", IntegrationKind.Delivery, _ => IntegrationResult.Success());
        var flow = _harness.Compile(Header + """
            steps:
              - key: phone_check
                type: enhancement
                integration: phone.check
              - key: crm
                type: delivery
                integration: crm.post
                when: { csharp: 'phone_check.outcome == "success" && phone_check["line_type"] == "mobile" && phone_check["score"] >= 80' }
            """, check, crm);

        await _harness.Processor().ProcessAsync(flow, TestFlows.Lead("acme", ("state", "TX")));

        crm.Calls.ShouldHaveSingleItem();
    }

    [Fact]
    public void All_csharp_rules_of_a_flow_compile_in_one_compilation_and_a_second_load_uses_the_disk_cache()
    {
        var cache = Directory.CreateTempSubdirectory("pflow-rules-cache-").FullName;
        var yaml = Header + $$"""
            acceptance_criteria:
              rule_set: { rules: [ { csharp: 'lead.state == "TX" /* {{Guid.NewGuid()}} */' }, { csharp: 'lead.vehicle_year > 2000' } ] }
            steps:
              - key: gate
                type: filter
                stop_if: { rules: [ { csharp: 'lead.first_name == "test"' } ] }
            """;
        var before = CSharpRuleBatch.Compilations(cache);

        CompileWithCache(yaml, cache);
        CSharpRuleBatch.Compilations(cache).ShouldBe(before + 1, "three rules, one compilation");
        Directory.GetFiles(cache, "*.dll").ShouldHaveSingleItem();

        CompileWithCache(yaml, cache);
        CSharpRuleBatch.Compilations(cache).ShouldBe(before + 1, "the second load reads the cache and does not compile");

        File.WriteAllText(Directory.GetFiles(cache, "*.dll")[0], "not an assembly");
        CompileWithCache(yaml, cache);
        CSharpRuleBatch.Compilations(cache).ShouldBe(before + 2, "a damaged cache entry is compiled afresh");
    }

    [Fact]
    public void Reloading_a_flow_200_times_does_not_keep_its_rule_assemblies_or_memory()
    {
        var cache = Directory.CreateTempSubdirectory("pflow-rules-cache-").FullName;
        var yaml = Header + """
            acceptance_criteria:
              rule_set: { rules: [ { csharp: 'lead.state == "TX" && lead.first_name.text.Length > 1' } ] }
            """;
        Load(yaml, cache);
        Collect();
        var contextsBefore = CSharpRuleAssembly.LiveContexts;
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);

        // While flows are in use their rule assemblies stay loaded: each load is a real load context...
        var inUse = Enumerable.Range(0, 20).Select(_ => CompileWithCache(yaml, cache)).ToList();
        Collect();
        (CSharpRuleAssembly.LiveContexts - contextsBefore).ShouldBeGreaterThanOrEqualTo(20);
        GC.KeepAlive(inUse);
        inUse.Clear();

        // ...and once a reload replaces a flow, its assembly goes.
        for (var i = 0; i < 200; i++)
        {
            Load(yaml, cache);
        }

        Collect();
        (CSharpRuleAssembly.LiveContexts - contextsBefore).ShouldBeLessThan(10, "unloaded load contexts are collected");
        (GC.GetTotalMemory(forceFullCollection: true) - memoryBefore).ShouldBeLessThan(20L * 1024 * 1024);
    }

    private static void Load(string yaml, string cache) => CompileWithCache(yaml, cache).ShouldNotBeNull();

    private static CompiledFlow CompileWithCache(string yaml, string cache)
    {
        var loaded = new FlowLoader(new FlowLoaderOptions()).Parse(yaml, "flows/test.yaml");
        var diagnostics = new DiagnosticBag();
        var flow = new FlowCompiler(FieldTypeRegistry.Default, new IntegrationRegistry([]), scriptsRoot: null) { CSharpCacheDirectory = cache }
            .Compile(loaded.Flow!, diagnostics);
        diagnostics.Items.ShouldBeEmpty();
        return flow!;
    }

    private static void Collect()
    {
        for (var i = 0; i < 10 && CSharpRuleAssembly.LiveContexts > 0; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }
}
