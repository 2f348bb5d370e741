using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.Suppression;

/// <summary>
/// <c>suppression.query</c>: is the value on the list? Appends <c>found</c> and succeeds whenever the query ran: a filter
/// step decides what a match means (<c>dnc_check.found is true</c> → stop), as with LeadConduit's suppression lists.
/// </summary>
public sealed class SuppressionQuery : IHandlerIntegration, IConformanceSamples
{
    /// <inheritdoc />
    public IntegrationDescriptor Descriptor { get; } = new()
    {
        Id = "suppression.query",
        Name = "Suppression list query",
        Kind = IntegrationKind.Enhancement,
        Class = IntegrationClass.Byoc,
        RequestVariables = [ListRequest.ListVariable, ListRequest.ValueVariable, ListRequest.LookbackVariable],
        ResponseVariables = [new("found", "boolean", Description: "True when the value is on the list (within the lookback, when given).")],
    };

    /// <inheritdoc />
    public IReadOnlyList<ConformanceSample> Samples { get; } =
    [
        new()
        {
            Name = "value not on an empty list",
            Inputs = new Dictionary<string, string> { ["list"] = "dnc", ["value"] = "(512) 789-1111" },
            ExpectedOutcome = Outcome.Success,
            ExpectedAppended = new Dictionary<string, string> { ["found"] = "false" },
        },
        new()
        {
            Name = "no value to look up",
            Inputs = new Dictionary<string, string> { ["list"] = "dnc", ["value"] = " " },
            ExpectedOutcome = Outcome.Skip,
        },
    ];

    /// <inheritdoc />
    public async Task<IntegrationResult> HandleAsync(IntegrationContext context, CancellationToken cancellationToken)
    {
        var (request, instead) = ListRequest.Read(context, readsLookback: true);
        if (request is null)
        {
            return instead!;
        }

        var found = await request.Lists.ContainsAsync(request.List, request.Value, request.Lookback, cancellationToken);
        return IntegrationResult.Success(new Dictionary<string, object?> { ["found"] = found });
    }
}
