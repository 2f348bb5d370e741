using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using PluggableFlows.Cli.Commands;
using Spectre.Console;

namespace PluggableFlows.Cli.Tests;

public sealed partial class ServeCommandTests
{
    [Fact]
    public void Serve_options_become_the_servers_configuration_keys()
    {
        var arguments = ServeCommand.Arguments("http://127.0.0.1:6000", "my/flows", "my/data", "my/plugins");

        arguments.ShouldBe(
        [
            "--PluggableFlows:PluginsPath=my/plugins",
            "--urls=http://127.0.0.1:6000",
            "--PluggableFlows:FlowsPath=my/flows",
            "--PluggableFlows:DataPath=my/data",
        ]);
        ServeCommand.Arguments(null, null, null, "p").ShouldBe(["--PluggableFlows:PluginsPath=p"]);
    }

    [Fact]
    public async Task Serve_runs_the_lead_server_on_the_given_address_until_stopped()
    {
        var workspace = Pflow.Workspace();
        using var output = new StringWriter();
        var synchronizedOutput = TextWriter.Synchronized(output);
        using var error = new StringWriter();
        using var stop = new CancellationTokenSource();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, Interactive = InteractionSupport.No, Out = new AnsiConsoleOutput(output) });
        var app = new PflowApp(TextReader.Null, synchronizedOutput, error, console, Path.Combine(Pflow.CliBin, "plugins"));

        var serving = app.RunAsync(["serve", "--urls", "http://127.0.0.1:0",
            "--flows", Path.Combine(workspace, "scripts", "flows"), "--data", Path.Combine(workspace, "data")], stop.Token);
        var address = await ListeningAddressAsync(synchronizedOutput, output, serving);
        using (var client = new HttpClient { BaseAddress = address })
        using (var health = await client.GetAsync(new Uri("/health", UriKind.Relative)))
        {
            health.StatusCode.ShouldBe(HttpStatusCode.OK);
            using var json = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
            // Every sample flow shipped in scripts/flows is served.
            json.RootElement.GetProperty("flows").GetInt32().ShouldBe(Directory.GetFiles(Path.Combine(workspace, "scripts", "flows"), "*.yaml").Length);
            json.RootElement.GetProperty("flows").GetInt32().ShouldBeGreaterThan(1);
            json.RootElement.GetProperty("plugins").GetInt32().ShouldBeGreaterThan(0);
        }

        await stop.CancelAsync();
        (await serving.WaitAsync(TimeSpan.FromSeconds(60))).ShouldBe(0, error.ToString());
    }

    [Fact]
    public async Task Serve_with_a_missing_flows_folder_exits_2_naming_the_setting()
    {
        var workspace = Pflow.Workspace();

        var (exit, _, error) = await Pflow.InProcessAsync("", "serve", "--urls", "http://127.0.0.1:0",
            "--flows", Path.Combine(workspace, "no-such-folder"), "--data", Path.Combine(workspace, "data"));

        exit.ShouldBe(2);
        error.ShouldContain("PluggableFlows:FlowsPath");
    }

    private static async Task<Uri> ListeningAddressAsync(TextWriter writer, StringWriter output, Task<int> serving)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            string text;
            lock (writer)
            {
                text = output.ToString();
            }

            if (ServingLine().Match(text) is { Success: true } match)
            {
                return new Uri(match.Groups["url"].Value);
            }

            serving.IsCompleted.ShouldBeFalse($"pflow serve ended before listening: {text}");
            await Task.Delay(20, timeout.Token);
        }
    }

    [GeneratedRegex(@"Serving leads on (?<url>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ServingLine();
}
