using PluggableFlows.Engine.Plugins;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Tests.Plugins;

public class DescriptorValidatorTests
{
    private static readonly IntegrationDescriptor Valid = new()
    {
        Id = "phone.verify",
        Name = "Phone verification",
        Kind = IntegrationKind.Enhancement,
        Class = IntegrationClass.AddOn,
        CostPerTransaction = 0.005m,
        Credentials = [new("api_key")],
        RequestVariables = [new("phone", "phone", Required: true)],
        ResponseVariables = [new("line_type", "string"), new("valid", "boolean")],
    };

    public static TheoryData<string, IntegrationDescriptor, string> Problems => new()
    {
        { "missing id", Valid with { Id = "" }, "id is missing" },
        { "upper-case id", Valid with { Id = "Phone.Verify" }, "id 'Phone.Verify' is not dotted lower-case" },
        { "undotted id", Valid with { Id = "phone" }, "id 'phone' is not dotted lower-case" },
        { "missing name", Valid with { Name = " " }, "name is missing" },
        { "undefined kind", Valid with { Kind = (IntegrationKind)7 }, "kind 7 is not defined" },
        { "undefined class", Valid with { Class = (IntegrationClass)7 }, "class 7 is not defined" },
        { "free add-on", Valid with { CostPerTransaction = 0 }, "an add-on must have a cost per transaction greater than 0, not 0" },
        { "priced BYOC", Valid with { Class = IntegrationClass.Byoc }, "a BYOC integration has a cost per transaction of 0 (the provider bills the flow owner), not 0.005" },
        { "negative cost", Valid with { CostPerTransaction = -1 }, "cost per transaction is negative (-1)" },
        { "duplicate credential", Valid with { Credentials = [new("api_key"), new("API_KEY")] }, "credential 'API_KEY' is declared more than once" },
        { "empty credential", Valid with { Credentials = [new("")] }, "credential #1 has no name" },
        { "duplicate variable", Valid with { RequestVariables = [new("phone", "phone"), new("phone", "string")] }, "request variable 'phone' is declared more than once" },
        { "empty variable", Valid with { ResponseVariables = [new("", "string")] }, "response variable #1 has no name" },
        { "unknown type", Valid with { RequestVariables = [new("phone", "telephone")] }, "request variable 'phone' has type 'telephone', which is not a field type" },
        { "reserved outcome", Valid with { ResponseVariables = [new("outcome", "string")] }, "response variable 'outcome' is reserved" },
        { "reserved price", Valid with { ResponseVariables = [new("price", "number")] }, "response variable 'price' is reserved" },
    };

    [Fact]
    public void A_complete_descriptor_has_no_problems() => DescriptorValidator.Validate(Valid).ShouldBeEmpty();

    [Fact]
    public void Byoc_integrations_are_free_and_may_take_any_input_name()
    {
        var byoc = Valid with { Class = IntegrationClass.Byoc, CostPerTransaction = 0, RequestVariables = [new("*", "string")] };

        DescriptorValidator.Validate(byoc).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Problems))]
    public void Each_problem_is_reported(string problem, IntegrationDescriptor descriptor, string expected)
    {
        var problems = DescriptorValidator.Validate(descriptor);

        problems.ShouldContain(p => p.StartsWith(expected, StringComparison.Ordinal), problem + ": " + string.Join(" | ", problems));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var problems = DescriptorValidator.Validate(Valid with { Id = "", Name = "", ResponseVariables = [new("reason", "nope")] });

        problems.Count.ShouldBe(4);
    }
}
