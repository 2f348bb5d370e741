using PluggableFlows.Engine.Rules;
using static PluggableFlows.Engine.Tests.Rules.RuleKit;

namespace PluggableFlows.Engine.Tests.Rules;

/// <summary>
/// A rule evaluated without a trace reads plain text and numbers straight from the value (<c>TestValue</c>); with a
/// trace, every value goes through <c>Scalar</c>. This table makes every operator meet every kind of lhv in
/// <see cref="RuleKit"/> — text, numbers, booleans, ranges, dates, times, phones, components, appended text, numbers,
/// decimals, lists, maps, blanks and missing values — with rhvs of every kind, and requires both paths to agree.
/// </summary>
public class EntryPointAgreementTests
{
    private static readonly string[] Lhvs =
    [
        .. FieldTypes.Keys.Select(id => "lead." + id),
        "lead.phone_1.area", "lead.phone_2.area", "lead.state.name", "lead.email.domain", "lead.open_range.max",
        "lead.income_range.min", "lead.phone_1.valid", "lead.phone_1.raw",
        "check.line_type", "check.score", "check.count", "check.amount", "check.active", "check.yes_text", "check.text_number",
        "check.blank_text", "check.tags", "check.empty_list", "check.nested", "check.checked_at", "check.missing", "check.outcome",
        "{{ lead.first_name }} {{ lead.state }}",
    ];

    private static readonly string[] Rhvs =
    [
        "alice", "ALICE", " Alice ", "TX", "texas", "30", "30.0", "031", "1000.5", "$1,000.50", "42.5", "3", "10.5", "15",
        "true", "yes", "N", "0", "50-100", "75", "100+", "2019-12-31", "12/31/2019", "2020-01-01T10:00:00Z", "512",
        "(512) 555-1212", "5125551212", "bob@example.com", "mobile", "a", "b", "x", "123", "{{ lead.state }}",
        "{{ check.count }}", "[TX, CA]", "[512, 900]", "[30, 40]", "[a, 15]", "file:states", "file:phones",
    ];

    private static readonly string?[] NoRhv = [null];

    private static readonly string[] Patterns = ["^a", "^(test|fake)", "[0-9]{3}", "^$", "{{ lead.state }}"];

    [Fact]
    public void Traced_and_untraced_evaluation_agree_for_every_operator_lhv_and_rhv()
    {
        var vars = Lead();
        var disagreements = new List<string>();
        var compared = 0;
        foreach (var lhv in Lhvs)
        {
            foreach (var op in RuleOperators.All)
            {
                string?[] rhvs = !op.TakesRhv ? NoRhv : op.Operator == RuleOperator.MatchesPattern ? Patterns : Rhvs;
                foreach (var rhv in rhvs)
                {
                    foreach (var caseSensitive in new[] { false, true })
                    {
                        var (compiled, diagnostics) = CompileWithDiagnostics(Rule(lhv, op.Name, rhv, caseSensitive));
                        if (diagnostics.Count > 0)
                        {
                            continue; // a list where one value is needed, a rhv that is no range: not a rule
                        }

                        compared++;
                        var untraced = compiled.Evaluate(vars);
                        var traced = compiled.Evaluate(vars, new RuleTrace());
                        if (untraced != traced)
                        {
                            disagreements.Add($"{lhv} {op.Name} {rhv}{(caseSensitive ? " (case sensitive)" : "")}: untraced {untraced}, traced {traced}");
                        }
                    }
                }
            }
        }

        compared.ShouldBeGreaterThan(20_000);
        disagreements.ShouldBeEmpty();
    }
}
