namespace PluggableFlows.Engine.Templates;

/// <summary>A template failed while rendering (unknown variable, a limit reached, a helper given bad input).</summary>
public sealed class TemplateRenderException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TemplateRenderException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public TemplateRenderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public TemplateRenderException()
    {
    }
}
