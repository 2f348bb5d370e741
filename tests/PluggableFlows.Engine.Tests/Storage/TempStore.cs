using PluggableFlows.Engine.Storage;

namespace PluggableFlows.Engine.Tests.Storage;

/// <summary>A real SQLite file in its own temp folder, deleted afterwards.</summary>
internal sealed class TempStore : IDisposable
{
    public TempStore()
    {
        Folder = Path.Combine(Path.GetTempPath(), "pflow-store-tests", Guid.NewGuid().ToString("N"));
        FilePath = Path.Combine(Folder, "data", "pflow.db");
        Store = Open();
    }

    public string Folder { get; }

    public string FilePath { get; }

    public SqliteStore Store { get; private set; }

    public SqliteStore Open() => new(new StoreOptions { Path = FilePath });

    /// <summary>Closes every connection to the file and opens it again, as a restarted process would.</summary>
    public SqliteStore Reopen()
    {
        Store.Dispose();
        Store = Open();
        return Store;
    }

    public void Dispose()
    {
        Store.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
