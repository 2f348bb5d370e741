using PluggableFlows.Conformance;

namespace PluggableFlows.Plugins.Suppression.Tests;

// The list integrations need the engine's store: each class gets its own empty one, as a fresh host would have.
public sealed class SuppressionQueryConformance : IntegrationConformanceTests<SuppressionQuery>
{
    protected override ConformanceOptions Options => new() { Lists = new InMemoryValueLists(TimeProvider.System) };
}

public sealed class SuppressionAddConformance : IntegrationConformanceTests<SuppressionAdd>
{
    protected override ConformanceOptions Options => new() { Lists = new InMemoryValueLists(TimeProvider.System) };
}

public sealed class SuppressionDeleteConformance : IntegrationConformanceTests<SuppressionDelete>
{
    protected override ConformanceOptions Options => new() { Lists = new InMemoryValueLists(TimeProvider.System) };
}

public sealed class SuppressionIsUniqueConformance : IntegrationConformanceTests<SuppressionIsUnique>
{
    protected override ConformanceOptions Options => new() { Lists = new InMemoryValueLists(TimeProvider.System) };
}
