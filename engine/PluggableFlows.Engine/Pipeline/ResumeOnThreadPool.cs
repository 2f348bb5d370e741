using System.Runtime.CompilerServices;

namespace PluggableFlows.Engine.Pipeline;

/// <summary>
/// Awaited where the engine's code resumes after network I/O, before it hands control back to integrations, rules and
/// templates: continues on a thread-pool thread, at once if it is on one already.
/// </summary>
/// <remarks>
/// With inline socket completions (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>, the lead server's default:
/// docs/server.md) .NET runs a socket's completion on the sockets' event thread instead of queueing it to the thread
/// pool, which saves a thread switch per network read. Whatever that completion resumes runs there too, and holds up
/// every other connection's I/O until it returns: a plugin that blocked on the network there would wait for an event
/// only that thread can deliver. So the engine leaves that thread here, and no plugin or rule code ever runs on it.
/// Without inline completions the caller is already on the thread pool and this costs one property read.
/// </remarks>
internal readonly struct ResumeOnThreadPool : ICriticalNotifyCompletion
{
    public ResumeOnThreadPool GetAwaiter() => this;

    public bool IsCompleted => Thread.CurrentThread.IsThreadPoolThread;

    public void GetResult()
    {
    }

    public void OnCompleted(Action continuation) =>
        ThreadPool.QueueUserWorkItem(static run => run(), continuation, preferLocal: false);

    public void UnsafeOnCompleted(Action continuation) =>
        ThreadPool.UnsafeQueueUserWorkItem(static run => run(), continuation, preferLocal: false);
}
