using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using PluggableFlows.Engine.Flows;
using PluggableFlows.Engine.Pipeline;

namespace PluggableFlows.Host.Intake;

/// <summary>
/// Checks the key a request presents against its source's <c>api_key</c>: HTTP Basic with user <c>API</c> and the key as
/// password, or an <c>X-Api-Key</c> header. The key is read through the engine's <see cref="ISecretResolver"/> on every
/// request (a key file is read again at most once a second), so a rotated key takes effect within a second.
/// </summary>
internal sealed partial class SourceAuthenticator(ISecretResolver secrets, IOptions<LeadServerOptions> options,
    ILogger<SourceAuthenticator> logger)
{
    /// <summary>The Basic user name sources authenticate as (LeadConduit's convention).</summary>
    public const string BasicUser = "API";

    public const string ApiKeyHeader = "X-Api-Key";

    private readonly bool _allowAnonymous = options.Value.AllowAnonymousSources;

    public bool IsAuthorized(HttpRequest request, HostedFlow flow, SourceDefinition source)
    {
        if (source.ApiKey is not { } reference)
        {
            return _allowAnonymous;
        }

        if (secrets.Resolve(reference, flow.File) is not { Length: > 0 } expected)
        {
            LogKeyNotSet(logger, flow.Flow.Id, source.Id, reference.Env is { } env ? $"environment variable {env}" : $"file {reference.File}");
            return false;
        }

        return PresentedKey(request) is { } presented && KeysEqual(presented, expected);
    }

    /// <summary>The key a request presents: <c>X-Api-Key</c>, or HTTP Basic with user <c>API</c>.</summary>
    internal static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(ApiKeyHeader, out var header) && header.Count == 1)
        {
            return header[0];
        }

        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var authorization)
            || !string.Equals(authorization.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || authorization.Parameter is not { } parameter)
        {
            return null;
        }

        string credentials;
        try
        {
            credentials = new UTF8Encoding(false, true).GetString(Convert.FromBase64String(parameter));
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException)
        {
            return null;
        }

        var colon = credentials.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && string.Equals(credentials[..colon], BasicUser, StringComparison.OrdinalIgnoreCase)
            ? credentials[(colon + 1)..]
            : null;
    }

    /// <summary>Compares two keys in constant time. Both sides are hashed first so the comparison takes the same time
    /// whatever the presented key's length.</summary>
    internal static bool KeysEqual(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Flow '{FlowId}', source '{SourceId}': its api_key ({Where}) is not set, so its leads are refused (401).")]
    private static partial void LogKeyNotSet(ILogger logger, string flowId, string sourceId, string where);
}
