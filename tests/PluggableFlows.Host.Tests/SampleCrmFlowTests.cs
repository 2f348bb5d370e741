using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using PluggableFlows.Testing;
using static PluggableFlows.Host.Tests.LeadServerFixture;

namespace PluggableFlows.Host.Tests;

/// <summary>
/// The sample flow <c>scripts/flows/auto-insurance-crm.yaml</c> as shipped (only its recipients' address moved to the
/// test's stub): it delivers through its own template and through each preset, and the recipients get exactly the bytes
/// their formats call for, whatever the lead holds.
/// </summary>
public sealed class SampleCrmFlowTests : IAsyncDisposable
{
    private const string ShippedAddress = "http://127.0.0.1:5090/";

    // Values that break hand-built payloads: quotes, an ampersand, a closing tag, a newline, emoji and right-to-left text.
    private const string Lead = """
        {"first_name":"Zoë \"Z\" & Co","last_name":"O'Brien </tag>\nline 2 🎉","Email":"zoe@example.com","Phone":"(512) 555-0123",
         "state":"TX","Zip":"78701","company":"Acme & <Sons>","city":"مدينة {{x}}","vehicle_year":2019}
        """;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "pflow-crm-flow-tests", Guid.NewGuid().ToString("N"));

    public async ValueTask DisposeAsync()
    {
        await Task.Yield();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task The_sample_CRM_flow_delivers_through_its_template_and_each_preset_with_the_exact_bytes()
    {
        using var crm = new LoopbackHttpServer(request => Answer(request.PathAndQuery));
        var flows = CopyScripts(crm.BaseUrl);
        var (app, address) = await StartAsync(new Dictionary<string, string?>
        {
            ["PluggableFlows:FlowsPath"] = flows,
            ["PluggableFlows:DataPath"] = Path.Combine(_root, "data"),
        });
        await using (app)
        {
            using var client = CreateClient(address);
            using var response = await client.SendAsync(Submit(Json(Lead), source: "acme", key: SampleKey(), flow: "auto-insurance-crm"));
            var answer = await SubmitTests.Answer(response);

            answer.Outcome.ShouldBe("success");
            var steps = await StepsAsync(client, answer.Id);
            foreach (var step in new[] { "crm", "salesforce", "hubspot", "dialer", "partner" })
            {
                steps[step].Outcome.ShouldBe("success", $"{step}: {steps[step].Reason}");
            }
        }

        var received = crm.Received.ToDictionary(request => request.PathAndQuery.Split('?')[0].Split('/')[1]);
        received.Keys.ShouldBe(["leads", "servlet", "submissions", "web2campaign", "flows"], ignoreOrder: true);

        received["leads"].Headers["Content-Type"].ShouldBe("application/json");
        ExactBody(received["leads"]).ShouldBe("""
            {
              "first_name": "Zoë \"Z\" & Co",
              "last_name": "O'Brien </tag>\nline 2 \uD83C\uDF89",
              "email": "zoe@example.com",
              "phone": "5125550123",
              "state": "TX",
              "vehicle_year": 2019,
              "line_type": "fixed_line_or_mobile",
              "source": "acme"
            }

            """.ReplaceLineEndings("\n"));

        received["servlet"].PathAndQuery.ShouldBe("/servlet/servlet.WebToLead?encoding=UTF-8&oid=00D5e000000AbCd");
        received["servlet"].Headers["Content-Type"].ShouldBe("application/x-www-form-urlencoded");
        ExactBody(received["servlet"]).ShouldBe(
            "first_name=Zo%C3%AB%20%22Z%22%20%26%20Co&last_name=O%27Brien%20%3C%2Ftag%3E%0Aline%202%20%F0%9F%8E%89"
            + "&email=zoe%40example.com&phone=5125550123&company=Acme%20%26%20%3CSons%3E"
            + "&city=%D9%85%D8%AF%D9%8A%D9%86%D8%A9%20%7B%7Bx%7D%7D&state=TX&zip=78701&lead_source=Acme%20Media");

        received["submissions"].PathAndQuery.ShouldBe("/submissions/v3/integration/submit/1234567/0a1b2c3d-4e5f-6789-abcd-ef0123456789");
        using (var hubspot = JsonDocument.Parse(received["submissions"].Body))
        {
            var fields = hubspot.RootElement.GetProperty("fields").EnumerateArray()
                .ToDictionary(field => field.GetProperty("name").GetString()!, field => field.GetProperty("value").GetString());
            fields["firstname"].ShouldBe("Zoë \"Z\" & Co");
            fields["lastname"].ShouldBe("O'Brien </tag>\nline 2 🎉");
            fields["phone"].ShouldBe("+15125550123");
            hubspot.RootElement.GetProperty("context").GetProperty("pageName").GetString().ShouldBe("Auto insurance (CRM deliveries)");
        }

        received["web2campaign"].PathAndQuery.ShouldBe("/web2campaign/AddToList?F9domain=Acme%20Insurance&F9list=Web%20Leads");
        ExactBody(received["web2campaign"]).ShouldBe(
            "number1=5125550123&first_name=Zo%C3%AB%20%22Z%22%20%26%20Co&last_name=O%27Brien%20%3C%2Ftag%3E%0Aline%202%20%F0%9F%8E%89"
            + "&state=TX&zip=78701&F9key=number1&F9retResults=1");

        using (var partner = JsonDocument.Parse(received["flows"].Body))
        {
            var sent = partner.RootElement.EnumerateObject().ToDictionary(property => property.Name, property => property.Value.GetString());
            sent["first_name"].ShouldBe("Zoë \"Z\" & Co");
            sent["last_name"].ShouldBe("O'Brien </tag>\nline 2 🎉");
            sent["company"].ShouldBe("Acme & <Sons>");
            sent["city"].ShouldBe("مدينة {{x}}");
            sent["phone_1"].ShouldBe("5125550123");
        }
    }

    [Fact]
    public async Task The_shipped_stub_CRM_answers_the_sample_CRM_flow_as_each_recipient_would()
    {
        var port = FreePort();
        using var stub = StartStubCrm(port);
        await WaitUntilListeningAsync(stub, port);
        var flows = CopyScripts(new Uri($"http://127.0.0.1:{port}/"));
        var (app, address) = await StartAsync(new Dictionary<string, string?>
        {
            ["PluggableFlows:FlowsPath"] = flows,
            ["PluggableFlows:DataPath"] = Path.Combine(_root, "data"),
        });
        await using (app)
        {
            using var client = CreateClient(address);
            using var response = await client.SendAsync(Submit(Json(Lead), source: "acme", key: SampleKey(), flow: "auto-insurance-crm"));
            var text = await response.Content.ReadAsStringAsync();
            var answer = await SubmitTests.Answer(response);

            answer.Outcome.ShouldBe("success");
            JsonDocument.Parse(text).RootElement.GetProperty("price").GetDecimal().ShouldBe(12.5m);
            var steps = await StepsAsync(client, answer.Id);
            steps.Where(step => step.Value.Type == "delivery").Select(step => (step.Key, step.Value.Outcome)).ShouldBe(
                [("crm", "success"), ("salesforce", "success"), ("hubspot", "success"), ("dialer", "success"), ("partner", "success")]);
            steps["dialer"].Reason.ShouldBe("The request was successfully processed");
        }

        using var counter = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        (await counter.GetStringAsync("/leads/count")).ShouldBe("5");
    }

    // The bytes received, as text only when they are exactly the UTF-8 encoding of that text (no replacement characters).
    private static string ExactBody(ReceivedRequest request)
    {
        var text = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(request.BodyBytes);
        System.Text.Encoding.UTF8.GetBytes(text).ShouldBe(request.BodyBytes);
        return text;
    }

    // The stub's answers, as each vendor answers (docs/presets.md).
    private static CannedResponse Answer(string pathAndQuery) => pathAndQuery.Split('?')[0] switch
    {
        "/leads" => new(200, """{"result":"accepted","id":"crm-1"}"""),
        "/servlet/servlet.WebToLead" => new(200, "", "text/html"),
        var hubspot when hubspot.StartsWith("/submissions/", StringComparison.Ordinal) => new(200, """{"inlineMessage":"Thanks for submitting the form."}"""),
        "/web2campaign/AddToList" => new(200, """<INPUT TYPE="hidden" NAME="F9errCode" VALUE="0"><INPUT TYPE="hidden" NAME="F9errDesc" VALUE="OK">""", "text/html"),
        var partner when partner.StartsWith("/flows/", StringComparison.Ordinal) => new(201, """{"outcome":"success","reason":null,"lead":{"id":"p-1"},"price":12.5}"""),
        _ => new(404, "no such recipient", "text/plain"),
    };

    // scripts/ copied as shipped, with the CRM flow's recipients at the stub's address instead of 127.0.0.1:5090.
    private string CopyScripts(Uri stub)
    {
        var scripts = Path.Combine(_root, "scripts");
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Combine("scripts"), "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(scripts, Path.GetRelativePath(RepoPaths.Combine("scripts"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        var flow = Path.Combine(scripts, "flows", "auto-insurance-crm.yaml");
        var yaml = File.ReadAllText(flow);
        yaml.ShouldContain(ShippedAddress);
        File.WriteAllText(flow, yaml.Replace(ShippedAddress, stub.ToString(), StringComparison.Ordinal));
        return Path.Combine(scripts, "flows");
    }

    private static string SampleKey() => File.ReadAllText(RepoPaths.Combine("scripts", "flows", "keys", "acme.key")).Trim();

    private static async Task<Dictionary<string, (string Type, string Outcome, string? Reason)>> StepsAsync(HttpClient client, string leadId)
    {
        using var timeline = JsonDocument.Parse(await client.GetStringAsync($"/leads/{leadId}"));
        return timeline.RootElement.GetProperty("events").EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString() == "step")
            .ToDictionary(
                e => e.GetProperty("step").GetString()!,
                e => (e.GetProperty("type").GetString()!, e.GetProperty("outcome").GetString()!,
                    e.TryGetProperty("reason", out var reason) ? reason.GetString() : null));
    }

    private static StubCrmProcess StartStubCrm(int port)
    {
        // Built beside the tests' own configuration: tests/PluggableFlows.StubCrm/bin/<configuration>/<framework>/.
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var stub = RepoPaths.Combine("tests", "PluggableFlows.StubCrm", "bin", framework.Parent!.Name, framework.Name, "PluggableFlows.StubCrm.dll");
        File.Exists(stub).ShouldBeTrue($"the stub CRM is built at {stub}");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(stub);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        return new StubCrmProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."));
    }

    private static async Task WaitUntilListeningAsync(StubCrmProcess stub, int port)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            stub.Process.HasExited.ShouldBeFalse("the stub CRM exited");
            try
            {
                using var response = await client.GetAsync($"http://127.0.0.1:{port}/leads/count");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            await Task.Delay(100);
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>The stub CRM's process, killed when the test ends.</summary>
    private sealed class StubCrmProcess(Process process) : IDisposable
    {
        public Process Process { get; } = process;

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit(5000);
            }

            Process.Dispose();
        }
    }
}
