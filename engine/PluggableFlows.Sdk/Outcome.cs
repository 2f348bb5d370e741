namespace PluggableFlows.Sdk;

/// <summary>What happened in one step, or to a whole lead.</summary>
public enum Outcome
{
    /// <summary>The step did what it was asked; for a lead: no criterion or filter stopped it.</summary>
    Success,

    /// <summary>The provider (or a rule) said no. Retrying will not help.</summary>
    Failure,

    /// <summary>The call failed: timeout, 5xx, bad credentials, plugin fault. Retrying may help.</summary>
    Error,

    /// <summary>The step did not run (its <c>when</c> rules were false, or the integration had nothing to do).</summary>
    Skip,
}
