using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.Suppression;

/// <summary>
/// <c>suppression.is_unique</c>: "have we seen this lead before?" in one atomic add-if-absent, so two copies of a lead
/// arriving together cannot both be unique (a query followed by an add would let both through).
/// </summary>
public sealed class SuppressionIsUnique : IHandlerIntegration, IConformanceSamples
{
    /// <summary>The reason given for a value already on the list.</summary>
    public const string DuplicateReason = "Duplicate lead";

    /// <inheritdoc />
    public IntegrationDescriptor Descriptor { get; } = new()
    {
        Id = "suppression.is_unique",
        Name = "Unique lead check",
        Kind = IntegrationKind.Enhancement,
        Class = IntegrationClass.Byoc,
        RequestVariables = [ListRequest.ListVariable, ListRequest.ValueVariable, ListRequest.LookbackVariable],
        ResponseVariables = [new("unique", "boolean", Description: "True when the value was not on the list (it is added); false for a duplicate.")],
    };

    /// <inheritdoc />
    public IReadOnlyList<ConformanceSample> Samples { get; } =
    [
        new()
        {
            Name = "first sighting of a value",
            Inputs = new Dictionary<string, string> { ["list"] = "seen", ["value"] = "jane@example.com", ["lookback_days"] = "30" },
            ExpectedOutcome = Outcome.Success,
            ExpectedAppended = new Dictionary<string, string> { ["unique"] = "true" },
        },
        new()
        {
            Name = "no value to check",
            Inputs = new Dictionary<string, string> { ["list"] = "seen", ["value"] = "" },
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

        var unique = await request.Lists.AddIfAbsentAsync(request.List, request.Value, request.Lookback, cancellationToken);
        var appended = new Dictionary<string, object?> { ["unique"] = unique };
        return unique ? IntegrationResult.Success(appended) : IntegrationResult.Failure(DuplicateReason, appended);
    }
}
