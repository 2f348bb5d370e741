using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PluggableFlows.Engine.Plugins;

/// <summary>
/// The integrations of every plugin in a plugins folder: one subfolder per plugin, each loaded into its own collectible
/// load context that shares only <c>PluggableFlows.Sdk</c> with the host. A plugin that cannot load is reported in
/// <see cref="Errors"/> and skipped. With <see cref="PluginFolderOptions.Watch"/>, adding, replacing or removing a
/// plugin's files swaps it in or out while leads keep flowing: a lead holds an <see cref="IntegrationLease"/> on the set
/// it started with, and an old version is unloaded when the last lead using it is done.
/// </summary>
public sealed partial class PluginCatalog : IIntegrationRegistry, IDisposable
{
    private readonly PluginFolderOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _root;

    // Writers (scans, reloads, dispose) take the gate; readers only read _current.
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LoadedPlugin> _loaded = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<PluginLoadError>> _loadErrors = new(StringComparer.Ordinal);
    // Debounce timers have their own lock so file events never wait for a load in progress.
    private readonly Lock _pendingGate = new();
    private readonly Dictionary<string, ITimer> _pendingReloads = new(StringComparer.Ordinal);
    private CatalogSnapshot _current = CatalogSnapshot.CreateEmpty();
    private IReadOnlyList<PluginLoadError> _errors = [];
    private FileSystemWatcher? _watcher;
    private long _nextOrder;
    private bool _disposed;

    /// <summary>Creates a catalog over <paramref name="options"/>' folder. Call <see cref="Load"/> to scan it.</summary>
    public PluginCatalog(PluginFolderOptions options, TimeProvider time, ILogger<PluginCatalog>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _time = time;
        _logger = logger ?? (ILogger)NullLogger<PluginCatalog>.Instance;
        _root = Path.GetFullPath(options.Path);
    }

    /// <summary>Raised after each swap of the loaded plugins (a scan, a reload, a folder added or removed).</summary>
    public event EventHandler? Changed;

    /// <summary>Why plugins or integrations are not loaded, as of each folder's latest load attempt. A plugin whose
    /// reload failed keeps running at its previous version and has its error here.</summary>
    public IReadOnlyList<PluginLoadError> Errors => Volatile.Read(ref _errors);

    /// <summary>The plugins now loaded.</summary>
    public IReadOnlyList<PluginInfo> Plugins => Volatile.Read(ref _current).Plugins;

    /// <inheritdoc />
    public IReadOnlyCollection<IntegrationRegistration> All => Volatile.Read(ref _current).All;

    /// <inheritdoc />
    public bool TryGet(string id, [NotNullWhen(true)] out IntegrationRegistration? registration) =>
        Volatile.Read(ref _current).TryGet(id, out registration);

    /// <inheritdoc />
    public IntegrationLease Acquire()
    {
        while (true)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
            var snapshot = Volatile.Read(ref _current);
            if (snapshot.TryAddReference())
            {
                return new Lease(snapshot);
            }

            // Superseded and drained between the read and the increment: the next read sees its successor.
        }
    }

    /// <summary>Scans the plugins folder and, when watching, starts watching it. Calling it again rescans.</summary>
    public void Load()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_options.Watch && _watcher is null)
            {
                // Watch before scanning, so nothing dropped in during the scan is missed.
                Directory.CreateDirectory(_root);
                _watcher = StartWatching();
            }
        }

        Reload();
    }

    /// <summary>Reloads every plugin folder: new folders load, changed or unchanged ones load afresh, removed ones
    /// unload. A folder that fails to load keeps its previous version running.</summary>
    public void Reload()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var folders = Directory.Exists(_root)
                ? Directory.GetDirectories(_root).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
                : [];
            foreach (var removed in _loaded.Keys.Concat(_loadErrors.Keys).Except(folders).ToList())
            {
                Remove(removed);
            }

            foreach (var name in folders)
            {
                LoadFolder(name);
            }

            Publish();
        }

        Changed?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>Stops watching and releases the plugins; each unloads once the leads using it are done.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            Volatile.Write(ref _disposed, true);
            _watcher?.Dispose();
            lock (_pendingGate)
            {
                foreach (var timer in _pendingReloads.Values)
                {
                    timer.Dispose();
                }

                _pendingReloads.Clear();
            }

            _loaded.Clear();
            Interlocked.Exchange(ref _current, CatalogSnapshot.CreateEmpty()).Release();
        }
    }

    private void ReloadFolder(string name)
    {
        lock (_pendingGate)
        {
            _pendingReloads.Remove(name, out var timer);
            timer?.Dispose();
        }

        try
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }

                if (Directory.Exists(Path.Combine(_root, name)))
                {
                    LoadFolder(name);
                }
                else if (!Remove(name))
                {
                    return;
                }

                Publish();
            }

            Changed?.Invoke(this, EventArgs.Empty);
        }
#pragma warning disable CA1031 // This runs on a timer thread: an escaping exception would take the whole host down.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogReloadFailed(_logger, name, ex);
        }
    }

    private void LoadFolder(string name)
    {
        var folder = Path.Combine(_root, name);
        var previous = _loaded.GetValueOrDefault(name);
        var plugin = PluginFolderLoader.Load(folder, previous?.Order ?? _nextOrder++, out var errors);
        if (plugin is null)
        {
            if (previous is not null)
            {
                errors = [.. errors.Select(error => error with { Message = $"{error.Message} Version {previous.Info.Version} keeps running." })];
            }

            foreach (var error in errors)
            {
                LogLoadError(_logger, error.Message, error.Folder);
            }

            _loadErrors[name] = errors;
            return;
        }

        _loadErrors.Remove(name);
        _loaded[name] = plugin;
        LogLoaded(_logger, plugin.Info.Name, plugin.Info.Version, folder,
            string.Join(", ", plugin.Registrations.Select(registration => registration.Descriptor.Id)));
    }

    private bool Remove(string name)
    {
        var hadErrors = _loadErrors.Remove(name);
        if (!_loaded.Remove(name, out var plugin))
        {
            return hadErrors;
        }

        LogRemoved(_logger, plugin.Info.Name, plugin.Info.Version);
        return true;
    }

    /// <summary>Swaps in a snapshot of what is loaded now. The earlier-loaded plugin keeps an id two plugins declare.</summary>
    private void Publish()
    {
        var plugins = _loaded.Values.OrderBy(plugin => plugin.Order).ToArray();
        var byId = new Dictionary<string, IntegrationRegistration>(StringComparer.OrdinalIgnoreCase);
        var errors = _loadErrors.Values.SelectMany(list => list).ToList();
        foreach (var plugin in plugins)
        {
            foreach (var registration in plugin.Registrations)
            {
                var id = registration.Descriptor.Id;
                if (byId.TryGetValue(id, out var existing))
                {
                    var error = new PluginLoadError(plugin.Info.Name, plugin.Info.Folder ?? "",
                        $"Integration '{id}' of plugin '{plugin.Info.Name}' was refused: plugin '{existing.Plugin.Name}' already provides '{id}'. " +
                        "Integration ids are global; rename one of them or remove one of the plugins.");
                    LogLoadError(_logger, error.Message, error.Folder);
                    errors.Add(error);
                    continue;
                }

                byId.Add(id, registration);
            }
        }

        var next = new CatalogSnapshot(plugins, byId.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase));
        Interlocked.Exchange(ref _current, next).Release();
        Volatile.Write(ref _errors, errors.OrderBy(error => error.Plugin, StringComparer.Ordinal).ToArray());
    }

    private FileSystemWatcher StartWatching()
    {
        var watcher = new FileSystemWatcher(_root)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        watcher.Created += OnFileChanged;
        watcher.Changed += OnFileChanged;
        watcher.Deleted += OnFileChanged;
        watcher.Renamed += (_, e) =>
        {
            ScheduleReload(e.OldFullPath);
            ScheduleReload(e.FullPath);
        };
        watcher.Error += (_, e) =>
        {
            // The watcher's buffer overflowed: changes were lost, so look at everything again.
            LogWatchError(_logger, _root, e.GetException());
            foreach (var folder in Directory.Exists(_root) ? Directory.GetDirectories(_root) : [])
            {
                ScheduleReload(folder);
            }
        };
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    private void OnFileChanged(object sender, FileSystemEventArgs e) => ScheduleReload(e.FullPath);

    /// <summary>Debounces per plugin folder: a copy raises many events; the folder reloads once it has been quiet for
    /// <see cref="PluginFolderOptions.ReloadDelay"/>.</summary>
    private void ScheduleReload(string path)
    {
        var relative = Path.GetRelativePath(_root, path);
        if (relative == "." || relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            return;
        }

        var name = relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)[0];
        lock (_pendingGate)
        {
            if (Volatile.Read(ref _disposed))
            {
                return;
            }

            if (_pendingReloads.TryGetValue(name, out var timer))
            {
                timer.Change(_options.ReloadDelay, Timeout.InfiniteTimeSpan);
            }
            else
            {
                _pendingReloads[name] = _time.CreateTimer(_ => ReloadFolder(name), null, _options.ReloadDelay, Timeout.InfiniteTimeSpan);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded plugin {Plugin} {Version} from {Folder}: {Integrations}")]
    private static partial void LogLoaded(ILogger logger, string plugin, string version, string folder, string integrations);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Message} ({Folder})")]
    private static partial void LogLoadError(ILogger logger, string message, string folder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed plugin {Plugin} {Version}; it unloads when the leads using it are done")]
    private static partial void LogRemoved(ILogger logger, string plugin, string version);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reloading plugin {Plugin} failed")]
    private static partial void LogReloadFailed(ILogger logger, string plugin, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching plugins folder {Folder} failed; rescanning every plugin")]
    private static partial void LogWatchError(ILogger logger, string folder, Exception exception);

    /// <summary>Pins one snapshot: reads are a dictionary lookup, disposing drops the pin once.</summary>
    private sealed class Lease(CatalogSnapshot snapshot) : IntegrationLease
    {
        private CatalogSnapshot? _snapshot = snapshot;

        public override bool TryGet(string id, [NotNullWhen(true)] out IntegrationRegistration? registration)
        {
            var pinned = Volatile.Read(ref _snapshot);
            ObjectDisposedException.ThrowIf(pinned is null, this);
            return pinned.TryGet(id, out registration);
        }

        protected override void Dispose(bool disposing)
        {
            // Dropping the reference matters: a disposed lease someone still holds must not keep an old plugin alive.
            Interlocked.Exchange(ref _snapshot, null)?.Release();
            base.Dispose(disposing);
        }
    }
}
