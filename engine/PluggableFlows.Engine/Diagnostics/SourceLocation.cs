namespace PluggableFlows.Engine.Diagnostics;

/// <summary>A place in a user's file: 1-based line and column.</summary>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    /// <summary>A location when nothing better is known (a whole file).</summary>
    public static SourceLocation StartOf(string file) => new(file, 1, 1);

    /// <summary><c>file:line:column</c>, the form editors and terminals link.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}";
}
