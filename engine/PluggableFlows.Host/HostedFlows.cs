using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Plugins;

namespace PluggableFlows.Host;

/// <summary>A flow the server accepts leads for, with the file it was read from (secret files are relative to it).</summary>
internal sealed record HostedFlow(CompiledFlow Flow, string File);

/// <summary>
/// The flows the server serves, by id: every flow file in the flows folder that compiles against the loaded plugins.
/// A file with problems is logged with each diagnostic and not served; the rest are.
/// </summary>
internal sealed partial class HostedFlows
{
    private readonly FrozenDictionary<string, HostedFlow> _flows;

    public HostedFlows(FieldTypeRegistry types, IIntegrationRegistry integrations, IOptions<LeadServerOptions> options,
        ILogger<HostedFlows> logger)
    {
        var settings = options.Value;
        var folder = Path.GetFullPath(settings.FlowsPath);
        if (!Directory.Exists(folder))
        {
            throw new InvalidOperationException(
                $"The flows folder '{folder}' does not exist. Set {LeadServerOptions.SectionName}:FlowsPath " +
                $"(environment: {LeadServerOptions.SectionName}__FlowsPath) to the folder holding your flow files.");
        }

        var flows = new Dictionary<string, HostedFlow>(StringComparer.Ordinal);
        foreach (var load in new FlowCatalog(types, integrations).LoadFolder(folder))
        {
            if (!load.Succeeded)
            {
                FailedFiles++;
                foreach (var diagnostic in load.Diagnostics)
                {
                    LogDiagnostic(logger, diagnostic.ToString());
                }

                LogFlowSkipped(logger, load.File, load.Diagnostics.Count);
                continue;
            }

            var flow = load.Flow!;
            if (flows.TryGetValue(flow.Id, out var first))
            {
                FailedFiles++;
                LogDuplicateFlow(logger, load.File, flow.Id, first.File);
                continue;
            }

            flows[flow.Id] = new HostedFlow(flow, load.File);
            LogFlowServed(logger, flow.Id, load.File, flow.Definition.Sources.Count);
            if (!settings.AllowAnonymousSources)
            {
                foreach (var source in flow.Definition.Sources.Where(s => s.ApiKey is null))
                {
                    LogAnonymousSourceRefused(logger, flow.Id, source.Id);
                }
            }
        }

        _flows = flows.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Every flow served, with its file.</summary>
    public IReadOnlyCollection<HostedFlow> All => _flows.Values;

    /// <summary>How many flows are served.</summary>
    public int Count => _flows.Count;

    /// <summary>How many flow files could not be served (problems, or a flow id already served).</summary>
    public int FailedFiles { get; }

    public bool TryGet(string id, [NotNullWhen(true)] out HostedFlow? flow) => _flows.TryGetValue(id, out flow);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Diagnostic}")]
    private static partial void LogDiagnostic(ILogger logger, string diagnostic);

    [LoggerMessage(Level = LogLevel.Error, Message = "{File}: the flow has {Count} problem(s) and is not served; 'pflow check' lists them.")]
    private static partial void LogFlowSkipped(ILogger logger, string file, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "{File}: flow '{FlowId}' is already served from {First}; this file is not served.")]
    private static partial void LogDuplicateFlow(ILogger logger, string file, string flowId, string first);

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving flow '{FlowId}' from {File} ({Sources} source(s)).")]
    private static partial void LogFlowServed(ILogger logger, string flowId, string file, int sources);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Flow '{FlowId}', source '{SourceId}' has no api_key, so its leads are refused (401). " +
        "Give it an api_key, or set " + LeadServerOptions.SectionName + ":AllowAnonymousSources to true to accept them without one.")]
    private static partial void LogAnonymousSourceRefused(ILogger logger, string flowId, string sourceId);
}
