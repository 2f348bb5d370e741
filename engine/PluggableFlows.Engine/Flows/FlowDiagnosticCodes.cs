namespace PluggableFlows.Engine.Flows;

/// <summary>Stable ids of the problems a flow file can have (documented in <c>docs/flows.md</c>).</summary>
public static class FlowDiagnosticCodes
{
    /// <summary>The flow file could not be read.</summary>
    public const string FileUnreadable = "PF0100";

    /// <summary>The file is not valid YAML.</summary>
    public const string YamlSyntax = "PF0101";

    /// <summary>The document is empty, not a mapping, or there is more than one document.</summary>
    public const string NotAFlow = "PF0102";

    /// <summary>A key that is not part of the flow file shape.</summary>
    public const string UnknownKey = "PF0103";

    /// <summary>A required key is missing.</summary>
    public const string MissingKey = "PF0104";

    /// <summary>A value of the wrong type or outside its allowed values.</summary>
    public const string InvalidValue = "PF0105";

    /// <summary>An id, step key or list name that does not have the required form.</summary>
    public const string InvalidId = "PF0106";

    /// <summary>A field type that does not exist, or a custom field without a type.</summary>
    public const string UnknownFieldType = "PF0107";

    /// <summary>A field listed twice in <c>fields</c>.</summary>
    public const string DuplicateField = "PF0108";

    /// <summary>Two sources with the same id.</summary>
    public const string DuplicateSource = "PF0109";

    /// <summary>Two steps with the same key.</summary>
    public const string DuplicateStepKey = "PF0110";

    /// <summary>A step key that is a vars root (<c>lead</c>, <c>source</c>, ...).</summary>
    public const string ReservedStepKey = "PF0111";

    /// <summary>A step type other than filter, enhancement or delivery.</summary>
    public const string UnknownStepType = "PF0112";

    /// <summary>A filter without <c>stop_if</c> rules.</summary>
    public const string FilterWithoutRules = "PF0113";

    /// <summary>A step names an integration no loaded plugin offers.</summary>
    public const string UnknownIntegration = "PF0114";

    /// <summary>An enhancement integration in a delivery step, or the reverse.</summary>
    public const string IntegrationKindMismatch = "PF0115";

    /// <summary>An input the integration does not read.</summary>
    public const string UnknownInput = "PF0116";

    /// <summary>A required input that is not mapped.</summary>
    public const string MissingRequiredInput = "PF0117";

    /// <summary>A credential the integration does not declare.</summary>
    public const string UnknownCredential = "PF0118";

    /// <summary>A secret written inline in the flow file.</summary>
    public const string InlineSecret = "PF0119";

    /// <summary>A source mapping to a field the flow does not know.</summary>
    public const string UnknownMappingTarget = "PF0120";

    /// <summary><c>{ list: name }</c> naming a list file that does not exist.</summary>
    public const string ListFileNotFound = "PF0121";

    /// <summary>A <c>templates/*.sbn</c> reference to a file that does not exist.</summary>
    public const string TemplateFileNotFound = "PF0122";

    /// <summary>A <c>{{ path }}</c> placeholder whose root is not a vars root or a step key.</summary>
    public const string UnknownPlaceholderRoot = "PF0123";

    /// <summary>A <c>{{ lead.x }}</c> placeholder naming a field the flow does not know.</summary>
    public const string UnknownPlaceholderField = "PF0124";

    /// <summary>An add-on step maps credentials; add-ons run on the host's account.</summary>
    public const string AddOnCredentialsMapped = "PF0126";

    /// <summary>A BYOC step does not map a credential its integration requires.</summary>
    public const string MissingCredential = "PF0127";

    /// <summary><c>{ rule: name }</c> naming a rule file that does not exist or cannot be read.</summary>
    public const string RuleFileNotFound = "PF0128";

    /// <summary><c>{ rule: name }</c> without an extension, where both <c>name.js</c> and <c>name.csx</c> exist.</summary>
    public const string AmbiguousRuleFile = "PF0129";

    /// <summary><c>retry</c> on a filter step; only enhancement and delivery steps call an integration that can be retried.</summary>
    public const string RetryOnFilterStep = "PF0130";

    /// <summary>A <c>retry</c> setting outside its range: attempts not 2 to 50, backoff under 1s, max_backoff under backoff, a delay over 24h.</summary>
    public const string RetryOutOfRange = "PF0131";

    /// <summary><c>retry</c> together with <c>on_failure: stop</c>: the lead would stop on an error a retry may later undo.</summary>
    public const string RetryWithStop = "PF0132";

    /// <summary>A template (inline or a file under <c>templates/</c>) that Scriban cannot parse.</summary>
    public const string TemplateSyntax = "PF0401";

    /// <summary>A template file reference that points outside the <c>templates/</c> folder.</summary>
    public const string TemplateFileOutsideFolder = "PF0402";
}
