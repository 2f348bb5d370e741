using System.Net.Http.Headers;
using System.Text;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Sdk;
using PluggableFlows.Testing;

namespace PluggableFlows.Engine.Tests.Pipeline;

/// <summary>The host side of calling a plugin: limits, transcripts, masking, faults.</summary>
public sealed class IntegrationInvokerTests : IDisposable
{
    private readonly SocketsHttpHandler _network = new();

    public void Dispose() => _network.Dispose();

    private IntegrationInvoker Invoker(long maxResponseBytes = 1024 * 1024) =>
        new(_network, TimeProvider.System, new IntegrationInvokerOptions { MaxResponseBytes = maxResponseBytes });

    private static IntegrationInput Input(Dictionary<string, object?> values, Dictionary<string, string>? credentials = null) =>
        new(values, credentials ?? []);

    [Fact]
    public async Task A_response_over_the_size_limit_is_an_error_for_request_response_plugins()
    {
        using var server = new LoopbackHttpServer(_ => new CannedResponse(200, new string('x', 5000)));

        var invocation = await Invoker(maxResponseBytes: 1000).InvokeAsync(new Echo(server.BaseUrl), Input(new() { ["value"] = "a" }),
            TimeSpan.FromSeconds(10), default);

        invocation.Result.Outcome.ShouldBe(Outcome.Error);
        invocation.Result.Reason.ShouldBe("The provider's response is larger than the 1,000-byte limit.");
    }

    [Fact]
    public async Task A_response_over_the_size_limit_is_an_error_for_handler_plugins_too()
    {
        using var server = new LoopbackHttpServer(_ => new CannedResponse(200, new string('x', 5000)));

        var invocation = await Invoker(maxResponseBytes: 1000).InvokeAsync(new Fetcher(server.BaseUrl), Input([]), TimeSpan.FromSeconds(10), default);

        invocation.Result.Outcome.ShouldBe(Outcome.Error);
        invocation.Result.Reason.ShouldBe("The provider's response is larger than the 1,000-byte limit.");
    }

    [Fact]
    public async Task An_idempotency_key_goes_with_every_request_of_either_shape_and_is_in_the_transcript()
    {
        using var server = new LoopbackHttpServer(_ => new CannedResponse(200, "{}"));

        var echo = await Invoker().InvokeAsync(new Echo(server.BaseUrl), Input(new() { ["value"] = "a" }), TimeSpan.FromSeconds(10),
            "lead-1:crm", default);
        var fetch = await Invoker().InvokeAsync(new Fetcher(server.BaseUrl), Input([]), TimeSpan.FromSeconds(10), "lead-1:crm", default);
        await Invoker().InvokeAsync(new Echo(server.BaseUrl), Input(new() { ["value"] = "a" }), TimeSpan.FromSeconds(10), default);

        server.Received.Count.ShouldBe(3);
        var received = server.Received.ToArray();
        received[0].Headers["Idempotency-Key"].ShouldBe("lead-1:crm");
        received[1].Headers["Idempotency-Key"].ShouldBe("lead-1:crm");
        received[2].Headers.ContainsKey("Idempotency-Key").ShouldBeFalse("only retried steps send one");
        echo.Transcript.ShouldHaveSingleItem().RequestHeaders.ShouldContain(h => h.Key == "Idempotency-Key" && h.Value == "lead-1:crm");
        fetch.Transcript.ShouldHaveSingleItem().RequestHeaders.ShouldContain(h => h.Key == "Idempotency-Key" && h.Value == "lead-1:crm");
    }

    [Fact]
    public async Task Handler_calls_are_recorded_with_credentials_masked_in_every_form()
    {
        using var server = new LoopbackHttpServer(request => new CannedResponse(200, $$"""{"echo":"{{request.PathAndQuery}}"}"""));
        var secret = "s3cr3t/key+1";

        var invocation = await Invoker().InvokeAsync(new Fetcher(server.BaseUrl), Input([], new() { ["api_key"] = secret }),
            TimeSpan.FromSeconds(10), default);

        invocation.Result.Outcome.ShouldBe(Outcome.Success);
        server.Received.ShouldHaveSingleItem().Headers["Authorization"].ShouldStartWith("Basic ");
        var exchange = invocation.Transcript.ShouldHaveSingleItem();
        exchange.Method.ShouldBe("GET");
        exchange.Status.ShouldBe(200);
        exchange.Url.ShouldBe($"{server.BaseUrl}lookup?key=***");
        exchange.RequestHeaders.ShouldContain(h => h.Key == "Authorization" && h.Value == "Basic ***");
        exchange.RequestHeaders.ShouldContain(h => h.Key == "X-Token" && h.Value == "***");
        exchange.ResponseBody.ShouldBe("""{"echo":"/lookup?key=***"}""");
        string.Join("\n", exchange.RequestHeaders.Select(h => h.Value)).ShouldNotContain(Uri.EscapeDataString(secret));
        invocation.ProviderWait.ShouldBeGreaterThan(TimeSpan.Zero);
    }

    [Fact]
    public async Task Ssn_and_credential_typed_inputs_are_masked_in_the_transcript()
    {
        using var server = new LoopbackHttpServer(request => new CannedResponse(200, request.Body));
        var ssn = new FieldValue("ssn", "123-45-6789", "123456789", "123456789", true);

        var invocation = await Invoker().InvokeAsync(new Echo(server.BaseUrl), Input(new() { ["value"] = ssn }), TimeSpan.FromSeconds(10), default);

        server.Received.ShouldHaveSingleItem().Body.ShouldBe("123456789");
        var exchange = invocation.Transcript.ShouldHaveSingleItem();
        exchange.RequestBody.ShouldBe("***");
        exchange.ResponseBody.ShouldBe("***");
    }

    [Fact]
    public async Task A_5xx_reaches_the_plugin_and_its_outcome_stands()
    {
        using var server = new LoopbackHttpServer(_ => new CannedResponse(503, "busy"));

        var invocation = await Invoker().InvokeAsync(new Echo(server.BaseUrl), Input(new() { ["value"] = "a" }), TimeSpan.FromSeconds(10), default);

        invocation.Result.Outcome.ShouldBe(Outcome.Error);
        invocation.Result.Reason.ShouldBe("Provider answered 503");
        invocation.Transcript.ShouldHaveSingleItem().Status.ShouldBe(503);
    }

    [Fact]
    public async Task An_unreachable_provider_is_an_error_naming_the_cause()
    {
        var closedPort = new Uri("http://127.0.0.1:1/");

        var invocation = await Invoker().InvokeAsync(new Echo(closedPort), Input(new() { ["value"] = "a" }), TimeSpan.FromSeconds(10), default);

        invocation.Result.Outcome.ShouldBe(Outcome.Error);
        invocation.Result.Reason.ShouldNotBeNull().ShouldStartWith("test.echo failed: HttpRequestException");
    }

    [Fact]
    public async Task The_callers_cancellation_propagates_instead_of_becoming_an_outcome()
    {
        using var server = new LoopbackHttpServer(async _ =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30));
            return new CannedResponse(200, "late");
        });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Should.ThrowAsync<OperationCanceledException>(() =>
            Invoker().InvokeAsync(new Echo(server.BaseUrl), Input(new() { ["value"] = "a" }), TimeSpan.FromSeconds(30), cancel.Token));
    }

    [Fact]
    public async Task An_invented_outcome_is_an_error_naming_it()
    {
        var invocation = await Invoker().InvokeAsync(new InventsOutcome(), Input([]), TimeSpan.FromSeconds(1), default);

        invocation.Result.Outcome.ShouldBe(Outcome.Error);
        invocation.Result.Reason.ShouldBe("test.invent returned an unknown outcome (42).");
    }

    /// <summary>Posts its <c>value</c> input and appends the answer; 5xx is an error.</summary>
    [Fact]
    public async Task Plugin_code_runs_on_the_thread_pool_even_when_the_network_answers_on_an_event_thread_of_its_own()
    {
        // With inline socket completions the response arrives on the sockets' event thread (not a pool thread); a plugin
        // resumed there would hold up every other connection, and block all of them if it blocked.
        using var network = new AnswersOnItsOwnThread();
        var invoker = new IntegrationInvoker(network, TimeProvider.System);
        var echo = new ThreadRecordingEcho();
        var fetcher = new ThreadRecordingFetcher();

        // Run as the server runs them: on the thread pool, with no synchronization context (xUnit's would take the
        // continuations to its own threads).
        await Task.Run(async () =>
        {
            (await invoker.InvokeAsync(echo, Input(new() { ["value"] = "a" }), TimeSpan.FromSeconds(10), default)).Result.Outcome.ShouldBe(Outcome.Success);
            (await invoker.InvokeAsync(fetcher, Input([]), TimeSpan.FromSeconds(10), default)).Result.Outcome.ShouldBe(Outcome.Success);
        });

        network.AnsweredOn.ShouldAllBe(thread => thread == AnswersOnItsOwnThread.ThreadName, "the answers came from the event thread");
        echo.ParsedOn.ShouldBe("a thread-pool thread", "ParseResponse");
        fetcher.ResumedOn.ShouldBe("a thread-pool thread", "the handler's code after its HTTP call");
    }

    private static string CurrentThread() =>
        Thread.CurrentThread.IsThreadPoolThread ? "a thread-pool thread" : $"thread '{Thread.CurrentThread.Name}'";

    /// <summary>A network whose answers complete on a dedicated thread after the caller has started waiting, with the
    /// caller's continuation run there (as .NET's sockets do with DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1).</summary>
    private sealed class AnswersOnItsOwnThread : HttpMessageHandler
    {
        public const string ThreadName = "test sockets event thread";

        public System.Collections.Concurrent.ConcurrentBag<string?> AnsweredOn { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var answer = new TaskCompletionSource<HttpResponseMessage>();
            new Thread(() =>
            {
                Thread.Sleep(100);
                AnsweredOn.Add(Thread.CurrentThread.Name);
                answer.SetResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent("{}") });
            }) { IsBackground = true, Name = ThreadName }.Start();
            return answer.Task;
        }
    }

    private sealed class ThreadRecordingEcho : IRequestResponseIntegration
    {
        public string? ParsedOn { get; private set; }

        public IntegrationDescriptor Descriptor { get; } = new() { Id = "test.echo-thread", Name = "Echo", Kind = IntegrationKind.Enhancement };

        public string? Validate(IntegrationInput input) => null;

        public IntegrationRequest BuildRequest(IntegrationInput input) => new() { Method = "GET", Url = new Uri("http://127.0.0.1:9/echo") };

        public IntegrationResult ParseResponse(IntegrationInput input, IntegrationRequest request, IntegrationResponse response)
        {
            ParsedOn = CurrentThread();
            return IntegrationResult.Success();
        }
    }

    private sealed class ThreadRecordingFetcher : IHandlerIntegration
    {
        public string? ResumedOn { get; private set; }

        public IntegrationDescriptor Descriptor { get; } = new() { Id = "test.fetch-thread", Name = "Fetch", Kind = IntegrationKind.Enhancement };

        public async Task<IntegrationResult> HandleAsync(IntegrationContext context, CancellationToken cancellationToken)
        {
            using var response = await context.Http.GetAsync(new Uri("http://127.0.0.1:9/fetch"), cancellationToken);
            ResumedOn = CurrentThread();
            return IntegrationResult.Success();
        }
    }

    private sealed class Echo(Uri url) : IRequestResponseIntegration
    {
        public IntegrationDescriptor Descriptor { get; } = new()
        {
            Id = "test.echo",
            Name = "Echo",
            Kind = IntegrationKind.Enhancement,
            RequestVariables = [new VariableDescriptor("value", "string")],
        };

        public string? Validate(IntegrationInput input) => null;

        public IntegrationRequest BuildRequest(IntegrationInput input) =>
            new() { Method = "POST", Url = url, Body = input.GetString("value"), ContentType = "text/plain" };

        public IntegrationResult ParseResponse(IntegrationInput input, IntegrationRequest request, IntegrationResponse response) =>
            response.StatusCode >= 500
                ? IntegrationResult.Error($"Provider answered {response.StatusCode}")
                : IntegrationResult.Success(new Dictionary<string, object?> { ["answer"] = response.Body });
    }

    /// <summary>A handler that calls the provider itself, putting its key in the query, a header and Basic auth.</summary>
    private sealed class Fetcher(Uri url) : IHandlerIntegration
    {
        public IntegrationDescriptor Descriptor { get; } = new()
        {
            Id = "test.fetch",
            Name = "Fetch",
            Kind = IntegrationKind.Enhancement,
            Credentials = [new CredentialDescriptor("api_key", Required: false)],
        };

        public async Task<IntegrationResult> HandleAsync(IntegrationContext context, CancellationToken cancellationToken)
        {
            var key = context.Input.GetCredential("api_key") ?? "";
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, "lookup?key=" + Uri.EscapeDataString(key)));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("API:" + key)));
            request.Headers.Add("X-Token", key);
            using var response = await context.Http.SendAsync(request, cancellationToken);
            return IntegrationResult.Success(new Dictionary<string, object?> { ["status"] = (int)response.StatusCode });
        }
    }

    private sealed class InventsOutcome : IHandlerIntegration
    {
        public IntegrationDescriptor Descriptor { get; } = new() { Id = "test.invent", Name = "Invent", Kind = IntegrationKind.Enhancement };

        public Task<IntegrationResult> HandleAsync(IntegrationContext context, CancellationToken cancellationToken) =>
            Task.FromResult(new IntegrationResult { Outcome = (Outcome)42 });
    }
}
