namespace PluggableFlows.Host.Intake;

/// <summary>A submission the server will not process, with the status to answer and the reason for the caller.</summary>
internal sealed class SubmissionRejectedException : Exception
{
    public SubmissionRejectedException()
    {
    }

    public SubmissionRejectedException(string message) : base(message)
    {
    }

    public SubmissionRejectedException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public SubmissionRejectedException(int statusCode, string message, Exception? innerException = null) : base(message, innerException) =>
        StatusCode = statusCode;

    /// <summary>The HTTP status to answer with.</summary>
    public int StatusCode { get; } = StatusCodes.Status400BadRequest;
}
