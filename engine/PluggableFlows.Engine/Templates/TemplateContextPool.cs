using System.Collections.Concurrent;
using Scriban.Runtime;

namespace PluggableFlows.Engine.Templates;

/// <summary>Contexts kept for reuse: each is rented by one render at a time, never shared between threads. The
/// function library they share is made when the first context is.</summary>
internal sealed class TemplateContextPool(Lazy<ScriptObject> builtins, TemplateOptions options)
{
    private const int MaxKept = 64;
    private readonly ConcurrentQueue<FlowTemplateContext> _idle = new();

    /// <summary>Whether the function library has been made (a template other than substitutions has rendered).</summary>
    public bool LibraryMade => builtins.IsValueCreated;

    public FlowTemplateContext Rent() => _idle.TryDequeue(out var context) ? context : new FlowTemplateContext(builtins.Value, options);

    /// <summary>Returns a context after a clean render; one that failed part-way is dropped (its stacks may be mid-render).</summary>
    public void Return(FlowTemplateContext context)
    {
        context.End();
        if (_idle.Count < MaxKept)
        {
            _idle.Enqueue(context);
        }
    }
}
