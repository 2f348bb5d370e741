using OpenTelemetry.Metrics;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Host.Api;
using PluggableFlows.Host.Intake;

namespace PluggableFlows.Host;

/// <summary>
/// The lead server: the engine's plugins, store and pipeline (<c>AddPluginCatalog</c>, <c>AddSqliteStore</c>,
/// <c>AddLeadPipeline</c>) behind Kestrel, serving the flows of the flows folder. See docs/server.md.
/// </summary>
public static class LeadServer
{
    /// <summary>Where Prometheus scrapes the metrics (when <see cref="LeadServerOptions.Metrics"/> is on).</summary>
    public const string MetricsRoute = "/metrics";

    /// <summary>
    /// Builds the server from <c>appsettings.json</c> (next to the binary), environment variables and
    /// <paramref name="args"/>. The plugins are loaded and the flows compiled before this returns, so problems are logged
    /// at start; a missing flows folder throws.
    /// </summary>
    /// <param name="args">Command-line arguments (<c>--urls</c>, <c>--PluggableFlows:FlowsPath=…</c>).</param>
    /// <param name="configure">Adjusts the builder before the server's services are added (tests add configuration
    /// here; services registered here win over the defaults).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // appsettings.json ships next to the binary; paths in it are relative to the working directory, as pflow's are.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);

        var section = builder.Configuration.GetSection(LeadServerOptions.SectionName);
        var options = section.Get<LeadServerOptions>() ?? new LeadServerOptions();
        if (options.MaxRequestBodySize <= 0)
        {
            throw new InvalidOperationException($"{LeadServerOptions.SectionName}:MaxRequestBodySize must be a positive number of bytes, not {options.MaxRequestBodySize}.");
        }

        if (string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(LeadServerOptions.DefaultUrls);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodySize;
        });

        var services = builder.Services;
        services.Configure<LeadServerOptions>(section);
        services.AddPluginCatalog(plugins =>
        {
            plugins.Path = options.PluginsPath;
            plugins.Watch = options.WatchPlugins;
        });
        services.AddSqliteStore(store => store.Path = Path.Combine(options.DataPath, "pflow.db"));
        services.AddLeadPipeline();
        services.AddSingleton<HostedFlows>();
        services.AddSingleton<SourceAuthenticator>();
        services.AddSingleton<SubmitEndpoint>();
        if (options.Metrics)
        {
            // The engine's meter, the runtime's (GC, thread pool, exceptions) and ASP.NET Core's own request metrics,
            // which it records anyway: nothing is instrumented twice.
            services.AddOpenTelemetry().WithMetrics(metrics => metrics
                .AddMeter(LeadMetrics.MeterName, "Microsoft.AspNetCore.Hosting")
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        }

        var app = builder.Build();
        try
        {
            // Load plugins and compile flows now, so their problems are logged at start rather than on the first lead.
            app.Services.GetRequiredService<HostedFlows>();
            app.Services.GetRequiredService<LeadProcessor>();
        }
        catch
        {
            // Unload the plugins and close the store already opened before reporting the problem.
            ((IDisposable)app).Dispose();
            throw;
        }

        app.MapPost(SubmitEndpoint.Route, (HttpContext context) => context.RequestServices.GetRequiredService<SubmitEndpoint>().HandleAsync(context));
        app.MapGet(HealthEndpoint.Route, HealthEndpoint.HandleAsync);
        app.MapGet(FlowsEndpoint.ListRoute, FlowsEndpoint.ListAsync);
        app.MapGet(FlowsEndpoint.ItemRoute, FlowsEndpoint.GetAsync);
        app.MapGet(PluginsEndpoint.Route, PluginsEndpoint.HandleAsync);
        app.MapGet(UsageEndpoint.Route, UsageEndpoint.HandleAsync);
        if (options.Metrics)
        {
            app.MapPrometheusScrapingEndpoint(MetricsRoute);
        }

        return app;
    }
}
