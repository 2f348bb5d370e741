using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using PluggableFlows.Host.Intake;

namespace PluggableFlows.Host.Api;

/// <summary>
/// Who may use the read APIs (leads, events, flows, plugins, usage, metrics), which show leads' personal data: with
/// <c>PluggableFlows:AdminApiKey</c> set, callers presenting it (<c>Authorization: Bearer</c>, <c>X-Api-Key</c>, or Basic
/// with user <c>API</c>); without it, callers on this machine only (loopback), so a fresh install is not open to the
/// network. <c>GET /health</c> stays open to everyone, for load balancers.
/// </summary>
internal sealed class ReadAccess(IOptions<LeadServerOptions> options)
{
    private readonly string? _key = string.IsNullOrEmpty(options.Value.AdminApiKey) ? null : options.Value.AdminApiKey;

    /// <summary>Endpoint metadata marking a read API.</summary>
    public static object Required { get; } = new ReadAccessRequired();

    /// <summary>Middleware: a request to an endpoint marked <see cref="Required"/> goes on only when allowed.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.GetEndpoint()?.Metadata.GetMetadata<ReadAccessRequired>() is null || await AllowAsync(context))
        {
            await next(context);
        }
    }

    /// <summary>Whether the caller may read; when not, the refusal has been written.</summary>
    public async Task<bool> AllowAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (_key is null)
        {
            if (http.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address))
            {
                return true;
            }

            await ApiJson.WriteErrorAsync(http.Response, StatusCodes.Status403Forbidden,
                $"The read APIs answer callers on this machine only until {LeadServerOptions.SectionName}:AdminApiKey is set.", http.RequestAborted);
            return false;
        }

        if (Presented(http.Request) is { } presented && SourceAuthenticator.KeysEqual(presented, _key))
        {
            return true;
        }

        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        http.Response.Headers.WWWAuthenticate = "Bearer realm=\"PluggableFlows\"";
        return false;
    }

    private static string? Presented(HttpRequest request) =>
        AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var authorization)
        && string.Equals(authorization.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
            ? authorization.Parameter
            : SourceAuthenticator.PresentedKey(request);

    private sealed class ReadAccessRequired;
}
