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

    /// <summary>Where the embedded SQLite store (<c>pflow.db</c>) lives. <c>data</c> by default.</summary>
    public string DataPath { get; set; } = "data";

    /// <summary>The largest request body accepted, in bytes; a larger one is answered 413. 1 MB by default.</summary>
    public long MaxRequestBodySize { get; set; } = 1024 * 1024;

    /// <summary>Whether leads are accepted for sources that have no <c>api_key</c>. Off by default, so a forgotten key
    /// never opens a flow to anyone who can reach the server.</summary>
    public bool AllowAnonymousSources { get; set; }

    /// <summary>Whether the engine's metrics (and the runtime's) are collected and served for Prometheus at
    /// <c>GET /metrics</c>. Default true.</summary>
    public bool Metrics { get; set; } = true;
}
