using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.Suppression;

/// <summary><c>suppression.delete</c>: takes the value off the list (an opt-in that lifts a do-not-call entry).</summary>
public sealed class SuppressionDelete : IHandlerIntegration, IConformanceSamples
{
    /// <inheritdoc />
    public IntegrationDescriptor Descriptor { get; } = new()
    {
        Id = "suppression.delete",
        Name = "Delete from suppression list",
        Kind = IntegrationKind.Delivery,
        Class = IntegrationClass.Byoc,
        RequestVariables = [ListRequest.ListVariable, ListRequest.ValueVariable],
        ResponseVariables = [new("deleted", "boolean", Description: "True when the value was on the list and is now off it.")],
    };

    /// <inheritdoc />
    public IReadOnlyList<ConformanceSample> Samples { get; } =
    [
        new()
        {
            Name = "delete a value that is not on the list",
            Inputs = new Dictionary<string, string> { ["list"] = "dnc", ["value"] = "Jane@Example.com" },
            ExpectedOutcome = Outcome.Success,
            ExpectedAppended = new Dictionary<string, string> { ["deleted"] = "false" },
        },
        new()
        {
            Name = "no value to delete",
            Inputs = new Dictionary<string, string> { ["list"] = "dnc", ["value"] = "" },
            ExpectedOutcome = Outcome.Skip,
        },
    ];

    /// <inheritdoc />
    public async Task<IntegrationResult> HandleAsync(IntegrationContext context, CancellationToken cancellationToken)
    {
        var (request, instead) = ListRequest.Read(context, readsLookback: false);
        if (request is null)
        {
            return instead!;
        }

        var deleted = await request.Lists.DeleteAsync(request.List, request.Value, cancellationToken);
        return IntegrationResult.Success(new Dictionary<string, object?> { ["deleted"] = deleted });
    }
}
