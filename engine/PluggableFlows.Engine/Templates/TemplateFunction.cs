using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace PluggableFlows.Engine.Templates;

/// <summary>
/// One engine function called straight from Scriban. Scriban calls imported delegates through reflection, which costs
/// about two microseconds a call; a body renders twenty of them, so the engine's functions take their arguments directly.
/// </summary>
internal sealed class TemplateFunction(int required, int parameters, Func<IReadOnlyList<object?>, object?> body) : IScriptCustomFunction
{
    public int RequiredParameterCount => required;

    public int ParameterCount => parameters;

    public ScriptVarParamKind VarParamKind => ScriptVarParamKind.None;

    public Type ReturnType => typeof(object);

    public ScriptParameterInfo GetParameterInfo(int index) => new(typeof(object), "value" + index);

    public object? Invoke(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement)
    {
        if (arguments.Count < required || arguments.Count > parameters)
        {
            throw new ScriptRuntimeException(callerContext?.Span ?? default,
                $"Expected {(required == parameters ? $"{required}" : $"{required} to {parameters}")} arguments, but found {arguments.Count}.");
        }

        var values = new object?[arguments.Count];
        arguments.CopyTo(values, 0);
        return body(values);
    }

    /// <summary>Calls the function outside Scriban (the substitution path), with the same checks.</summary>
    public object? Call(object?[] arguments) =>
        arguments.Length < required || arguments.Length > parameters
            ? throw new TemplateRenderException($"Expected {required} to {parameters} arguments, but found {arguments.Length}.")
            : body(arguments);

    /// <summary>Whether a call with this many arguments is allowed.</summary>
    public bool Accepts(int count) => count >= required && count <= parameters;

    public ValueTask<object?> InvokeAsync(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement) =>
        ValueTask.FromResult(Invoke(context, callerContext, arguments, blockStatement));

    /// <summary>The argument at <paramref name="index"/> as text, or null when it was not given.</summary>
    public static string? Text(IReadOnlyList<object?> arguments, int index) =>
        index < arguments.Count && arguments[index] is { } value ? TextTemplate.Format(value) : null;
}
