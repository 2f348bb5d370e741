namespace PluggableFlows.Engine.Pipeline;

/// <summary>How leads are run.</summary>
public sealed class PipelineOptions
{
    /// <summary>The configuration section the lead server binds these options from.</summary>
    public const string SectionName = "PluggableFlows:Pipeline";

    /// <summary>Time an enhancement or delivery may take when its step sets none.</summary>
    public TimeSpan DefaultStepTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>No step may set a longer timeout than this.</summary>
    public TimeSpan MaxStepTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Record each rule's resolved values in events (turn off for the fastest path).</summary>
    public bool TraceRules { get; set; } = true;

    /// <summary>
    /// Let deliveries and BYOC integrations connect to loopback addresses (127.0.0.0/8, ::1, and names such as
    /// <c>localhost</c> that resolve to them). Off by default: a flow owner's URL must not reach services on the host itself.
    /// </summary>
    public bool AllowLoopbackDeliveries { get; set; }

    /// <summary>
    /// Let deliveries and BYOC integrations connect to private networks (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16,
    /// 100.64.0.0/10, fc00::/7). Off by default. Link-local addresses (cloud metadata services) are not included: name
    /// them in <see cref="AllowedDeliveryNetworks"/> if they really are a recipient.
    /// </summary>
    public bool AllowPrivateDeliveries { get; set; }

    /// <summary>
    /// Networks deliveries may reach even though they are refused by default, in CIDR notation (<c>10.20.0.0/16</c>,
    /// <c>fd00:1::/64</c>) or as single addresses. Narrower than <see cref="AllowPrivateDeliveries"/>.
    /// </summary>
    public IList<string> AllowedDeliveryNetworks { get; } = [];
}
