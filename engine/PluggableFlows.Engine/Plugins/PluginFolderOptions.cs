namespace PluggableFlows.Engine.Plugins;

/// <summary>Where plugins live and whether changes to them are picked up while the engine runs.</summary>
public sealed class PluginFolderOptions
{
    /// <summary>The plugins folder: one subfolder per plugin. Defaults to <c>plugins/</c> next to the app.</summary>
    public string Path { get; set; } = System.IO.Path.Combine(AppContext.BaseDirectory, "plugins");

    /// <summary>Whether adding, replacing or removing a plugin's files reloads it without a restart. Default true.</summary>
    public bool Watch { get; set; } = true;

    /// <summary>How long a plugin folder must be quiet before it is reloaded, so a copy in progress is loaded once,
    /// complete. Default 250 ms.</summary>
    public TimeSpan ReloadDelay { get; set; } = TimeSpan.FromMilliseconds(250);
}

/// <summary>Why a plugin (or one of its integrations) was not loaded.</summary>
/// <param name="Plugin">The plugin's name (its folder name).</param>
/// <param name="Folder">The plugin's folder.</param>
/// <param name="Message">What went wrong and how to fix it; names the plugin.</param>
public sealed record PluginLoadError(string Plugin, string Folder, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Message} ({Folder})";
}
