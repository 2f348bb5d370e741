using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Vars;

namespace PluggableFlows.Engine.Rules;

/// <summary>What the rule compiler needs to know about the flow a rule set belongs to.</summary>
public sealed class RuleCompilationContext
{
    /// <summary>Field types, for type-aware comparisons and for parsing rhv literals as the lhv's type.</summary>
    public required FieldTypeRegistry Types { get; init; }

    /// <summary>The type of a lead field id, or null when the flow neither declares it nor the catalog knows it.</summary>
    public required Func<string, string?> FieldTypeOf { get; init; }

    /// <summary>Lead field ids the flow knows (declared and standard), for "did you mean" hints on unknown fields.</summary>
    public IReadOnlyCollection<string> FieldIds { get; init; } = [];

    /// <summary>The slots of the fields the flow declares; rules read those fields by slot from a lead built with the
    /// same layout. Null: rules read every field by id.</summary>
    public FieldLayout? Layout { get; init; }

    /// <summary>Step keys declared in the flow (roots a path may start with besides lead/source/flow/submission/random).</summary>
    public IReadOnlySet<string> StepKeys { get; init; } = new HashSet<string>();

    /// <summary>Folder of named list files (<c>scripts/lists/&lt;name&gt;.txt</c>, one item per line, <c>#</c> comments).</summary>
    public string? ListsDirectory { get; init; }

    /// <summary>Folder where compiled C# rule assemblies are cached by content hash; null for the default
    /// (<c>PFLOW_RULES_CACHE</c>, else a folder under the temp directory).</summary>
    public string? CSharpCacheDirectory { get; init; }

    /// <summary>How long one regular expression match may run.</summary>
    public TimeSpan RegexTimeout { get; init; } = TimeSpan.FromMilliseconds(100);
}
