namespace PluggableFlows.Engine.Templates;

/// <summary>A problem found while parsing a template, at a 1-based line and column of the template text.</summary>
/// <param name="Message">What is wrong, as Scriban says it.</param>
/// <param name="Line">1-based line within the template text.</param>
/// <param name="Column">1-based column within that line.</param>
public sealed record TemplateError(string Message, int Line, int Column);
