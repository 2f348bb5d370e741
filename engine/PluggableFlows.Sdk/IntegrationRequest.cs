namespace PluggableFlows.Sdk;

/// <summary>An HTTP request a request/response integration asks the host to send.</summary>
public sealed record IntegrationRequest
{
    /// <summary>HTTP method; GET by default.</summary>
    public string Method { get; init; } = "GET";

    /// <summary>Absolute URL.</summary>
    public required Uri Url { get; init; }

    /// <summary>Request headers (Content-Type goes in <see cref="ContentType"/>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>Body text, or null for none.</summary>
    public string? Body { get; init; }

    /// <summary>Media type of <see cref="Body"/>.</summary>
    public string? ContentType { get; init; }

    /// <summary>
    /// Whether the host follows redirects (301, 302, 303, 307, 308; at most 10). Null, the default, follows them for GET
    /// and HEAD only, so a POST is never silently re-sent to another address.
    /// </summary>
    public bool? FollowRedirects { get; init; }
}

/// <summary>What the provider answered, as the host received it.</summary>
public sealed record IntegrationResponse
{
    /// <summary>HTTP status code.</summary>
    public required int StatusCode { get; init; }

    /// <summary>Response headers.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>Body text (empty when none).</summary>
    public string Body { get; init; } = "";

    /// <summary>Media type of the body, when given.</summary>
    public string? ContentType { get; init; }
}
