namespace PluggableFlows.Host;

/// <summary>
/// The lead server's default for how .NET completes socket operations on Linux and macOS: inline, on the sockets' event
/// thread, rather than queued to the thread pool. Each lead is a few network reads (the submission, each provider's and
/// recipient's answer), and queueing each completion costs a thread switch; inline, the host took 6% less CPU per lead
/// and served 8% more leads a second on the two-core load test (docs/performance.md, "Sixth session").
/// </summary>
/// <remarks>
/// .NET reads the setting from the environment once, before the process's first socket, so the host sets it as it
/// starts, unless the operator has set it already (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0</c> turns it off).
/// Code resumed by an inline completion holds up every other connection until it returns, so the engine moves back to
/// the thread pool as soon as an integration's HTTP call returns (<c>ResumeOnThreadPool</c>): plugins, rules and templates
/// never run on the event thread. See docs/server.md, "Socket completions".
/// </remarks>
public static class InlineSocketCompletions
{
    /// <summary>The environment variable .NET reads.</summary>
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Turns inline completions on for this process unless the environment already says either way. Call it
    /// first thing in <c>Main</c>: once a socket has been used, .NET has read the setting.</summary>
    /// <returns>Whether this call turned them on (false when the operator's setting was kept).</returns>
    public static bool PreferByDefault()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            return false;
        }

        Environment.SetEnvironmentVariable(Variable, "1");
        return true;
    }
}
