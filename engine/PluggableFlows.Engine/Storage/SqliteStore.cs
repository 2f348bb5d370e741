using Microsoft.Data.Sqlite;

namespace PluggableFlows.Engine.Storage;

/// <summary>
/// The embedded store: one SQLite file in WAL mode shared by the usage ledger, value lists and (later) leads and
/// events. Owns connection creation and the schema; the schema is created or migrated on first use, once per store,
/// inside a write transaction so two processes opening the same new file never both migrate it.
/// </summary>
public sealed class SqliteStore : IDisposable
{
    private readonly string _connectionString;
    private readonly int _busyTimeoutMs;
    private readonly SemaphoreSlim _migration = new(1, 1);
    private volatile bool _ready;

    /// <summary>Creates a store over <see cref="StoreOptions.Path"/>; nothing touches the disk until first use.</summary>
    public SqliteStore(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Path);
        FilePath = System.IO.Path.GetFullPath(options.Path);
        _busyTimeoutMs = (int)Math.Clamp(options.BusyTimeout.TotalMilliseconds, 0, int.MaxValue);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            // Microsoft.Data.Sqlite retries a busy statement until the command timeout; keep the two waits equal.
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        }.ToString();
    }

    /// <summary>The database file's full path.</summary>
    public string FilePath { get; }

    /// <summary>The schema version this build creates and understands.</summary>
    public static int SchemaVersion => StoreSchema.Migrations.Count;

    /// <summary>Opens a connection with the store's pragmas applied, creating or migrating the schema on first use.</summary>
    internal async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_ready)
        {
            await MigrateAsync(cancellationToken);
        }

        return await OpenConnectionAsync(cancellationToken);
    }

    /// <summary>Releases pooled connections so the file can be copied, moved or deleted.</summary>
    public void Dispose()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        _migration.Dispose();
    }

    private async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // synchronous=NORMAL is durable in WAL mode except for the last transactions on power loss, and avoids an
            // fsync per lead. These pragmas are per connection, so they are set on every open (pooled ones included).
            await ExecuteAsync(connection, $"PRAGMA busy_timeout = {_busyTimeoutMs}; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await _migration.WaitAsync(cancellationToken);
        try
        {
            if (_ready)
            {
                return;
            }

            if (System.IO.Path.GetDirectoryName(FilePath) is { Length: > 0 } folder)
            {
                Directory.CreateDirectory(folder);
            }

            await using var connection = await OpenConnectionAsync(cancellationToken);
            // The page size only takes effect on a new, empty file: 16 KB pages hold a lead's events in a few WAL frames
            // (one write each), where 4 KB pages need four times as many writes per commit.
            // The journal mode is stored in the file; switching needs no transaction open, and is a no-op once set.
            await ExecuteAsync(connection, "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL;", cancellationToken);

            // BEGIN IMMEDIATE takes the write lock before reading the version: a second process waits here and then
            // finds the schema already current instead of applying the same migration twice.
            await using var transaction = connection.BeginTransaction(deferred: false);
            await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY);", cancellationToken);
            var current = await ScalarAsync(connection, "SELECT COALESCE(MAX(version), 0) FROM schema_version;", cancellationToken);
            if (current > SchemaVersion)
            {
                throw new InvalidOperationException(
                    $"{FilePath}: the store has schema version {current}, newer than this pflow understands ({SchemaVersion}). " +
                    "Upgrade pflow, or point --store at another file.");
            }

            for (var version = (int)current + 1; version <= SchemaVersion; version++)
            {
                await ExecuteAsync(connection, StoreSchema.Migrations[version - 1], cancellationToken);
                await ExecuteAsync(connection, $"INSERT INTO schema_version (version) VALUES ({version});", cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            _ready = true;
        }
        finally
        {
            _migration.Release();
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // Fixed schema text and numbers formatted here; no user input.
        command.CommandText = sql;
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // Fixed schema text; no user input.
        command.CommandText = sql;
#pragma warning restore CA2100
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
