using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Storage;
using PluggableFlows.Sdk;

namespace PluggableFlows.Host.Intake;

/// <summary>What a source is told about its lead: a 201 with outcome, reason, lead id and price, or a 303 to
/// <see cref="Redirect"/>.</summary>
internal sealed record LeadAnswer(string LeadId, Outcome Outcome, string? Reason, decimal Price, string? Redirect)
{
    public static LeadAnswer From(LeadResult lead, Uri? redirect) => new(lead.LeadId, lead.Outcome, lead.Reason, lead.Price, redirect?.AbsoluteUri);

    public static LeadAnswer From(IdempotentAnswer stored) => new(stored.LeadId, stored.Outcome, stored.Reason, stored.Price, stored.Redirect);
}
