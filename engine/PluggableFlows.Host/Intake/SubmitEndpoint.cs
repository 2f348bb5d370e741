using Microsoft.Extensions.Options;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Storage;

namespace PluggableFlows.Host.Intake;

/// <summary>
/// <c>POST /flows/{flowId}/sources/{sourceId}/submit</c>: one lead from a source into a flow. Checks, in order: the flow
/// and source exist (404), the key (401), the answer can be written as asked (406), the body's type (415), size (413)
/// and form (400); then runs the lead, waits until it is recorded, and answers 201 with its outcome, or 303 to the
/// submission's <c>redir_url</c>. With an <c>Idempotency-Key</c> a repeat gets the first answer (<see cref="IdempotentSubmissions"/>).
/// </summary>
internal sealed partial class SubmitEndpoint(HostedFlows flows, SourceAuthenticator authenticator, LeadProcessor processor,
    IdempotentSubmissions idempotent, LeadMetrics metrics, IOptions<LeadServerOptions> options, ILogger<SubmitEndpoint> logger)
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

        var idempotencyKey = request.Headers[IdempotentSubmissions.Header].ToString().Trim();
        if (idempotencyKey.Length > IdempotentSubmissions.MaxKeyLength)
        {
            await Answers.WriteErrorAsync(response, answerType, StatusCodes.Status400BadRequest,
                $"{IdempotentSubmissions.Header} must be at most {IdempotentSubmissions.MaxKeyLength} characters.", cancellationToken);
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

        var submission = new LeadSubmission(source.Id, fields, context.Connection.RemoteIpAddress?.ToString());
        LeadAnswer answer;
        try
        {
            if (idempotencyKey.Length == 0)
            {
                answer = await RunAsync(flow, submission, redirect);
            }
            else
            {
                (answer, var replayed) = await idempotent.RunAsync(flowId, sourceId, idempotencyKey, () => RunAsync(
                    flow, submission with { Idempotency = new IdempotencyClaim(idempotencyKey, redirect?.AbsoluteUri) }, redirect));
                if (replayed)
                {
                    response.Headers[IdempotentSubmissions.ReplayedHeader] = "true";
                }
            }
        }
        catch (LeadNotRecordedException notRecorded)
        {
            // The lead ran but is not durable: telling the source it was accepted would be a promise the store cannot keep.
            LogNotRecorded(logger, notRecorded, notRecorded.LeadId);
            response.Headers.RetryAfter = "5";
            await Answers.WriteErrorAsync(response, answerType, StatusCodes.Status503ServiceUnavailable,
                "The lead could not be recorded; send it again.", cancellationToken);
            return;
        }

        if (answer.Redirect is not null)
        {
            response.StatusCode = StatusCodes.Status303SeeOther;
            response.Headers.Location = answer.Redirect;
            return;
        }

        await Answers.WriteLeadAsync(response, answerType, answer, cancellationToken);
    }

    private async Task<LeadAnswer> RunAsync(HostedFlow flow, LeadSubmission submission, Uri? redirect)
    {
        // Once accepted, a lead runs to its end even if the caller hangs up: a delivery must not be cut off half-way
        // because a source timed out.
        var lead = await processor.ProcessAsync(flow.Flow, submission, CancellationToken.None);
        metrics.Record(flow.Flow, lead);
        return LeadAnswer.From(lead, redirect);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Lead {LeadId} ran but could not be recorded; its source was answered 503.")]
    private static partial void LogNotRecorded(ILogger logger, Exception exception, string leadId);

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
