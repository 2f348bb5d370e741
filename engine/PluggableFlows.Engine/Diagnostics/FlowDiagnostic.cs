namespace PluggableFlows.Engine.Diagnostics;

/// <summary>
/// One problem in a user's flow, rule or template file, written for the person who wrote it:
/// where, what was found, what was expected, and how to fix it.
/// </summary>
/// <param name="Location">Where the problem is.</param>
/// <param name="Code">A stable id (<c>PF0101</c>) so docs and searches can refer to it.</param>
/// <param name="Message">What is wrong, naming what was found.</param>
/// <param name="Hint">How to fix it (the nearest valid operator, the known step keys, ...), when we can tell.</param>
public sealed record FlowDiagnostic(SourceLocation Location, string Code, string Message, string? Hint = null)
{
    /// <summary><c>file:line:column: error PF0101: message (hint)</c>.</summary>
    public override string ToString() =>
        Hint is null ? $"{Location}: error {Code}: {Message}" : $"{Location}: error {Code}: {Message} Hint: {Hint}";
}

/// <summary>Collects diagnostics while a flow is loaded, so every error is reported, not just the first.</summary>
public sealed class DiagnosticBag
{
    private readonly List<FlowDiagnostic> _items = [];

    /// <summary>Everything reported so far, in report order.</summary>
    public IReadOnlyList<FlowDiagnostic> Items => _items;

    /// <summary>True when anything was reported.</summary>
    public bool HasErrors => _items.Count > 0;

    /// <summary>Reports a problem.</summary>
    public void Report(SourceLocation location, string code, string message, string? hint = null) =>
        _items.Add(new FlowDiagnostic(location, code, message, hint));

    /// <summary>Adds diagnostics reported elsewhere.</summary>
    public void AddRange(IEnumerable<FlowDiagnostic> diagnostics) => _items.AddRange(diagnostics);
}

/// <summary>Thrown when a flow cannot be loaded; carries every diagnostic found.</summary>
public sealed class FlowLoadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FlowLoadException(IReadOnlyList<FlowDiagnostic> diagnostics)
        : base(string.Join(Environment.NewLine, diagnostics)) => Diagnostics = diagnostics;

    /// <summary>Creates the exception.</summary>
    public FlowLoadException() : this([]) { }

    /// <summary>Creates the exception.</summary>
    public FlowLoadException(string message) : base(message) => Diagnostics = [];

    /// <summary>Creates the exception.</summary>
    public FlowLoadException(string message, Exception inner) : base(message, inner) => Diagnostics = [];

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<FlowDiagnostic> Diagnostics { get; }
}
