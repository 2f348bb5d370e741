using System.Text.RegularExpressions;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Fields;

/// <summary>
/// An http or https URL. Forms often send <c>example.com/page</c>, so <c>http://</c> is added when no scheme
/// is given. Valid when the scheme is http(s) and the host is a domain with a dot, <c>localhost</c> or an IP.
/// </summary>
internal sealed partial class UrlFieldType : IFieldType
{
    private const int MaxLength = 8192;
    private static readonly string[] Keys = ["protocol", "host", "port", "path", "query"];

    public string Name => "url";

    public IReadOnlyList<string> Components => Keys;

    public FieldValue Parse(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var text = raw.Trim();
        if (text.Length is 0 or > MaxLength)
        {
            return FieldValues.Invalid(Name, raw);
        }

        if (!SchemePattern().IsMatch(text))
        {
            text = "http://" + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || !IsRealHost(uri))
        {
            return FieldValues.Invalid(Name, raw);
        }

        var normal = uri.AbsoluteUri;
        var query = uri.Query.Length > 1 ? uri.Query[1..] : null;
        return new FieldValue(Name, raw, normal, normal, valid: true,
            new ComponentMap(Keys, [uri.Scheme, uri.Host, uri.Port, uri.AbsolutePath, query]));
    }

    private static bool IsRealHost(Uri uri) => uri.HostNameType switch
    {
        UriHostNameType.IPv4 or UriHostNameType.IPv6 => true,
        UriHostNameType.Dns => (uri.Host.Contains('.', StringComparison.Ordinal) && !uri.Host.EndsWith('.'))
            || string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    // A scheme is letters then ':' not followed by a digit, so "localhost:8080" and "example.com:81" get http://.
    [GeneratedRegex(@"^[a-z][a-z0-9+.\-]*:(?!\d)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SchemePattern();
}
