namespace PluggableFlows.Engine.Templates;

/// <summary>Budgets every template render runs under; a template that exceeds one fails its step with <c>error</c>.</summary>
public sealed class TemplateOptions
{
    /// <summary>The configuration section the lead server binds (<c>PluggableFlows:Templates</c>).</summary>
    public const string SectionName = "PluggableFlows:Templates";

    /// <summary>Most iterations of any one loop (<c>for</c>, <c>while</c>). Default 1,000.</summary>
    public int LoopLimit { get; set; } = 1_000;

    /// <summary>Deepest nesting of function calls (recursion). Default 50.</summary>
    public int RecursionLimit { get; set; } = 50;

    /// <summary>Most characters one render may produce. Default 1,000,000.</summary>
    public int OutputLimit { get; set; } = 1_000_000;

    /// <summary>Longest one render may take. Default 1 second.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest one regular-expression helper call may take. Default 100 ms.</summary>
    public TimeSpan RegexTimeout { get; set; } = TimeSpan.FromMilliseconds(100);
}
