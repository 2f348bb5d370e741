using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Templates;
using PluggableFlows.Engine.Plugins;

namespace PluggableFlows.Host;

/// <summary>A flow the server accepts leads for, with the file it was read from (secret files are relative to it).</summary>
internal sealed record HostedFlow(CompiledFlow Flow, string File);

/// <summary>
/// The flows the server serves, by id: every flow file in the flows folder that compiles against the loaded plugins.
/// A file with problems is logged with each diagnostic and not served; the rest are. When watching, a changed, new or
/// deleted flow file (or a rule, list or template file beside the flows) is checked and compiled in the background and
/// swapped in whole: an edit with problems keeps the previous version serving.
/// </summary>
/// <remarks>
/// Readers never lock: they read one immutable <see cref="Snapshot"/>, which the single reload worker replaces. A lead
/// holds the <see cref="CompiledFlow"/> it started with, so it finishes on that version whatever is swapped in meanwhile.
/// </remarks>
internal sealed partial class HostedFlows : IDisposable
{
    // Queued when the watcher lost events (its buffer overflowed): only a full rescan is sure to see everything.
    private const string RescanAll = "";

    /// <summary>How long the folder must stay quiet before a burst of changes is reloaded: editors write a file in
    /// several steps (truncate, write, rename), and each step must not be compiled on its own.</summary>
    internal static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(250);

    // Beside the flows folder, in the scripts folder: what FlowCatalog reads while loading a flow.
    private static readonly string[] DependencyFolders = ["rules", "lists", "templates"];

    private readonly FlowCatalog _catalog;
    private readonly ILogger<HostedFlows> _logger;
    private readonly bool _allowAnonymousSources;
    private readonly string _folder;

    // Touched only by the constructor, then by the reload worker alone: the last load of each flow file.
    private readonly Dictionary<string, FileState> _files = new(StringComparer.Ordinal);
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly Channel<string> _changes = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _worker = Task.CompletedTask;
    private Snapshot _snapshot = Snapshot.Empty;

    public HostedFlows(FieldTypeRegistry types, IIntegrationRegistry integrations, IOptions<LeadServerOptions> options,
        ILogger<HostedFlows> logger, TemplateEngine? templates = null)
    {
        var settings = options.Value;
        _logger = logger;
        _allowAnonymousSources = settings.AllowAnonymousSources;
        _catalog = new FlowCatalog(types, integrations, templates);
        _folder = Path.GetFullPath(settings.FlowsPath);
        if (!Directory.Exists(_folder))
        {
            throw new InvalidOperationException(
                $"The flows folder '{_folder}' does not exist. Set {LeadServerOptions.SectionName}:FlowsPath " +
                $"(environment: {LeadServerOptions.SectionName}__FlowsPath) to the folder holding your flow files.");
        }

        if (settings.WatchFlows)
        {
            // Watch before the first load, so an edit made while it runs is reloaded rather than missed.
            Watch();
        }

        foreach (var file in FlowCatalog.FlowFiles(_folder))
        {
            Load(file);
        }

        Publish();
        if (settings.WatchFlows)
        {
            _worker = Task.Run(() => ReloadLoopAsync(_stopping.Token));
        }
    }

    /// <summary>Raised after a reload has swapped in a new set of served flows (on the reload worker's thread).</summary>
    public event EventHandler? Reloaded;

    /// <summary>How many flows are served.</summary>
    public int Count => Volatile.Read(ref _snapshot).Flows.Count;

    /// <summary>How many flow files are not served as they are now (problems, or a flow id already served).</summary>
    public int FailedFiles => Volatile.Read(ref _snapshot).FailedFiles;

    /// <summary>The flows served now, by id; a snapshot that later reloads do not change.</summary>
    public IReadOnlyDictionary<string, HostedFlow> All => Volatile.Read(ref _snapshot).Flows;

    /// <summary>How many times the served flows have been swapped since start (0 after the first load).</summary>
    public long Generation => Volatile.Read(ref _snapshot).Generation;

    /// <summary>Whether the flows folder is watched (<see cref="LeadServerOptions.WatchFlows"/>).</summary>
    public bool IsWatching => _watchers.Count > 0;

    public bool TryGet(string id, [NotNullWhen(true)] out HostedFlow? flow) => Volatile.Read(ref _snapshot).Flows.TryGetValue(id, out flow);

    public void Dispose()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }

        _changes.Writer.TryComplete();
        _stopping.Cancel();
        try
        {
            // The worker may be compiling a flow; let it finish rather than unload the plugins under it.
            _worker.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    private void Watch()
    {
        AddWatcher(_folder, includeSubdirectories: false);
        var scriptsRoot = Path.GetDirectoryName(_folder);
        foreach (var name in DependencyFolders)
        {
            var folder = scriptsRoot is null ? null : Path.Combine(scriptsRoot, name);
            if (folder is not null && Directory.Exists(folder))
            {
                AddWatcher(folder, includeSubdirectories: true);
            }
        }
    }

    private void AddWatcher(string folder, bool includeSubdirectories)
    {
        // No name filter: a flow renamed to something.yaml.bak must be seen leaving, which a *.yaml filter can miss.
        var watcher = new FileSystemWatcher(folder)
        {
            IncludeSubdirectories = includeSubdirectories,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        watcher.Changed += (_, e) => _changes.Writer.TryWrite(e.FullPath);
        watcher.Created += (_, e) => _changes.Writer.TryWrite(e.FullPath);
        watcher.Deleted += (_, e) => _changes.Writer.TryWrite(e.FullPath);
        watcher.Renamed += (_, e) =>
        {
            _changes.Writer.TryWrite(e.OldFullPath);
            _changes.Writer.TryWrite(e.FullPath);
        };
        watcher.Error += (_, _) => _changes.Writer.TryWrite(RescanAll);
        watcher.EnableRaisingEvents = true;
        _watchers.Add(watcher);
    }

    private async Task ReloadLoopAsync(CancellationToken stopping)
    {
        var reader = _changes.Reader;
        var pending = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            while (await reader.WaitToReadAsync(stopping))
            {
                await CollectBurstAsync(reader, pending, stopping);
                try
                {
                    Reload(pending);
                }
#pragma warning disable CA1031 // The worker must outlive any one bad reload: the previous flows keep serving.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    LogReloadFailed(_logger, e);
                }

                pending.Clear();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    // Takes changes until none has come for the debounce interval.
    private static async Task CollectBurstAsync(ChannelReader<string> reader, HashSet<string> pending, CancellationToken stopping)
    {
        while (true)
        {
            while (reader.TryRead(out var path))
            {
                pending.Add(path);
            }

            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            quiet.CancelAfter(Debounce);
            try
            {
                if (!await reader.WaitToReadAsync(quiet.Token))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private void Reload(HashSet<string> changed)
    {
        var rescan = changed.Contains(RescanAll) || changed.Any(path => !IsInFlowsFolder(path));
        var files = rescan
            ? FlowCatalog.FlowFiles(_folder).Union(_files.Keys, StringComparer.Ordinal).ToArray()
            : changed.Where(IsFlowFile).ToArray();
        if (files.Length == 0)
        {
            return;
        }

        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            if (File.Exists(file))
            {
                Load(file);
            }
            else if (_files.Remove(file, out var gone) && gone.Served is { } served)
            {
                LogFlowFileDeleted(_logger, file, served.Flow.Id);
            }
        }

        Publish();
        Reloaded?.Invoke(this, EventArgs.Empty);
    }

    private bool IsInFlowsFolder(string path) =>
        path.Length > 0 && string.Equals(Path.GetDirectoryName(path), _folder, StringComparison.Ordinal);

    private bool IsFlowFile(string path) =>
        IsInFlowsFolder(path)
        && (path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase));

    // Loads one file; a file with problems keeps the version it served before, if any.
    private void Load(string file)
    {
        FlowLoad load;
        try
        {
            load = _catalog.LoadFile(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Still being written, or gone between the event and the read: the next event reloads it.
            LogFlowFileUnreadable(_logger, file, e.Message);
            return;
        }

        _files.TryGetValue(file, out var previous);
        if (!load.Succeeded)
        {
            foreach (var diagnostic in load.Diagnostics)
            {
                LogDiagnostic(_logger, diagnostic.ToString());
            }

            if (previous?.Served is { } kept)
            {
                LogFlowKept(_logger, file, load.Diagnostics.Count, kept.Flow.Id, kept.Flow.Definition.Version);
            }
            else
            {
                LogFlowSkipped(_logger, file, load.Diagnostics.Count);
            }

            _files[file] = new FileState(previous?.Served, Failed: true);
            return;
        }

        var flow = load.Flow!;
        var hosted = new HostedFlow(flow, file);
        if (previous?.Served is { } replaced)
        {
            if (replaced.Flow.Id != flow.Id)
            {
                LogFlowRenamed(_logger, file, replaced.Flow.Id, flow.Id);
            }

            LogFlowReloaded(_logger, flow.Id, file, replaced.Flow.Definition.Version, flow.Definition.Version);
        }

        _files[file] = new FileState(hosted, Failed: false);
        if (!_allowAnonymousSources)
        {
            foreach (var source in flow.Definition.Sources.Where(s => s.ApiKey is null))
            {
                LogAnonymousSourceRefused(_logger, flow.Id, source.Id);
            }
        }
    }

    // Builds the served set from the files' states, in file name order (the first file with an id serves it), and
    // swaps it in.
    private void Publish()
    {
        var previous = Volatile.Read(ref _snapshot);
        var flows = new Dictionary<string, HostedFlow>(StringComparer.Ordinal);
        var failed = 0;
        foreach (var (file, state) in _files.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (state.Failed)
            {
                failed++;
            }

            if (state.Served is not { } hosted)
            {
                continue;
            }

            if (flows.TryGetValue(hosted.Flow.Id, out var first))
            {
                failed++;
                LogDuplicateFlow(_logger, file, hosted.Flow.Id, first.File);
                continue;
            }

            flows[hosted.Flow.Id] = hosted;
            if (!previous.Flows.TryGetValue(hosted.Flow.Id, out var was) || !ReferenceEquals(was, hosted))
            {
                LogFlowServed(_logger, hosted.Flow.Id, file, hosted.Flow.Definition.Version, hosted.Flow.Definition.Sources.Count);
            }
        }

        foreach (var id in previous.Flows.Keys.Where(id => !flows.ContainsKey(id)))
        {
            LogFlowNoLongerServed(_logger, id, previous.Flows[id].File);
        }

        Volatile.Write(ref _snapshot, new Snapshot(flows.ToFrozenDictionary(StringComparer.Ordinal), failed, previous.Generation + 1));
    }

    /// <summary>The served flows at one moment: replaced whole, never changed.</summary>
    private sealed record Snapshot(FrozenDictionary<string, HostedFlow> Flows, int FailedFiles, long Generation)
    {
        public static readonly Snapshot Empty = new(FrozenDictionary<string, HostedFlow>.Empty, 0, -1);
    }

    /// <summary>A flow file's last load: the version it serves (kept when a later edit has problems) and whether the
    /// file as it is now failed.</summary>
    private sealed record FileState(HostedFlow? Served, bool Failed);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Diagnostic}")]
    private static partial void LogDiagnostic(ILogger logger, string diagnostic);

    [LoggerMessage(Level = LogLevel.Error, Message = "{File}: the flow has {Count} problem(s) and is not served; 'pflow check' lists them.")]
    private static partial void LogFlowSkipped(ILogger logger, string file, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "{File}: the edited flow has {Count} problem(s); flow '{FlowId}' keeps serving its previous version {Version}.")]
    private static partial void LogFlowKept(ILogger logger, string file, int count, string flowId, string version);

    [LoggerMessage(Level = LogLevel.Error, Message = "{File}: flow '{FlowId}' is already served from {First}; this file is not served.")]
    private static partial void LogDuplicateFlow(ILogger logger, string file, string flowId, string first);

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving flow '{FlowId}' version {Version} from {File} ({Sources} source(s)).")]
    private static partial void LogFlowServed(ILogger logger, string flowId, string file, string version, int sources);

    [LoggerMessage(Level = LogLevel.Information, Message = "{File}: flow '{FlowId}' reloaded, version {OldVersion} → {NewVersion}; leads already running finish on the old version.")]
    private static partial void LogFlowReloaded(ILogger logger, string flowId, string file, string oldVersion, string newVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{File}: the flow id changed from '{OldId}' to '{NewId}'; '{OldId}' is no longer served.")]
    private static partial void LogFlowRenamed(ILogger logger, string file, string oldId, string newId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{File} was deleted: flow '{FlowId}' is no longer served.")]
    private static partial void LogFlowFileDeleted(ILogger logger, string file, string flowId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Flow '{FlowId}' (from {File}) is no longer served.")]
    private static partial void LogFlowNoLongerServed(ILogger logger, string flowId, string file);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{File} could not be read ({Reason}); it is reloaded on its next change.")]
    private static partial void LogFlowFileUnreadable(ILogger logger, string file, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reloading the flows failed; the flows served before keep serving.")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Flow '{FlowId}', source '{SourceId}' has no api_key, so its leads are refused (401). " +
        "Give it an api_key, or set " + LeadServerOptions.SectionName + ":AllowAnonymousSources to true to accept them without one.")]
    private static partial void LogAnonymousSourceRefused(ILogger logger, string flowId, string sourceId);
}
