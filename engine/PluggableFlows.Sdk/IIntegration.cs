namespace PluggableFlows.Sdk;

/// <summary>One operation a plugin offers. Implement <see cref="IRequestResponseIntegration"/> or
/// <see cref="IHandlerIntegration"/>, with a public parameterless constructor.</summary>
public interface IIntegration
{
    /// <summary>What the integration is, needs and appends.</summary>
    IntegrationDescriptor Descriptor { get; }
}

/// <summary>
/// The preferred shape: pure functions around one HTTP exchange that the host sends (with timeout,
/// transcript, secret masking and retries), so the integration is testable with canned responses.
/// </summary>
public interface IRequestResponseIntegration : IIntegration
{
    /// <summary>Checks the inputs; returns a skip reason when there is nothing to do, otherwise null.</summary>
    string? Validate(IntegrationInput input);

    /// <summary>Describes the request to send.</summary>
    IntegrationRequest BuildRequest(IntegrationInput input);

    /// <summary>Turns the provider's answer into an outcome, a reason and appended data.</summary>
    IntegrationResult ParseResponse(IntegrationInput input, IntegrationRequest request, IntegrationResponse response);
}

/// <summary>For multi-call or non-HTTP work. Use the host's <see cref="IntegrationContext.Http"/> client so every
/// exchange is recorded.</summary>
public interface IHandlerIntegration : IIntegration
{
    /// <summary>Runs the integration for one lead.</summary>
    Task<IntegrationResult> HandleAsync(IntegrationContext context, CancellationToken cancellationToken);
}

/// <summary>What the host gives a handler integration for one call.</summary>
/// <param name="Input">The mapped inputs and credentials.</param>
/// <param name="Http">A host-owned client that records every exchange in the step's transcript (secrets masked),
/// with the step's timeout and the host's response size limit.</param>
/// <param name="Time">The host's clock.</param>
/// <param name="Lists">The engine's named value lists (suppression lists, uniqueness checks), when the host has a store.</param>
public sealed record IntegrationContext(IntegrationInput Input, HttpClient Http, TimeProvider Time, IValueLists? Lists = null);
