using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.Http;

/// <summary>Canned answers from a typical CRM, for the conformance kit: the same exchanges whatever the body format.</summary>
internal static class HttpSamples
{
    private const string SampleToken = "crm-sample-token-7f3a9c21";

    public static IReadOnlyList<ConformanceSample> For(string prefix, bool soap = false) =>
    [
        new()
        {
            Name = "lead accepted",
            Inputs = Inputs(prefix, soap),
            Credentials = new Dictionary<string, string> { [HttpDelivery.Token] = SampleToken },
            Response = Json(201, """{"result":"accepted","lead_id":"L-1001","price":12.5}"""),
            ExpectedOutcome = Outcome.Success,
            ExpectedAppended = new Dictionary<string, string>
            {
                ["status"] = "201", ["reference"] = "L-1001", ["result"] = "accepted", ["lead_id"] = "L-1001",
            },
        },
        new()
        {
            Name = "duplicate lead rejected in a 200 answer",
            Inputs = Inputs(prefix, soap),
            Credentials = new Dictionary<string, string> { [HttpDelivery.Token] = SampleToken },
            Response = Json(200, """{"result":"rejected","message":"Duplicate lead"}"""),
            ExpectedOutcome = Outcome.Failure,
            ExpectedAppended = new Dictionary<string, string> { ["status"] = "200", ["result"] = "rejected" },
        },
        new()
        {
            Name = "invalid lead refused with 422",
            Inputs = Inputs(prefix, soap),
            Credentials = new Dictionary<string, string> { [HttpDelivery.Token] = SampleToken },
            Response = Json(422, """{"message":"email is invalid"}"""),
            ExpectedOutcome = Outcome.Failure,
            ExpectedAppended = new Dictionary<string, string> { ["status"] = "422" },
        },
    ];

    // The first input is the one the kit varies in its concurrency check: a lead value, as in a real step.
    private static Dictionary<string, string> Inputs(string prefix, bool soap) => prefix switch
    {
        "xml_path." => Common(soap ? "http://crm.example.com/soap" : "https://crm.example.com/leads",
            (prefix + (soap ? "AddLead.Lead.Email" : "lead.contact.email"), "jane@example.com"),
            (prefix + (soap ? "AddLead.Lead.FirstName" : "lead.contact.first_name"), "Jane")),
        "json_property." => Common("https://crm.example.com/leads", (prefix + "contact.email", "jane@example.com"), (prefix + "first_name", "Jane")),
        _ => Common("https://crm.example.com/leads", (prefix + "email", "jane@example.com"), (prefix + "first_name", "Jane")),
    };

    private static Dictionary<string, string> Common(string url, params (string Name, string Value)[] values)
    {
        var inputs = values.ToDictionary(value => value.Name, value => value.Value);
        foreach (var (name, value) in Shared(url))
        {
            inputs[name] = value;
        }

        return inputs;
    }

    private static Dictionary<string, string> Shared(string url) => new()
    {
        ["url"] = url,
        ["header.X-Campaign"] = "spring",
        [ResponseRules.SearchTermName] = "accepted",
        [ResponseRules.SearchPath] = "result",
        [ResponseRules.ReasonPathName] = "message",
        [ResponseRules.PricePathName] = "price",
        [ResponseRules.ReferencePathName] = "lead_id",
    };

    private static IntegrationResponse Json(int status, string body) =>
        new() { StatusCode = status, Body = body, ContentType = "application/json" };
}
