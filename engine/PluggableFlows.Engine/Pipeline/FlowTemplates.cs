using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Flows;
using PluggableFlows.Engine.Templates;

namespace PluggableFlows.Engine.Pipeline;

/// <summary>Parses one flow's templates while it compiles: inline text, or files under <c>templates/</c> read once.</summary>
internal sealed class FlowTemplates(TemplateEngine engine, FlowDefinition flow, string? scriptsRoot, DiagnosticBag diagnostics)
{
    private readonly IReadOnlySet<string> _stepKeys = flow.Steps.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);

    /// <summary>A reason or other text template.</summary>
    public FlowTemplate Text(string text, SourceLocation location) => Parse(text, TemplateFormat.Text, location, null);

    /// <summary>A step input; a <c>body</c> is escaped for its integration's format.</summary>
    public FlowTemplate Input(IntegrationStepDefinition step, string name, string value, SourceLocation location)
    {
        if (!TemplateFiles.IsReference(value) || scriptsRoot is null)
        {
            return Parse(value, TemplateFiles.FormatOfInput(step.Integration, name), location, null);
        }

        var format = TemplateFiles.FormatOfInput(step.Integration, name, value);
        var path = TemplateFiles.Resolve(scriptsRoot, value);
        try
        {
            if (path is null)
            {
                throw new IOException($"it is outside the {TemplateFiles.Folder} folder");
            }

            return Parse(File.ReadAllText(path), format, location, value.Trim());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The flow reader reports a missing file at its position; this covers a file removed or unreadable since.
            diagnostics.Report(location, FlowDiagnosticCodes.TemplateFileNotFound, $"Template file '{value.Trim()}' cannot be read: {e.Message}",
                $"Put the file under {TemplateFiles.Folder}/ in the scripts folder.");
            return engine.Parse("", format, _stepKeys);
        }
    }

    private FlowTemplate Parse(string text, TemplateFormat format, SourceLocation location, string? file)
    {
        var template = engine.Parse(text, format, _stepKeys);
        foreach (var error in template.Errors)
        {
            var at = file is null ? location : new SourceLocation(Path.Combine(scriptsRoot ?? "", file), error.Line, error.Column);
            diagnostics.Report(at, FlowDiagnosticCodes.TemplateSyntax, $"The template does not parse: {error.Message}",
                TemplateSyntaxHint);
        }

        return template;
    }

    internal const string TemplateSyntaxHint =
        "Check the {{ }} blocks near here: every if, for, while, case, capture and func needs its end, and text that should appear as is goes outside {{ }} (or in {{ '{{' }}).";
}
