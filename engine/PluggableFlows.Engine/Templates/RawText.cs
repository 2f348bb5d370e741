namespace PluggableFlows.Engine.Templates;

/// <summary>Text already encoded for the body's format (by a helper, or marked <c>raw</c>): written as it is.</summary>
internal sealed class RawText(string text)
{
    public string Text { get; } = text;

    public override string ToString() => Text;
}
