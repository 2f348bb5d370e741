using PluggableFlows.Sdk;

namespace PluggableFlows.Conformance;

/// <summary>How hard the kit pushes. The defaults suit a unit-test run; none of them measures speed.</summary>
public sealed class ConformanceOptions
{
    /// <summary>The step timeout of every scenario but the timeout one: generous, so a slow machine never turns a
    /// success into a timeout. 10 s by default.</summary>
    public TimeSpan ScenarioTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The step timeout of the timeout scenario, whose provider never answers. 300 ms by default.</summary>
    public TimeSpan TimeoutScenarioStepTimeout { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>How long a call may keep running after it was cancelled (or after its step timeout passed) before the
    /// kit calls it stuck. A liveness bound, not a speed measurement. 2 s by default.</summary>
    public TimeSpan LivenessBound { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many calls the concurrency check runs at once. 50 by default.</summary>
    public int ConcurrentCalls { get; set; } = 50;

    /// <summary>The clock integrations see (the concurrency check freezes it at one instant). The system clock by default.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>Named value lists handed to handler integrations, for integrations that need the engine's store.</summary>
    public IValueLists? Lists { get; set; }
}
