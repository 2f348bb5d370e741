using System.Text;
using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.Http;

/// <summary>
/// <c>http.query</c>: delivers the lead in the URL's query string, one <c>parameter.&lt;name&gt;</c> input per parameter,
/// after any the URL already has. GET by default; no body.
/// </summary>
public sealed class HttpQuery : HttpDelivery
{
    private const string Prefix = "parameter.";

    /// <inheritdoc />
    public override IntegrationDescriptor Descriptor { get; } = new()
    {
        Id = "http.query",
        Name = "HTTP delivery (query string)",
        Kind = IntegrationKind.Delivery,
        Class = IntegrationClass.Byoc,
        Credentials = Credentials,
        RequestVariables = RequestVariables("parameter.<name>: one query-string parameter (parameter.email).",
            methods: "GET (the default), POST, PUT, PATCH or DELETE; the values are in the URL whichever.", body: null),
        ResponseVariables = ResponseVariables,
    };

    /// <inheritdoc />
    public override IReadOnlyList<ConformanceSample> Samples { get; } = HttpSamples.For(Prefix);

    private protected override string BodyPrefix => Prefix;

    private protected override string ContentType => "application/x-www-form-urlencoded";

    private protected override IReadOnlyList<string> Methods { get; } = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    private protected override bool TakesBody => false;

    private protected override string? BodyProblem(IReadOnlyList<(string Name, object? Value)> values) =>
        values.Any(value => value.Name.Length == 0) ? $"An input named '{Prefix}' gives no parameter name; write {Prefix}<name>" : null;

    private protected override string? WriteBody(IReadOnlyList<(string Name, object? Value)> values, IntegrationInput input) => null;

    /// <summary>The URL with each value appended to its query string, percent-encoded (a space as <c>%20</c>).</summary>
    private protected override Uri Address(Uri url, IReadOnlyList<(string Name, object? Value)> values)
    {
        if (values.Count == 0)
        {
            return url;
        }

        var query = new StringBuilder(url.Query.Length > 1 ? url.Query[1..] : "");
        foreach (var (name, value) in values)
        {
            if (query.Length > 0)
            {
                query.Append('&');
            }

            query.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(InputText.Of(value)));
        }

        return new UriBuilder(url) { Query = query.ToString(), Fragment = "" }.Uri;
    }
}
