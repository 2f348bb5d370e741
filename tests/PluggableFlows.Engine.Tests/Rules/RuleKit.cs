using Microsoft.Extensions.Time.Testing;
using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Rules;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Tests.Rules;

/// <summary>
/// One lead with a value of every kind, built directly (not parsed) so the rule tests state exactly what the lhv is,
/// plus helpers to write rules tersely. Rhv shorthand: <c>[a, b]</c> is a YAML list, <c>file:name</c> a list file.
/// </summary>
internal static class RuleKit
{
    public static readonly SourceLocation At = new("flows/demo.yaml", 12, 7);

    public static readonly FieldTypeRegistry Types =
        new(new FieldParsingOptions(), new FakeTimeProvider(new DateTimeOffset(2025, 6, 15, 12, 0, 0, TimeSpan.Zero)));

    public static readonly IReadOnlyDictionary<string, string> FieldTypes = new Dictionary<string, string>
    {
        ["first_name"] = "first_name", ["last_name"] = "last_name", ["code"] = "string", ["comments"] = "string",
        ["rude"] = "string", ["price"] = "number", ["age"] = "number", ["opt_in"] = "boolean", ["homeowner"] = "boolean",
        ["military"] = "boolean", ["income_range"] = "range", ["debt_range"] = "range", ["open_range"] = "range",
        ["dob"] = "dob", ["move_date"] = "date", ["call_at"] = "time", ["phone_1"] = "phone", ["phone_2"] = "phone",
        ["state"] = "state", ["email"] = "email", ["ssn"] = "ssn", ["password"] = "credential", ["missing_field"] = "string",
    };

    public static readonly string ListsDirectory = CreateLists();

    public static LeadVars Lead() => Lead(LeadFields());

    public static LeadVars Lead(IReadOnlyDictionary<string, FieldValue> fields, int random = 42)
    {
        var vars = new LeadVars("lead-1", fields, new SourceVars("src-1", "Acme"), new FlowVars("flow-1", "Demo", "abc123"),
            new SubmissionVars("sub-1", new DateTimeOffset(2025, 6, 15, 12, 0, 0, TimeSpan.Zero), "203.0.113.9"), random);
        vars.SetStep("check", new StepVars(Outcome.Success, null, new Dictionary<string, object?>
        {
            ["line_type"] = "mobile",
            ["score"] = 42.5,
            ["count"] = 3,
            ["amount"] = 10.5m,
            ["active"] = true,
            ["yes_text"] = "Yes",
            ["text_number"] = "15",
            ["blank_text"] = "  ",
            ["tags"] = new List<object?> { "a", "B" },
            ["empty_list"] = new List<object?>(),
            ["nested"] = new Dictionary<string, object?> { ["x"] = "y" },
            ["checked_at"] = new DateTimeOffset(2020, 6, 1, 0, 0, 0, TimeSpan.Zero),
        }));
        return vars;
    }

    public static Dictionary<string, FieldValue> LeadFields() => new()
    {
        ["first_name"] = Text("first_name", "Alice"),
        ["last_name"] = new FieldValue("last_name", "  ", "", null, true),
        ["code"] = Text("string", "AbC"),
        ["comments"] = Text("string", "Greetings from Scunthorpe"),
        ["rude"] = Text("string", "what the Fuck is this"),
        ["price"] = new FieldValue("number", "$1,000.50", "1000.5", 1000.5, true),
        ["age"] = new FieldValue("number", "30", "30", 30.0, true),
        ["opt_in"] = new FieldValue("boolean", "yes", "true", true, true),
        ["homeowner"] = new FieldValue("boolean", "no", "false", false, true),
        ["military"] = new FieldValue("boolean", "maybe", "maybe", null, false),
        ["income_range"] = Range("50-100", 50, 100),
        ["debt_range"] = Range("10-20", 10, 20),
        ["open_range"] = new FieldValue("range", "100+", "100+", "100+", true,
            new Dictionary<string, object?> { ["min"] = 100.0, ["max"] = null, ["avg"] = 100.0, ["mid"] = 100.0 }),
        ["dob"] = new FieldValue("dob", "12/31/2019", "2019-12-31", new DateOnly(2019, 12, 31), true),
        ["move_date"] = new FieldValue("date", "01/01/2020", "2020-01-01", new DateOnly(2020, 1, 1), true),
        ["call_at"] = new FieldValue("time", "2020-01-01T10:00:00Z", "2020-01-01T10:00:00.0000000+00:00",
            new DateTimeOffset(2020, 1, 1, 10, 0, 0, TimeSpan.Zero), true),
        ["phone_1"] = new FieldValue("phone", "(512) 555-1212", "5125551212", "5125551212", true,
            new Dictionary<string, object?> { ["area"] = "512", ["exchange"] = "555", ["line"] = "1212" }),
        ["phone_2"] = new FieldValue("phone", "123", "123", null, false),
        ["state"] = new FieldValue("state", "Texas", "TX", "TX", true, new Dictionary<string, object?> { ["name"] = "Texas" }),
        ["email"] = new FieldValue("email", "Bob@Example.com", "bob@example.com", "bob@example.com", true,
            new Dictionary<string, object?> { ["domain"] = "example.com" }),
        ["ssn"] = new FieldValue("ssn", "123-45-6789", "123456789", "123456789", true),
        ["password"] = new FieldValue("credential", "hunter2", "hunter2", "hunter2", true),
    };

    public static FieldValue Text(string type, string text) => new(type, text, text.Trim(), text.Trim(), true);

    public static FieldValue Range(string text, double min, double max) =>
        new("range", text, text, text, true,
            new Dictionary<string, object?> { ["min"] = min, ["max"] = max, ["avg"] = (min + max) / 2, ["mid"] = Math.Truncate((min + max) / 2) });

    public static RuleCompilationContext Context(TimeSpan? regexTimeout = null) => new()
    {
        Types = Types,
        FieldTypeOf = id => FieldTypes.TryGetValue(id, out var type) ? type : null,
        FieldIds = FieldTypes.Keys.ToList(),
        StepKeys = new HashSet<string> { "check" },
        ListsDirectory = ListsDirectory,
        RegexTimeout = regexTimeout ?? TimeSpan.FromMilliseconds(100),
    };

    public static RuleValue? Rhv(string? text) => text switch
    {
        null => null,
        ['[', .., ']'] => RuleValue.List(text[1..^1].Split(',', StringSplitOptions.TrimEntries), At),
        _ when text.StartsWith("file:", StringComparison.Ordinal) => RuleValue.ListFile(text[5..], At),
        _ => RuleValue.Literal(text, At),
    };

    public static RuleDefinition Rule(string lhv, string op, string? rhv = null, bool caseSensitive = false) =>
        new(lhv, op, Rhv(rhv), At) { CaseSensitive = caseSensitive };

    public static RuleSetDefinition And(params RuleNode[] rules) => new(RuleSetOperator.And, rules, At);

    public static RuleSetDefinition Or(params RuleNode[] rules) => new(RuleSetOperator.Or, rules, At);

    /// <summary>Compiles, requiring no diagnostics.</summary>
    public static CompiledRuleSet Compile(RuleNode node, RuleCompilationContext? context = null)
    {
        var diagnostics = new DiagnosticBag();
        var set = node as RuleSetDefinition ?? And(node);
        var compiler = new RuleCompiler(context ?? Context());
        var compiled = compiler.Compile(set, diagnostics);
        compiler.Finish(diagnostics);
        diagnostics.Items.ShouldBeEmpty();
        return compiled;
    }

    /// <summary>Compiles and reports what it found.</summary>
    public static (CompiledRuleSet Compiled, IReadOnlyList<FlowDiagnostic> Diagnostics) CompileWithDiagnostics(RuleNode node,
        RuleCompilationContext? context = null)
    {
        var diagnostics = new DiagnosticBag();
        var compiler = new RuleCompiler(context ?? Context());
        var compiled = compiler.Compile(node as RuleSetDefinition ?? And(node), diagnostics);
        compiler.Finish(diagnostics);
        return (compiled, diagnostics.Items);
    }

    /// <summary>Evaluates one rule against <see cref="Lead()"/>, checking the traced evaluation agrees.</summary>
    public static bool Evaluate(RuleNode node, LeadVars? vars = null, RuleCompilationContext? context = null)
    {
        vars ??= Lead();
        var compiled = Compile(node, context);
        var result = compiled.Evaluate(vars);
        compiled.Evaluate(vars, new RuleTrace()).ShouldBe(result, "traced and untraced evaluation must agree");
        return result;
    }

    private static string CreateLists()
    {
        var folder = Directory.CreateTempSubdirectory("pflows-lists-").FullName;
        File.WriteAllLines(Path.Combine(folder, "states.txt"), ["# states we buy in", "", "  TX  ", "ca", "# FL is paused", "NY"]);
        File.WriteAllLines(Path.Combine(folder, "phones.txt"), ["(512) 555-1212", "1-800-555-0100"]);
        return folder;
    }

    /// <summary>
    /// Bytes this thread allocates over 1,000 calls of <paramref name="evaluate"/>, each of which must return true. The
    /// same loop runs once before the count: the runtime's work for the loop itself (tiering it up, on-stack replacement)
    /// is done on this thread and can load types, which allocates; that is not the code under test.
    /// </summary>
    public static long AllocatedBy(Func<bool> evaluate)
    {
        Allocations(evaluate);
        return Allocations(evaluate);
    }

    private static long Allocations(Func<bool> evaluate)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var passed = 0;
        for (var i = 0; i < 1_000; i++)
        {
            passed += evaluate() ? 1 : 0;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        passed.ShouldBe(1_000);
        return allocated;
    }
}
