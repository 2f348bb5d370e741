using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PluggableFlows.Host.Tests;

/// <summary>
/// A lead server of its own over a scratch scripts folder (flows/, rules/, flows/keys/), for tests that change the
/// folder or stop the server. Its log is kept, so tests can read what it said.
/// </summary>
internal sealed class ScratchServer : IAsyncDisposable
{
    public const string Key = "scratch-key";

    private WebApplication? _app;

    /// <summary>Makes the scratch folder; write flows into it, then <see cref="StartAsync"/>.</summary>
    public ScratchServer()
    {
        Directory.CreateDirectory(Path.Combine(Root, "scripts", "flows", "keys"));
        Directory.CreateDirectory(Path.Combine(Root, "scripts", "rules"));
        File.WriteAllText(Path.Combine(Flows, "keys", "scratch.key"), Key);
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "pflow-host-tests", Guid.NewGuid().ToString("N"));

    public string Flows => Path.Combine(Root, "scripts", "flows");

    public string Rules => Path.Combine(Root, "scripts", "rules");

    public string Deliveries => Path.Combine(Root, "deliveries.jsonl");

    public WebApplication App => _app ?? throw new InvalidOperationException("Not started.");

    public HttpClient Client { get; private set; } = null!;

    public LogCollector Log { get; } = new();

    public HostedFlows HostedFlows => App.Services.GetRequiredService<HostedFlows>();

    /// <summary>Starts the server over the scratch folder.</summary>
    public async Task<ScratchServer> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var (app, address) = await LeadServerFixture.StartAsync(new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["PluggableFlows:FlowsPath"] = Flows,
            ["PluggableFlows:DataPath"] = Path.Combine(Root, "data"),
        }, Log);
        _app = app;
        Client = LeadServerFixture.CreateClient(address);
        return this;
    }

    /// <summary>Writes a flow file into the flows folder.</summary>
    public Task WriteFlowAsync(string file, string yaml) => File.WriteAllTextAsync(Path.Combine(Flows, file), yaml);

    /// <summary>A flow with one source (key <see cref="Key"/>) whose filter stops leads named <c>stop</c> with
    /// <paramref name="reason"/>, then a delivery to <see cref="Deliveries"/> recording the flow's version.</summary>
    public string Flow(string id, string reason, string extraSteps = "") => $$$"""
        id: {{{id}}}
        fields: [first_name]
        sources:
          - id: vendor
            api_key: { file: keys/scratch.key }
        steps:
        {{{extraSteps}}}
          - key: stopper
            type: filter
            stop_if:
              rules:
                - { lhv: lead.first_name, op: is equal to, rhv: stop }
            reason: "{{{reason}}}"
          - key: warehouse
            type: delivery
            integration: file.jsonl
            inputs:
              path: {{{Deliveries}}}
              lead_id: "{{ lead.id }}"
              version: "{{ flow.version }}"
        """;

    public Task<HttpResponseMessage> SubmitAsync(string flow, string firstName) =>
        Client.SendAsync(LeadServerFixture.Submit(LeadServerFixture.Json($$"""{"first_name":"{{firstName}}"}"""), source: "vendor", key: Key, flow: flow));

    /// <summary>Waits (polling, up to 30 s) until the server has swapped its flows since <paramref name="generation"/>.</summary>
    public async Task WaitForReloadAsync(long generation)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (HostedFlows.Generation <= generation)
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Root, recursive: true);
    }
}

/// <summary>Keeps every log message, with its level and category.</summary>
internal sealed class LogCollector : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Category, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCollector collector, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            collector.Entries.Enqueue((logLevel, category, formatter(state, exception)));
    }
}
