using PluggableFlows.Host.Intake;

namespace PluggableFlows.Host;

/// <summary>
/// Graceful shutdown for submissions. While the server stops, new submissions are answered <c>503</c> with
/// <c>Retry-After</c> and a reason, and stopping waits until the submissions already running have answered (up to
/// <see cref="LeadServerOptions.ShutdownTimeout"/>), so no lead is cut off half-way through its deliveries.
/// </summary>
/// <remarks>
/// It drains in <see cref="StoppingAsync"/>, which the host runs before stopping any hosted service, so Kestrel still
/// listens and a caller that arrives late gets a clear 503 (a load balancer retries elsewhere) instead of a refused
/// connection.
/// </remarks>
internal sealed partial class SubmissionDrain : IHostedLifecycleService
{
    /// <summary>What a refused caller is told to wait before retrying, in seconds.</summary>
    public const int RetryAfterSeconds = 5;

    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger<SubmissionDrain> _logger;
    private readonly Lock _gate = new();
    private int _inFlight;
    private int _draining;

    public SubmissionDrain(IHostApplicationLifetime lifetime, ILogger<SubmissionDrain> logger)
    {
        _logger = logger;
        // Ctrl+C and SIGTERM stop the application first: refuse new submissions from that moment on.
        lifetime.ApplicationStopping.Register(BeginDrain);
    }

    /// <summary>How many submissions are being handled now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>True once the server has begun stopping: new submissions are refused.</summary>
    public bool IsDraining => Volatile.Read(ref _draining) != 0;

    /// <summary>Handles a submission unless the server is stopping, in which case it is answered 503.</summary>
    public async Task HandleAsync(HttpContext context, Func<HttpContext, Task> submit)
    {
        // Count first, then look: with Interlocked on both sides, either the drain sees this submission or this
        // submission sees the drain, never neither.
        Interlocked.Increment(ref _inFlight);
        try
        {
            if (IsDraining)
            {
                await RefuseAsync(context);
                return;
            }

            await submit(context);
        }
        finally
        {
            if (Interlocked.Decrement(ref _inFlight) == 0 && IsDraining)
            {
                _drained.TrySetResult();
            }
        }
    }

    /// <summary>Refuses new submissions from now on.</summary>
    public void BeginDrain()
    {
        // The lock only orders the log: ApplicationStopping (on the signal's thread) and StoppingAsync both begin.
        lock (_gate)
        {
            if (Interlocked.Exchange(ref _draining, 1) == 0)
            {
                LogDraining(_logger, InFlight);
            }

            if (Volatile.Read(ref _inFlight) == 0)
            {
                _drained.TrySetResult();
            }
        }
    }

    /// <summary>Refuses new submissions and waits until those running have answered, or <paramref name="cancellationToken"/>
    /// (the shutdown timeout) fires.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        BeginDrain();
        try
        {
            await _drained.Task.WaitAsync(cancellationToken);
            LogDrained(_logger);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogDrainTimedOut(_logger, InFlight);
        }
    }

    Task IHostedLifecycleService.StoppingAsync(CancellationToken cancellationToken) => DrainAsync(cancellationToken);

    Task IHostedService.StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task IHostedService.StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task IHostedLifecycleService.StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task IHostedLifecycleService.StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task IHostedLifecycleService.StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static Task RefuseAsync(HttpContext context)
    {
        var response = context.Response;
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // This connection will not be served again; a keep-alive caller should reconnect (to another instance).
        response.Headers.Connection = "close";
        return Answers.WriteErrorAsync(response, Answers.Negotiate(context.Request) ?? Answers.Json, StatusCodes.Status503ServiceUnavailable,
            $"The server is shutting down and takes no new leads; retry in {RetryAfterSeconds} seconds.", context.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: new submissions are answered 503; waiting for {InFlight} in-flight submission(s) to finish.")]
    private static partial void LogDraining(ILogger logger, int inFlight);

    [LoggerMessage(Level = LogLevel.Information, Message = "Every in-flight submission has finished.")]
    private static partial void LogDrained(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The shutdown timeout passed with {InFlight} submission(s) still running; they may be cut off. " +
        "Raise " + LeadServerOptions.SectionName + ":ShutdownTimeout if leads take longer.")]
    private static partial void LogDrainTimedOut(ILogger logger, int inFlight);
}
