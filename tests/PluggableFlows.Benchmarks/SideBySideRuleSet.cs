using System.Text.RegularExpressions;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Rules;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;
using RulesEngine.Models;

namespace PluggableFlows.Benchmarks;

/// <summary>
/// The one 10-rule acceptance set the side-by-side benchmarks and the cold-start table compare, in every form:
/// declarative YAML, one C# rule, one JavaScript rule, a Microsoft RulesEngine workflow and hand-written C#. It mixes
/// string equality, list membership, numeric comparison, a phone component and a value a step appended.
/// </summary>
internal static partial class SideBySideRuleSet
{
    /// <summary>The ten rules, each in every form: declarative (a YAML list item's content), C#, JavaScript, and a
    /// RulesEngine lambda expression over the typed inputs <c>lead</c> (<see cref="TypedLead"/>) and
    /// <c>phone_check</c> (<see cref="TypedPhoneCheck"/>).</summary>
    public static readonly IReadOnlyList<SideBySideRule> Rules =
    [
        new("state",
            "{ lhv: lead.state, op: is equal to, rhv: TX }",
            """lead.state == "TX" """,
            "lead.state == 'TX'",
            """lead.State == "TX" """),
        new("line_type",
            "{ lhv: phone_check.line_type, op: is equal to, rhv: mobile }",
            """phone_check["line_type"] == "mobile" """,
            "phone_check.line_type == 'mobile'",
            """phone_check.LineType == "mobile" """),
        new("phone_valid",
            "{ lhv: lead.phone_1, op: format is valid }",
            "lead.phone_1.valid",
            "lead.phone_1.valid",
            "lead.PhoneValid"),
        new("area_code",
            "{ lhv: lead.phone_1.area, op: is not included in, rhv: [900, 976] }",
            """!lead.phone_1.area.is_in("900", "976")""",
            "!['900', '976'].includes(String(lead.phone_1.area))",
            """!(lead.PhoneArea in ("900", "976"))"""),
        new("vehicle_year",
            "{ lhv: lead.vehicle_year, op: is greater than or equal to, rhv: 2005 }",
            "lead.vehicle_year >= 2005",
            "lead.vehicle_year >= 2005",
            "lead.VehicleYear >= 2005"),
        new("age",
            "{ lhv: lead.dob.age, op: is between, rhv: 18-80 }",
            "lead.dob.age >= 18 && lead.dob.age <= 80",
            "lead.dob.age >= 18 && lead.dob.age <= 80",
            "lead.Age >= 18 && lead.Age <= 80"),
        new("zip",
            "{ lhv: lead.postal_code.zip, op: is not blank }",
            "!lead.postal_code.zip.is_blank",
            "!!lead.postal_code.zip",
            "!string.IsNullOrEmpty(lead.Zip)"),
        new("first_name",
            "{ lhv: lead.first_name, op: is not equal to, rhv: test }",
            """lead.first_name != "test" """,
            "lead.first_name.normal.toLowerCase() != 'test'",
            """!lead.FirstName.Equals("test", StringComparison.OrdinalIgnoreCase)"""),
        new("insured",
            "{ lhv: lead.insured, op: is true }",
            "lead.insured",
            "lead.insured == true",
            "lead.Insured"),
        new("last_name",
            """{ lhv: lead.last_name, op: does not match pattern, rhv: "^(test|fake)" }""",
            """!matches(lead.last_name, "^(test|fake)")""",
            "!/^(test|fake)/i.test(lead.last_name.normal)",
            """!Regex.IsMatch(lead.LastName, "^(test|fake)", RegexOptions.IgnoreCase)"""),
    ];

    /// <summary>The declarative rule set: YAML list items.</summary>
    public static string Declarative => string.Join("\n", Rules.Select(r => "- " + r.Declarative));

    /// <summary>The one C# rule: the ten predicates joined with <c>&amp;&amp;</c>.</summary>
    public static string CSharp => string.Join(" && ", Rules.Select(r => Grouped(r.CSharp.Trim())));

    /// <summary>The one JavaScript rule: the ten predicates joined with <c>&amp;&amp;</c>.</summary>
    public static string JavaScript => string.Join(" && ", Rules.Select(r => Grouped(r.JavaScript.Trim())));

    public const string WorkflowName = "acceptance";

    /// <summary>The RulesEngine workflow: one lambda-expression rule per predicate.</summary>
    public static Workflow[] Workflow() => [Workflow(WorkflowName, Rules)];

    /// <summary>A workflow of <paramref name="rules"/>.</summary>
    public static Workflow Workflow(string name, IEnumerable<SideBySideRule> rules) => new()
    {
        WorkflowName = name,
        Rules = [.. rules.Select(r => new Rule
        {
            RuleName = r.Name,
            Expression = r.RulesEngine.Trim(),
            RuleExpressionType = RuleExpressionType.LambdaExpression,
            ErrorMessage = $"{r.Name} failed",
        })],
    };

    /// <summary>Types the workflow's expressions may name besides the inputs.</summary>
    public static ReSettings RulesEngineSettings() => new() { CustomTypes = [typeof(Regex), typeof(RegexOptions)] };

    /// <summary>The lead that passes every rule (Texas, a mobile phone in area 512).</summary>
    public static readonly IReadOnlyDictionary<string, string> PassingLead = BenchmarkFlows.Lead.ToDictionary(p => p.Key, p => p.Value!);

    /// <summary>The same lead from California: only the first rule fails.</summary>
    public static readonly IReadOnlyDictionary<string, string> FailingLead =
        BenchmarkFlows.Lead.ToDictionary(p => p.Key, p => p.Key == "state" ? "California" : p.Value!);

    /// <summary>The fields the flow declares.</summary>
    private static readonly string[] DeclaredFieldIds =
        ["first_name", "last_name", "email", "phone_1", "phone_2", "state", "city", "postal_code", "dob", "gender", "vehicle_year", "insured"];

    /// <summary>The flow with <paramref name="rules"/> (YAML list items) as its acceptance criteria and a
    /// <c>phone_check</c> step whose appended data the rules read.</summary>
    public static string FlowYaml(string rules) => $$$"""
        id: side-by-side
        fields: [{{{string.Join(", ", DeclaredFieldIds.Select(id => id switch
        {
            "vehicle_year" => "{ id: vehicle_year, type: number }",
            "insured" => "{ id: insured, type: boolean }",
            _ => id,
        }))}}}]
        sources: [ { id: acme } ]
        acceptance_criteria:
          rule_set:
            op: and
            rules:
        {{{string.Join("\n", rules.Split('\n').Select(line => "      " + line.TrimStart()))}}}
          reason: Not eligible
        steps:
          - { key: phone_check, type: enhancement, integration: phone.verify, inputs: { phone: "{{ lead.phone_1 }}" } }
        """;

    public static string DeclarativeFlow => FlowYaml(Declarative);

    public static string CSharpFlow => CSharpFlowOf(CSharp);

    public static string JavaScriptFlow => JavaScriptFlowOf(JavaScript);

    public static string CSharpFlowOf(string expression) => FlowYaml($"- {{ csharp: '{expression.Trim()}' }}");

    public static string JavaScriptFlowOf(string expression) => FlowYaml($"- {{ js: \"{expression.Trim()}\" }}");

    /// <summary>Parses and compiles a flow the way the host does; any diagnostic is an exception.</summary>
    public static CompiledFlow Compile(string yaml, string? csharpCacheDirectory = null) =>
        BenchmarkFlows.Compile(yaml, "side-by-side.yaml", BenchmarkFlows.Integrations(), csharpCacheDirectory);

    /// <summary>The acceptance rule set of a compiled flow.</summary>
    public static CompiledRuleSet Acceptance(CompiledFlow flow) => flow.AcceptanceCriteria!.RuleSet;

    /// <summary>The slots of the fields the side-by-side flow declares (every form's flow declares the same fields),
    /// without compiling anything: the cold-start table must find nothing warmed. The benchmarks' setup checks it is
    /// the layout the compiled flow has.</summary>
    public static FieldLayout Layout => Slots.Layout;

    /// <summary>The vars of <paramref name="lead"/> parsed as the flow's field types (the standard catalog's, and
    /// the two the flow declares), after phone_check appended a mobile line type. Built as the pipeline builds a
    /// lead's vars: fields by id, and the declared ones also by slot of the flow's layout (unless
    /// <paramref name="bySlot"/> is false: then rules read every field by id).</summary>
    public static LeadVars Vars(IReadOnlyDictionary<string, string> lead, bool bySlot = true)
    {
        string TypeOf(string id) => id switch
        {
            "vehicle_year" => "number",
            "insured" => "boolean",
            _ => StandardFields.Types[id],
        };
        var fields = lead.ToDictionary(p => p.Key, p => FieldTypeRegistry.Default.Parse(TypeOf(p.Key), p.Value));
        var vars = new LeadVars("lead", fields, new SourceVars("acme", "Acme"), new FlowVars("side-by-side", "side-by-side", "v1"),
            new SubmissionVars("lead", DateTimeOffset.UnixEpoch, null), 50);
        if (bySlot)
        {
            vars = new LeadVars(vars.LeadId, vars.Fields, vars.Source, vars.Flow, vars.Submission, vars.Random, Layout);
        }

        vars.SetStep("phone_check", new StepVars(Outcome.Success, null, new Dictionary<string, object?> { ["line_type"] = "mobile", ["valid"] = true }));
        return vars;
    }

    /// <summary>The 10 rules written by hand over the parsed vars.</summary>
    public static bool HandWritten(LeadVars vars)
    {
        var f = vars.Fields;
        return f.TryGetValue("state", out var state) && string.Equals(state.Normal, "TX", StringComparison.OrdinalIgnoreCase)
            && vars.TryGetStep("phone_check", out var phoneCheck) && phoneCheck.Appended.TryGetValue("line_type", out var lineType)
            && lineType is string line && string.Equals(line, "mobile", StringComparison.OrdinalIgnoreCase)
            && f.TryGetValue("phone_1", out var phone) && phone.Valid
            && phone["area"] is string area && area != "900" && area != "976"
            && f.TryGetValue("vehicle_year", out var year) && year.Value is double y && y >= 2005
            && f.TryGetValue("dob", out var dob) && dob["age"] is int age && age >= 18 && age <= 80
            && f.TryGetValue("postal_code", out var zip) && zip["zip"] is string z && z.Length > 0
            && f.TryGetValue("first_name", out var first) && !string.Equals(first.Normal, "test", StringComparison.OrdinalIgnoreCase)
            && f.TryGetValue("insured", out var insured) && insured.Value is true
            && f.TryGetValue("last_name", out var last) && !TestName().IsMatch(last.Normal);
    }

    /// <summary>The same 10 rules written by hand, reading the declared fields by slot as compiled rules do
    /// (<see cref="LeadVars.FieldAt"/>), beside <see cref="HandWritten"/>, which looks them up by id.</summary>
    public static bool HandWrittenBySlot(LeadVars vars)
    {
        var l = Slots.Layout;
        return vars.FieldAt(l, Slots.State, "state") is { } state && string.Equals(state.Normal, "TX", StringComparison.OrdinalIgnoreCase)
            && vars.TryGetStep("phone_check", out var phoneCheck) && phoneCheck.Appended.TryGetValue("line_type", out var lineType)
            && lineType is string line && string.Equals(line, "mobile", StringComparison.OrdinalIgnoreCase)
            && vars.FieldAt(l, Slots.Phone, "phone_1") is { } phone && phone.Valid
            && phone["area"] is string area && area != "900" && area != "976"
            && vars.FieldAt(l, Slots.Year, "vehicle_year") is { Value: double y } && y >= 2005
            && vars.FieldAt(l, Slots.Dob, "dob") is { } dob && dob["age"] is int age && age >= 18 && age <= 80
            && vars.FieldAt(l, Slots.Zip, "postal_code") is { } zip && zip["zip"] is string z && z.Length > 0
            && vars.FieldAt(l, Slots.First, "first_name") is { } first && !string.Equals(first.Normal, "test", StringComparison.OrdinalIgnoreCase)
            && vars.FieldAt(l, Slots.Insured, "insured") is { Value: true }
            && vars.FieldAt(l, Slots.Last, "last_name") is { } last && !TestName().IsMatch(last.Normal);
    }

    /// <summary>The typed inputs a RulesEngine caller would build from the same parsed lead.</summary>
    public static RuleParameter[] RulesEngineInputs(LeadVars vars)
    {
        var f = vars.Fields;
        var lead = new TypedLead
        {
            State = f["state"].Normal,
            PhoneValid = f["phone_1"].Valid,
            PhoneArea = f["phone_1"]["area"] as string ?? "",
            VehicleYear = f["vehicle_year"].Value is double year ? year : 0,
            Age = f["dob"]["age"] is int age ? age : 0,
            Zip = f["postal_code"]["zip"] as string ?? "",
            FirstName = f["first_name"].Normal,
            Insured = f["insured"].Value is true,
            LastName = f["last_name"].Normal,
        };
        vars.TryGetStep("phone_check", out var phoneCheck);
        var check = new TypedPhoneCheck { LineType = phoneCheck?.Appended["line_type"] as string ?? "" };
        return [new RuleParameter("lead", lead), new RuleParameter("phone_check", check)];
    }

    /// <summary>Whether every rule of the workflow succeeded.</summary>
    public static async ValueTask<bool> RunRulesEngine(RulesEngine.RulesEngine engine, RuleParameter[] inputs, string workflow = WorkflowName)
    {
        var results = await engine.ExecuteAllRulesAsync(workflow, inputs).ConfigureAwait(false);
        foreach (var result in results)
        {
            if (!result.IsSuccess)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A rule's reason for failing in RulesEngine's own words, for the setup check.</summary>
    public static string RulesEngineFailures(RulesEngine.RulesEngine engine, RuleParameter[] inputs) =>
        string.Join("; ", engine.ExecuteAllRulesAsync(WorkflowName, inputs).AsTask().GetAwaiter().GetResult()
            .Where(r => !r.IsSuccess).Select(r => $"{r.Rule.RuleName}: {r.ExceptionMessage}"));

    /// <summary>Apart, so that nothing touching the rule set initializes them.</summary>
    private static class Slots
    {
        public static readonly FieldLayout Layout = FieldLayout.Of(DeclaredFieldIds);

        public static readonly int State = Layout.SlotOf("state"), Phone = Layout.SlotOf("phone_1"),
            Year = Layout.SlotOf("vehicle_year"), Dob = Layout.SlotOf("dob"), Zip = Layout.SlotOf("postal_code"),
            First = Layout.SlotOf("first_name"), Insured = Layout.SlotOf("insured"), Last = Layout.SlotOf("last_name");
    }

    private static string Grouped(string predicate) => predicate.Contains("&&", StringComparison.Ordinal) ? $"({predicate})" : predicate;

    [GeneratedRegex("^(test|fake)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TestName();
}

/// <summary>The lead as a RulesEngine caller would type it.</summary>
public sealed class TypedLead
{
    public string State { get; init; } = "";
    public bool PhoneValid { get; init; }
    public string PhoneArea { get; init; } = "";
    public double VehicleYear { get; init; }
    public int Age { get; init; }
    public string Zip { get; init; } = "";
    public string FirstName { get; init; } = "";
    public bool Insured { get; init; }
    public string LastName { get; init; } = "";
}

/// <summary>What phone_check appended, typed.</summary>
public sealed class TypedPhoneCheck
{
    public string LineType { get; init; } = "";
}

/// <summary>One rule of the side-by-side set in each form.</summary>
internal sealed record SideBySideRule(string Name, string Declarative, string CSharp, string JavaScript, string RulesEngine);
