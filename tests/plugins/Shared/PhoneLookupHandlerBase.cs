using System.Net.Http.Headers;
using PluggableFlows.Sdk;

namespace PluggableFlows.TestPlugins;

/// <summary>
/// A well-behaved handler integration: the same lookup as <see cref="PhoneLookupBase"/>, but making the call itself through
/// the host's recording client and passing the cancellation token to every await.
/// </summary>
public abstract class PhoneLookupHandlerBase(string id, string name) : IHandlerIntegration, IConformanceSamples
{
    public IntegrationDescriptor Descriptor { get; } = PhoneLookupBase.Describe(id, name);

    public IReadOnlyList<ConformanceSample> Samples => PhoneLookupBase.SampleCalls;

    public virtual async Task<IntegrationResult> HandleAsync(IntegrationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (PhoneLookupBase.Check(context.Input) is { } skip)
        {
            return IntegrationResult.Skip(skip);
        }

        var request = PhoneLookupBase.RequestFor(context.Input);
        using var message = new HttpRequestMessage(HttpMethod.Get, request.Url);
        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var answer = await context.Http.SendAsync(message, cancellationToken);
            var response = new IntegrationResponse
            {
                StatusCode = (int)answer.StatusCode,
                Body = await answer.Content.ReadAsStringAsync(cancellationToken),
                ContentType = answer.Content.Headers.ContentType is MediaTypeHeaderValue type ? type.MediaType : null,
            };
            return PhoneLookupBase.ResultFor(context.Input, response);
        }
        catch (HttpRequestException exception)
        {
            return IntegrationResult.Error($"The provider could not be reached: {exception.Message}");
        }
    }
}
