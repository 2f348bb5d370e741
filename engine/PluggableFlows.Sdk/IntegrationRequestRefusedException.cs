namespace PluggableFlows.Sdk;

/// <summary>
/// Thrown by <see cref="IRequestResponseIntegration.BuildRequest"/> when the request cannot be sent as built (a rendered
/// body that is not well-formed, say). Nothing is sent; the step's outcome is <see cref="Outcome.Error"/> with
/// <see cref="Exception.Message"/> as its reason, word for word, so write it for the person who wrote the flow.
/// </summary>
/// <remarks>Use <see cref="IRequestResponseIntegration.Validate"/> for a lead there is nothing to do for (a skip); this is
/// for a request that would be wrong, which retrying with the same inputs will not fix.</remarks>
public sealed class IntegrationRequestRefusedException : Exception
{
    /// <summary>Creates the refusal with its reason.</summary>
    public IntegrationRequestRefusedException(string reason) : base(reason)
    {
    }

    /// <summary>Creates the refusal with its reason and the error that caused it.</summary>
    public IntegrationRequestRefusedException(string reason, Exception innerException) : base(reason, innerException)
    {
    }

    /// <summary>Creates a refusal with a generic reason; prefer the constructor taking one.</summary>
    public IntegrationRequestRefusedException() : base("The integration refused to send the request.")
    {
    }
}
