using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Tests.Vars;

public class VarPathTests
{
    private static readonly DateTimeOffset Instant = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static LeadVars Vars(bool asDictionary = true)
    {
        var fields = new Dictionary<string, FieldValue>
        {
            ["phone_1"] = FieldTypeRegistry.Default.Parse("phone", "(512) 555-1212"),
            ["email"] = FieldTypeRegistry.Default.Parse("email", "Ada@Gmail.com"),
        };
        // LeadVars reads a Dictionary directly and any other collection through the interface: both must agree.
        var vars = new LeadVars("L1", asDictionary ? fields : new System.Collections.ObjectModel.ReadOnlyDictionary<string, FieldValue>(fields), new SourceVars("acme", "Acme Media"), new FlowVars("f", "Flow", "abc123"),
            new SubmissionVars("S1", Instant, "203.0.113.9"), 42);
        vars.SetStep("phone_check", new StepVars(Outcome.Success, null,
            new Dictionary<string, object?>
            {
                ["line_type"] = "mobile",
                ["carrier"] = new Dictionary<string, object?> { ["name"] = "Verizon" },
                ["score"] = 0.9,
            }, price: 1.5m, cost: 0.02m));
        return vars;
    }

    [Theory]
    [InlineData("lead.phone_1.area", "512")]
    [InlineData("lead.phone_1.raw", "(512) 555-1212")]
    [InlineData("lead.phone_1.normal", "5125551212")]
    [InlineData("lead.phone_1.valid", true)]
    [InlineData("lead.email.domain", "gmail.com")]
    [InlineData("lead.email.is_free", true)]
    [InlineData("lead.id", "L1")]
    [InlineData("source.id", "acme")]
    [InlineData("source.name", "Acme Media")]
    [InlineData("flow.version", "abc123")]
    [InlineData("submission.ip", "203.0.113.9")]
    [InlineData("submission.id", "S1")]
    [InlineData("random", 42)]
    [InlineData("phone_check.line_type", "mobile")]
    [InlineData("phone_check.carrier.name", "Verizon")]
    [InlineData("phone_check.outcome", "success")]
    [InlineData("phone_check.score", 0.9)]
    public void Paths_resolve_to_their_values(string path, object expected)
    {
        VarPath.Parse(path).Resolve(Vars()).ShouldBe(expected);
        VarPath.Parse(path).Resolve(Vars(asDictionary: false)).ShouldBe(expected);

        // Written with other string instances than the lead's keys (a path from a flow file is never a literal).
        VarPath.Parse(new string(path.AsSpan())).Resolve(Vars()).ShouldBe(expected);
    }

    [Theory]
    [InlineData("lead.phone_2")]
    [InlineData("lead.phone_1.nonsense")]
    [InlineData("lead")]
    [InlineData("")]
    [InlineData("nope.thing")]
    [InlineData("phone_check.carrier.name.deeper")]
    [InlineData("source.id.more")]
    [InlineData("random.x")]
    public void Missing_paths_resolve_to_null(string path)
    {
        VarPath.Parse(path).Resolve(Vars()).ShouldBeNull();
        VarPath.Parse(path).Resolve(Vars(asDictionary: false)).ShouldBeNull();
    }

    [Fact]
    public void Step_price_cost_and_timestamp_resolve_typed()
    {
        var vars = Vars();
        vars.Resolve("phone_check.price").ShouldBe(1.5m);
        vars.Resolve("phone_check.cost").ShouldBe(0.02m);
        vars.Resolve("submission.timestamp").ShouldBe(Instant);
        vars.Resolve("lead.phone_1").ShouldBeOfType<FieldValue>().Type.ShouldBe("phone");
    }

    [Fact]
    public void Resolving_a_compiled_path_does_not_allocate()
    {
        var vars = Vars();
        VarPath[] paths = [VarPath.Parse("lead.phone_1.area"), VarPath.Parse("lead.email.valid"), VarPath.Parse("random"),
            VarPath.Parse("phone_check.carrier.name"), VarPath.Parse("phone_check.price"), VarPath.Parse("submission.timestamp")];
        foreach (var path in paths)
        {
            path.Resolve(vars);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            foreach (var path in paths)
            {
                path.Resolve(vars);
            }
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBe(0);
    }

    [Fact]
    public void Snapshot_does_not_see_later_steps()
    {
        var vars = Vars();
        var snapshot = vars.Snapshot();

        vars.SetStep("crm", new StepVars(Outcome.Failure, "Duplicate"));

        snapshot.Steps.ContainsKey("crm").ShouldBeFalse();
        vars.Resolve("crm.reason").ShouldBe("Duplicate");
    }
}
