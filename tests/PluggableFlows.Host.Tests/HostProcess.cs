using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PluggableFlows.Host.Tests;

/// <summary>
/// The lead server as its own process (<c>dotnet PluggableFlows.Host.dll</c> from next to the tests, with the
/// first-party plugins there), on a loopback port picked for it, so a test can kill it as a crash would.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private HostProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    /// <summary>What the process has written so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join(Environment.NewLine, _output);
            }
        }
    }

    /// <summary>Starts the server with the given settings (configuration keys, e.g. <c>PluggableFlows:FlowsPath</c>) and
    /// waits until <c>/health</c> answers.</summary>
    public static async Task<HostProcess> StartAsync(IReadOnlyDictionary<string, string> settings, int? port = null)
    {
        port ??= FreePort();
        var host = Path.Combine(AppContext.BaseDirectory, "PluggableFlows.Host.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(host);
        start.Environment["Urls"] = $"http://127.0.0.1:{port}";
        start.Environment["PluggableFlows__WatchPlugins"] = "false";
        // The stub CRMs and providers tests deliver to listen on loopback, which a host refuses by default.
        start.Environment["PluggableFlows__Pipeline__AllowLoopbackDeliveries"] = "true";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var server = new HostProcess(process, new Uri($"http://127.0.0.1:{port}"));
        using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server exited ({process.ExitCode}):{Environment.NewLine}{server.Output}");
            }

            try
            {
                using var health = await client.GetAsync("/health");
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                await server.DisposeAsync();
                throw new TimeoutException($"The server did not answer /health within a minute:{Environment.NewLine}{server.Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Kills the process at once, as a crash or <c>kill -9</c> would: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.Add(line);
            }
        }
    }
}
