namespace PluggableFlows.Engine.Storage;

/// <summary>Where the embedded SQLite store lives and how long a writer waits for another.</summary>
public sealed class StoreOptions
{
    /// <summary>The default database path, relative to the working directory.</summary>
    public const string DefaultPath = "data/pflow.db";

    /// <summary>The database file; relative paths are resolved against the working directory. The file and its folder
    /// are created when missing. <c>data/pflow.db</c> by default.</summary>
    public string Path { get; set; } = DefaultPath;

    /// <summary>How long a statement waits for another connection (or process) holding the write lock before it
    /// fails. 10 s by default.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
