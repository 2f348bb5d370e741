using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.Suppression;

/// <summary><c>suppression.add</c>: puts the value on the list, or refreshes its date when it is there already.</summary>
public sealed class SuppressionAdd : IHandlerIntegration, IConformanceSamples
{
    /// <inheritdoc />
    public IntegrationDescriptor Descriptor { get; } = new()
    {
        Id = "suppression.add",
        Name = "Add to suppression list",
        Kind = IntegrationKind.Delivery,
        Class = IntegrationClass.Byoc,
        RequestVariables = [ListRequest.ListVariable, ListRequest.ValueVariable],
        ResponseVariables = [new("added", "boolean", Description: "True once the value is on the list.")],
    };

    /// <inheritdoc />
    public IReadOnlyList<ConformanceSample> Samples { get; } =
    [
        new()
        {
            Name = "add a phone number",
            Inputs = new Dictionary<string, string> { ["list"] = "sold", ["value"] = "(512) 789-1111" },
            ExpectedOutcome = Outcome.Success,
            ExpectedAppended = new Dictionary<string, string> { ["added"] = "true" },
        },
        new()
        {
            Name = "no value to add",
            Inputs = new Dictionary<string, string> { ["list"] = "sold", ["value"] = "" },
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

        await request.Lists.AddAsync(request.List, request.Value, cancellationToken);
        return IntegrationResult.Success(new Dictionary<string, object?> { ["added"] = true });
    }
}
