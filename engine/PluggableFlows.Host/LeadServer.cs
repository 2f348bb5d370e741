using OpenTelemetry.Metrics;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Templates;
using Microsoft.Extensions.Options;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Plugins;
using PluggableFlows.Engine.Storage;
using PluggableFlows.Host.Api;
using PluggableFlows.Host.Intake;
using PluggableFlows.Host.Retries;

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

        if (options.ShutdownTimeout < TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{LeadServerOptions.SectionName}:ShutdownTimeout must not be negative, not {options.ShutdownTimeout}.");
        }

        if (string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(LeadServerOptions.DefaultUrls);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // The intake enforces MaxRequestBodySize itself (413 with a reason). Kestrel's own ceiling sits above it so that,
            // after the 413, Kestrel can read and discard the rest of an oversized body (for up to 5 s) instead of closing
            // the connection while the client is still sending: a close then resets the connection and the client may
            // never see the answer. Bodies beyond the ceiling still get the 413, on a connection that is then closed.
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodySize > long.MaxValue / 4
                ? null
                : options.MaxRequestBodySize + Math.Max(options.MaxRequestBodySize, 4L * 1024 * 1024);
        });

        var services = builder.Services;
        services.Configure<LeadServerOptions>(section);
        // Stopping waits this long in all, first for in-flight submissions (SubmissionDrain), then for Kestrel.
        services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownTimeout);
        services.AddPluginCatalog(plugins =>
        {
            plugins.Path = options.PluginsPath;
            plugins.Watch = options.WatchPlugins;
        });
        services.AddSqliteStore(store => store.Path = Path.Combine(options.DataPath, "pflow.db"));
        services.AddLeadPipeline();
        // Step timeouts, rule tracing and which internal networks deliveries may reach (docs/server.md).
        services.Configure<PipelineOptions>(builder.Configuration.GetSection(PipelineOptions.SectionName));
        services.Configure<TemplateOptions>(builder.Configuration.GetSection(TemplateOptions.SectionName));
        services.AddSingleton<HostedFlows>();
        services.AddSingleton<SourceAuthenticator>();
        services.AddSingleton<IdempotentSubmissions>();
        services.AddSingleton(provider => new SqliteOutbox(provider.GetRequiredService<SqliteStore>()));
        services.AddSingleton(provider => new StepCredentials(provider.GetRequiredService<ISecretResolver>(), provider.GetRequiredService<IAddOnAccounts>()));
        services.AddSingleton(provider => new RetryRunner(provider.GetRequiredService<IIntegrationRegistry>(),
            provider.GetRequiredService<IntegrationInvoker>(), provider.GetRequiredService<StepCredentials>(),
            provider.GetRequiredService<FieldTypeRegistry>(), provider.GetRequiredService<SqliteOutbox>(),
            provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<IOptions<PipelineOptions>>().Value,
            provider.GetService<ILogger<RetryRunner>>()));
        services.AddHostedService<RetryWorker>();
        services.AddSingleton<SubmitEndpoint>();
        services.AddSingleton<SubmissionDrain>();
        services.AddHostedService(provider => provider.GetRequiredService<SubmissionDrain>());
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
        SubmissionDrain drain;
        SubmitEndpoint submit;
        try
        {
            // Load plugins and compile flows now, so their problems are logged at start rather than on the first lead.
            app.Services.GetRequiredService<HostedFlows>();
            app.Services.GetRequiredService<LeadProcessor>();
            drain = app.Services.GetRequiredService<SubmissionDrain>();
            submit = app.Services.GetRequiredService<SubmitEndpoint>();
        }
        catch
        {
            // Unload the plugins and close the store already opened before reporting the problem.
            ((IDisposable)app).Dispose();
            throw;
        }

        var readAccess = new ReadAccess(app.Services.GetRequiredService<IOptions<LeadServerOptions>>());
        app.UseRouting();
        app.Use(readAccess.InvokeAsync);
        app.MapPost(SubmitEndpoint.Route, (HttpContext context) => drain.HandleAsync(context, submit.HandleAsync));
        app.MapGet(HealthEndpoint.Route, HealthEndpoint.HandleAsync);
        LeadEndpoints.Map(app);
        app.MapGet(FlowsEndpoint.ListRoute, FlowsEndpoint.ListAsync).WithMetadata(ReadAccess.Required);
        app.MapGet(FlowsEndpoint.ItemRoute, FlowsEndpoint.GetAsync).WithMetadata(ReadAccess.Required);
        app.MapGet(PluginsEndpoint.Route, PluginsEndpoint.HandleAsync).WithMetadata(ReadAccess.Required);
        app.MapGet(UsageEndpoint.Route, UsageEndpoint.HandleAsync).WithMetadata(ReadAccess.Required);
        if (options.Metrics)
        {
            app.MapPrometheusScrapingEndpoint(MetricsRoute).WithMetadata(ReadAccess.Required);
        }

        return app;
    }
}
