namespace PluggableFlows.Sdk;

/// <summary>Whether an integration appends data to a lead or delivers the lead somewhere.</summary>
public enum IntegrationKind
{
    /// <summary>Looks something up and appends what it learns under the step key.</summary>
    Enhancement,

    /// <summary>Sends the lead to a CRM, dialer or warehouse.</summary>
    Delivery,
}

/// <summary>Who holds the provider account an integration runs on.</summary>
public enum IntegrationClass
{
    /// <summary>Runs on the operator's host-wide account; every call is a billable transaction.</summary>
    AddOn,

    /// <summary>Bring your own credentials: runs on credentials the flow maps on the step.</summary>
    Byoc,
}

/// <summary>One variable an integration reads (request) or appends (response).</summary>
/// <param name="Name">Dotted name, e.g. <c>phone</c> or <c>line_type</c>. A request variable named <c>*</c>
/// lets a step map inputs of any other name (a delivery whose inputs are the recipient's columns); a response variable
/// named <c>*</c> says the integration also appends fields named by the provider (an HTTP delivery's JSON answer).</param>
/// <param name="Type">A field type name (<c>string</c>, <c>phone</c>, <c>number</c>, <c>boolean</c>, ...).</param>
/// <param name="Required">Whether the integration cannot run without it (request variables only).</param>
/// <param name="Description">What it means, for people configuring the step.</param>
public sealed record VariableDescriptor(string Name, string Type, bool Required = false, string? Description = null);

/// <summary>A credential an integration needs (an API key, a token, an account id).</summary>
/// <param name="Name">The name the step maps it under, e.g. <c>api_key</c>.</param>
/// <param name="Description">What it is and where to find it.</param>
/// <param name="Required">Whether the integration cannot run without it. For a BYOC integration, <c>pflow check</c>
/// reports a step that does not map a required credential; for an add-on the host supplies it.</param>
public sealed record CredentialDescriptor(string Name, string? Description = null, bool Required = true);

/// <summary>Everything the host needs to know about one integration before calling it.</summary>
public sealed record IntegrationDescriptor
{
    /// <summary>Globally unique id, dotted, lower-case: <c>phone.verify</c>, <c>http.json</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Display name.</summary>
    public required string Name { get; init; }

    /// <summary>Enhancement or delivery.</summary>
    public required IntegrationKind Kind { get; init; }

    /// <summary>Add-on (operator's account, billed per transaction) or BYOC (flow owner's credentials).</summary>
    public IntegrationClass Class { get; init; } = IntegrationClass.Byoc;

    /// <summary>Price of one call for add-ons, in the host's currency. Zero for BYOC.</summary>
    public decimal CostPerTransaction { get; init; }

    /// <summary>Credentials the integration needs.</summary>
    public IReadOnlyList<CredentialDescriptor> Credentials { get; init; } = [];

    /// <summary>Variables the step maps as inputs.</summary>
    public IReadOnlyList<VariableDescriptor> RequestVariables { get; init; } = [];

    /// <summary>Variables the integration appends under the step key.</summary>
    public IReadOnlyList<VariableDescriptor> ResponseVariables { get; init; } = [];
}
