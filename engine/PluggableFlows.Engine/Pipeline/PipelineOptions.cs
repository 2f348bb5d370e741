namespace PluggableFlows.Engine.Pipeline;

/// <summary>How leads are run.</summary>
public sealed class PipelineOptions
{
    /// <summary>Time an enhancement or delivery may take when its step sets none.</summary>
    public TimeSpan DefaultStepTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>No step may set a longer timeout than this.</summary>
    public TimeSpan MaxStepTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Record each rule's resolved values in events (turn off for the fastest path).</summary>
    public bool TraceRules { get; set; } = true;
}
