using System.Text;
using Scriban.Runtime;
using Scriban.Syntax;

namespace PluggableFlows.Engine.Templates;

/// <summary>A render's output that refuses to grow past the output limit (a runaway loop cannot exhaust memory).</summary>
internal sealed class LimitedOutput(int limit) : IScriptOutput
{
    private readonly StringBuilder _builder = new();

    public void Write(string text, int offset, int count)
    {
        if (_builder.Length + count > limit)
        {
            throw new ScriptRuntimeException(default, $"The template's output passed its limit of {limit:N0} characters.");
        }

        _builder.Append(text, offset, count);
    }

    public ValueTask WriteAsync(string text, int offset, int count, CancellationToken cancellationToken)
    {
        Write(text, offset, count);
        return ValueTask.CompletedTask;
    }

    /// <summary>The output so far, emptied for the next render.</summary>
    public string Take()
    {
        var text = _builder.ToString();
        _builder.Clear();
        return text;
    }

    public void Clear() => _builder.Clear();

    public override string ToString() => _builder.ToString();
}
