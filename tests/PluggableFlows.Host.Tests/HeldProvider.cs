using PluggableFlows.Testing;

namespace PluggableFlows.Host.Tests;

/// <summary>
/// A TrustedForm stand-in on loopback that holds every call until the test releases it, so a lead can be caught
/// in flight (inside its <c>consent</c> step) without timing anything.
/// </summary>
internal sealed class HeldProvider : IDisposable
{
    private const string CertId = "0123456789abcdef0123456789abcdef01234567";

    private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly LoopbackHttpServer _stub;

    public HeldProvider() =>
        _stub = new LoopbackHttpServer(async _ =>
        {
            _arrived.TrySetResult();
            await _release.Task;
            return new CannedResponse(200, $$$"""
                {"outcome":"success","cert":{"cert_id":"{{{CertId}}}","created_at":"2025-03-01T11:58:00Z","expires_at":"2025-05-30T11:58:00Z","age_seconds":120}}
                """);
        });

    /// <summary>A <c>consent</c> step (trustedform.verify) calling this stub, for <see cref="ScratchServer.Flow"/>.</summary>
    public string Step => $$"""
          - key: consent
            type: enhancement
            integration: trustedform.verify
            inputs:
              cert_url: https://cert.trustedform.com/{{CertId}}
              base_url: {{_stub.BaseUrl.AbsoluteUri.TrimEnd('/')}}
            credentials: { api_key: { file: keys/scratch.key } }
        """;

    /// <summary>Completes when a lead's call has reached the stub (and is being held).</summary>
    public Task Arrived => _arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));

    public void Release() => _release.TrySetResult();

    public void Dispose()
    {
        Release();
        _stub.Dispose();
    }
}
