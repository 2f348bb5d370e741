namespace PluggableFlows.Engine.Pipeline;

/// <summary>The network handler integrations' HTTP calls go out through.</summary>
public static class IntegrationHttpHandler
{
    /// <summary>
    /// A handler for deliveries and BYOC integrations: connections to loopback, private, link-local and other internal
    /// addresses are refused unless <paramref name="options"/> allow them (checked on the resolved address, at connect
    /// time). Redirects are not followed here: <see cref="IntegrationInvoker"/> follows them when the request asks, so each
    /// hop is recorded and checked.
    /// </summary>
    public static SocketsHttpHandler CreateGuarded(PipelineOptions options)
    {
        var guard = new DeliveryAddressGuard(options);
        var handler = Create();
        handler.ConnectCallback = guard.ConnectAsync;
        return handler;
    }

    /// <summary>A handler for add-ons, whose endpoints the operator configures for the whole host: no address guard.</summary>
    public static SocketsHttpHandler CreateUnguarded() => Create();

    private static SocketsHttpHandler Create() => new()
    {
        AllowAutoRedirect = false,
        // Integrations talk to many hosts whose addresses change (DNS failover); a pooled connection is re-resolved after this.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        // A recipient gets the request its template describes and nothing more: no trace headers (traceparent,
        // tracestate, Request-Id) from whatever activity the host's request is part of. They would tell a third party
        // about the host's tracing, and the transcript, taken before this handler, would not show them.
        ActivityHeadersPropagator = null,
    };
}
