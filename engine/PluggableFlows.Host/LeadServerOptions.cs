namespace PluggableFlows.Host;

/// <summary>The lead server's settings: the <c>PluggableFlows</c> section of the configuration (appsettings.json,
/// then environment variables such as <c>PluggableFlows__FlowsPath</c>). Relative paths are resolved against the
/// working directory.</summary>
public sealed class LeadServerOptions
{
    /// <summary>The configuration section these settings are read from.</summary>
    public const string SectionName = "PluggableFlows";

    /// <summary>Where Kestrel listens when <c>Urls</c> is not configured.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>The folder of flow files served. <c>scripts/flows</c> by default.</summary>
    public string FlowsPath { get; set; } = "scripts/flows";

    /// <summary>The plugins folder: one subfolder per plugin. By default <c>plugins/</c> next to the host binary, where
    /// the build places the first-party plugins.</summary>
    public string PluginsPath { get; set; } = Path.Combine(AppContext.BaseDirectory, "plugins");

    /// <summary>Whether a plugin whose files change is reloaded without a restart. Default true.</summary>
    public bool WatchPlugins { get; set; } = true;

    /// <summary>Whether flow files (and the rule, list and template files beside them) are watched, and a changed flow
    /// checked, compiled and swapped in without a restart. Default true.</summary>
    public bool WatchFlows { get; set; } = true;

    /// <summary>How long stopping waits for submissions already running to finish before giving up on them. New
    /// submissions are answered 503 meanwhile. 30 seconds by default.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Where the embedded SQLite store (<c>pflow.db</c>) lives. <c>data</c> by default.</summary>
    public string DataPath { get; set; } = "data";

    /// <summary>The largest request body accepted, in bytes; a larger one is answered 413. 1 MB by default.</summary>
    public long MaxRequestBodySize { get; set; } = 1024 * 1024;

    /// <summary>Whether leads are accepted for sources that have no <c>api_key</c>. Off by default, so a forgotten key
    /// never opens a flow to anyone who can reach the server.</summary>
    public bool AllowAnonymousSources { get; set; }

    /// <summary>How long an <c>Idempotency-Key</c> is remembered: a repeat within it gets the first answer. 24 hours by default.</summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often the retry outbox is checked for due retries. One second by default.</summary>
    public TimeSpan RetryPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The most outbox rows worked (or waited on) at once. 256 by default.</summary>
    public int MaxRetriesInFlight { get; set; } = 256;

    /// <summary>The key the read APIs (leads, events, flows, plugins, usage, metrics) require, as a Bearer token or
    /// <c>X-Api-Key</c>. Unset by default: they then answer callers on this machine only. Set it from the environment
    /// (<c>PluggableFlows__AdminApiKey</c>) or a secrets store, never in a file kept in git.</summary>
    public string? AdminApiKey { get; set; }
    /// <summary>Whether the engine's metrics (and the runtime's) are collected and served for Prometheus at
    /// <c>GET /metrics</c>. Default true.</summary>
    public bool Metrics { get; set; } = true;
}
