using System.Globalization;
using System.Text.Json;
using PluggableFlows.Sdk;

namespace PluggableFlows.TestPlugins;

/// <summary>
/// A well-behaved request/response integration: looks a phone number up at a (made-up) provider and appends its line
/// type and carrier. The broken test plugins derive from it and spoil one thing each, so the conformance kit's tests show
/// it finds exactly that defect. Abstract, so a plugin folder holds only the integration its own project declares.
/// </summary>
public abstract class PhoneLookupBase : IRequestResponseIntegration, IConformanceSamples
{
    /// <summary>A made-up key: the kit checks it never appears unmasked.</summary>
    public const string SampleApiKey = "test-key-8c1f27";

    private static readonly IntegrationResponse Mobile = Json("""{ "valid": true, "line_type": "mobile", "carrier": "Acme Wireless" }""");
    private static readonly IntegrationResponse Invalid = Json("""{ "valid": false }""");

    protected PhoneLookupBase(string id, string name) =>
        Descriptor = Describe(id, name);

    public IntegrationDescriptor Descriptor { get; }

    public static IntegrationDescriptor Describe(string id, string name) =>
        new()
        {
            Id = id,
            Name = name,
            Kind = IntegrationKind.Enhancement,
            Class = IntegrationClass.Byoc,
            Credentials = [new CredentialDescriptor("api_key", "The provider's API key.")],
            RequestVariables = [new VariableDescriptor("phone", "phone", Required: true, "The number to look up.")],
            ResponseVariables =
            [
                new VariableDescriptor("phone", "phone", Description: "The number looked up."),
                new VariableDescriptor("line_type", "string", Description: "mobile, landline or voip."),
                new VariableDescriptor("carrier", "string", Description: "The carrier's name."),
            ],
        };

    public static IReadOnlyList<ConformanceSample> SampleCalls { get; } =
    [
        new()
        {
            Name = "mobile number",
            Inputs = new Dictionary<string, string> { ["phone"] = "(512) 555-1212" },
            Credentials = new Dictionary<string, string> { ["api_key"] = SampleApiKey },
            Response = Mobile,
            ExpectedOutcome = Outcome.Success,
            ExpectedAppended = new Dictionary<string, string> { ["line_type"] = "mobile", ["carrier"] = "Acme Wireless", ["phone"] = "5125551212" },
        },
        new()
        {
            Name = "not a valid number",
            Inputs = new Dictionary<string, string> { ["phone"] = "(512) 555-1213" },
            Credentials = new Dictionary<string, string> { ["api_key"] = SampleApiKey },
            Response = Invalid,
            ExpectedOutcome = Outcome.Failure,
        },
    ];

    public virtual IReadOnlyList<ConformanceSample> Samples => SampleCalls;

    public virtual string? Validate(IntegrationInput input) => Check(input);

    public virtual IntegrationRequest BuildRequest(IntegrationInput input) => RequestFor(input);

    public virtual IntegrationResult ParseResponse(IntegrationInput input, IntegrationRequest request, IntegrationResponse response) =>
        ResultFor(input, response);

    public static string? Check(IntegrationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.GetField("phone") is not { Valid: true })
        {
            return "No valid phone number to look up";
        }

        return input.GetCredential("api_key") is null ? "No api_key credential is mapped" : null;
    }

    public static IntegrationRequest RequestFor(IntegrationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new IntegrationRequest
        {
            Url = new Uri($"https://lookup.example.test/v1/phones/{Uri.EscapeDataString(input.GetString("phone")!)}"),
            Headers = [KeyValuePair.Create("X-Api-Key", input.GetCredential("api_key")!)],
        };
    }

    public static IntegrationResult ResultFor(IntegrationInput input, IntegrationResponse response)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(response);
        if (response.StatusCode is 400 or 404 or 422)
        {
            return IntegrationResult.Failure(string.Create(CultureInfo.InvariantCulture, $"The provider rejected the number ({response.StatusCode})"));
        }

        if (response.StatusCode is < 200 or > 299)
        {
            return IntegrationResult.Error(string.Create(CultureInfo.InvariantCulture, $"The provider answered {response.StatusCode}"));
        }

        try
        {
            using var document = JsonDocument.Parse(response.Body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("valid", out var valid) || valid.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return IntegrationResult.Error("The provider's answer has no 'valid' field");
            }

            if (!valid.GetBoolean())
            {
                return IntegrationResult.Failure("Not a valid phone number");
            }

            return IntegrationResult.Success(new Dictionary<string, object?>
            {
                ["phone"] = input.GetString("phone"),
                ["line_type"] = Text(root, "line_type"),
                ["carrier"] = Text(root, "carrier"),
            });
        }
        catch (JsonException)
        {
            return IntegrationResult.Error("The provider's answer is not JSON");
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IntegrationResponse Json(string body) => new() { StatusCode = 200, Body = body, ContentType = "application/json" };
}
