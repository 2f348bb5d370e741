using Microsoft.Extensions.Options;
using PluggableFlows.Engine.Pipeline;

namespace PluggableFlows.Host.Intake;

/// <summary>
/// <c>POST /flows/{flowId}/sources/{sourceId}/submit</c>: one lead from a source into a flow. Checks, in order: the flow
/// and source exist (404), the key (401), the answer can be written as asked (406), the body's type (415), size (413)
/// and form (400); then runs the lead and answers 201 with its outcome, or 303 to the submission's <c>redir_url</c>.
/// </summary>
internal sealed class SubmitEndpoint(HostedFlows flows, SourceAuthenticator authenticator, LeadProcessor processor,
    LeadMetrics metrics, IOptions<LeadServerOptions> options)
{
    public const string Route = "/flows/{flowId}/sources/{sourceId}/submit";

    /// <summary>The submission field that asks for a 303 to that URL instead of a 201 (web forms); it is not a lead field.</summary>
    public const string RedirectField = "redir_url";

    private readonly long _maxBodySize = options.Value.MaxRequestBodySize;

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var cancellationToken = context.RequestAborted;
        var answerType = Answers.Negotiate(request);
        var errorType = answerType ?? Answers.Json;
        var flowId = context.GetRouteValue("flowId") as string ?? "";
        var sourceId = context.GetRouteValue("sourceId") as string ?? "";

        if (!flows.TryGet(flowId, out var flow))
        {
            await Answers.WriteErrorAsync(response, errorType, StatusCodes.Status404NotFound, $"No flow '{flowId}' is served here.", cancellationToken);
            return;
        }

        var source = flow.Flow.Definition.Sources.FirstOrDefault(s => s.Id == sourceId);
        if (source is null)
        {
            await Answers.WriteErrorAsync(response, errorType, StatusCodes.Status404NotFound, $"Flow '{flowId}' has no source '{sourceId}'.", cancellationToken);
            return;
        }

        if (!authenticator.IsAuthorized(request, flow, source))
        {
            // No detail: nothing tells a caller whether the key, the header or the user name was wrong.
            response.StatusCode = StatusCodes.Status401Unauthorized;
            response.Headers.WWWAuthenticate = "Basic realm=\"PluggableFlows\"";
            return;
        }

        if (answerType is null)
        {
            await Answers.WriteErrorAsync(response, errorType, StatusCodes.Status406NotAcceptable,
                $"The answer can be written as {Answers.Json}, {Answers.ApplicationXml} or {Answers.TextXml}; Accept allows none of them.", cancellationToken);
            return;
        }

        Dictionary<string, string?> fields;
        Uri? redirect;
        try
        {
            fields = await SubmissionReader.ReadAsync(request, _maxBodySize, cancellationToken);
            redirect = TakeRedirect(fields);
        }
        catch (SubmissionRejectedException rejected)
        {
            if (rejected.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                // The rest of the body is never read, so the connection cannot carry another request: say so, or the
                // caller would send its next request on a connection the server is about to close.
                response.Headers.Connection = "close";
            }

            await Answers.WriteErrorAsync(response, answerType, rejected.StatusCode, rejected.Message, cancellationToken);
            return;
        }

        // Once accepted, a lead runs to its end even if the caller hangs up: a delivery must not be cut off half-way
        // because a source timed out.
        var lead = await processor.ProcessAsync(flow.Flow,
            new LeadSubmission(source.Id, fields, context.Connection.RemoteIpAddress?.ToString()), CancellationToken.None);
        metrics.Record(flow.Flow, lead);
        if (redirect is not null)
        {
            response.StatusCode = StatusCodes.Status303SeeOther;
            response.Headers.Location = redirect.AbsoluteUri;
            return;
        }

        await Answers.WriteLeadAsync(response, answerType, lead, cancellationToken);
    }

    private static Uri? TakeRedirect(Dictionary<string, string?> fields)
    {
        if (!fields.Remove(RedirectField, out var text) || string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? url
            : throw new SubmissionRejectedException(StatusCodes.Status400BadRequest,
                $"{RedirectField} must be an absolute http or https URL, not '{text}'.");
    }
}
