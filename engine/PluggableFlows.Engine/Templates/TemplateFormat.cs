namespace PluggableFlows.Engine.Templates;

/// <summary>What a template renders; values put into its output are escaped for that format.</summary>
public enum TemplateFormat
{
    /// <summary>Plain text (step inputs, reasons): values are written as they are.</summary>
    Text,

    /// <summary>A JSON body: values are escaped as JSON string content.</summary>
    Json,

    /// <summary>An XML or SOAP body: values are escaped as XML text (characters XML forbids are dropped).</summary>
    Xml,

    /// <summary>A form or query body: values are percent-encoded.</summary>
    Form,
}
