using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Rules.CSharp.Runtime;
using PluggableFlows.Engine.Vars;

namespace PluggableFlows.Engine.Rules.CSharp;

/// <summary>
/// The C# rules of one flow. Each rule is parsed when added (a syntax error is reported at once); <see cref="Build"/>
/// then compiles all of them in one compilation, checks them against the sandbox, injects the loop and recursion
/// budget, and loads the assembly into a collectible load context. The assembly is cached on disk by the hash of its
/// source, so loading the same flow again (a restart) skips Roslyn entirely.
/// </summary>
internal sealed class CSharpRuleBatch(RuleCompilationContext context)
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.None);

    private static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string[] framework = ["System.Private.CoreLib.dll", "System.Runtime.dll", "System.Collections.dll", "System.Linq.dll", "System.Memory.dll"];
        return framework.Select(name => Path.Combine(runtime, name)).Where(File.Exists)
            .Append(typeof(LeadVars).Assembly.Location)
            .Append(typeof(Sdk.FieldValue).Assembly.Location)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray();
    });

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> CompilationsByCache = new(StringComparer.Ordinal);

    /// <summary>How many times Roslyn compiled rules for <paramref name="cacheDirectory"/> in this process (cache hits
    /// do not count), for tests.</summary>
    public static int Compilations(string cacheDirectory) => CompilationsByCache.GetValueOrDefault(cacheDirectory);

    private readonly List<(ScriptRuleDefinition Rule, CSharpRuleSlot Slot)> _pending = [];

    /// <summary>Where compiled rule assemblies are cached when the context names no folder.</summary>
    public static string DefaultCacheDirectory =>
        Environment.GetEnvironmentVariable("PFLOW_RULES_CACHE") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Path.GetTempPath(), "pflow-csharp-rules");

    private string CacheDirectory => context.CSharpCacheDirectory ?? DefaultCacheDirectory;

    /// <summary>Queues a rule for <see cref="Build"/>, which parses, checks and compiles it with the others.</summary>
    public CSharpRuleSlot Add(ScriptRuleDefinition rule)
    {
        var slot = new CSharpRuleSlot();
        _pending.Add((rule, slot));
        return slot;
    }

    /// <summary>Compiles every queued rule, together; problems go to <paramref name="diagnostics"/>. A flow loaded
    /// before (same rules, same fields, same engine) is read from the disk cache without starting Roslyn at all.</summary>
    public void Build(DiagnosticBag diagnostics)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var key = CacheKey();
        var cacheFile = Path.Combine(CacheDirectory, key + ".dll");
        if (TryReadCache(cacheFile) is not { } cached || !TryLoad(cached, key))
        {
            var forms = _pending.Select(pending => Parse(pending.Rule, diagnostics)).ToList();
            var parsed = _pending.Select((pending, i) => (pending.Rule, Form: forms[i])).Where(p => p.Form is not null)
                .Select(p => (p.Rule, p.Form!.Value)).ToList();
            // Rules that parsed are compiled even when others did not, so one load reports every problem.
            if (parsed.Count > 0
                && Compile(CSharpRuleSource.Write(context, parsed), key, diagnostics) is { } image
                && parsed.Count == _pending.Count
                && TryLoad(image, key))
            {
                WriteCache(cacheFile, image);
            }
        }

        _pending.Clear();
    }

    private static CSharpRuleForm? Parse(ScriptRuleDefinition rule, DiagnosticBag diagnostics)
    {
        var text = rule.Source;
        var expression = SyntaxFactory.ParseExpression(text, options: ParseOptions);
        if (!expression.ContainsDiagnostics && !expression.ContainsDirectives)
        {
            return CSharpRuleForm.Expression;
        }

        // Not one expression: statements that return the answer (a rule file, or a block scalar), parsed as a block
        // so that a stray closing brace cannot end the generated method early.
        var looksLikeStatements = text.Contains(';', StringComparison.Ordinal);
        if (looksLikeStatements)
        {
            var block = SyntaxFactory.ParseStatement("{" + text + "\n}", options: ParseOptions);
            if (block is BlockSyntax && !block.ContainsDiagnostics && !block.ContainsDirectives)
            {
                return CSharpRuleForm.Body;
            }

            if (block.ContainsDirectives)
            {
                ReportAt(diagnostics, rule, 0, RuleDiagnosticCodes.CSharpSyntaxError, "C# rules may not contain preprocessor directives (#...).",
                    "Remove the # line.");
                return null;
            }

            var error = block.GetDiagnostics().First(d => d.Severity == DiagnosticSeverity.Error);
            ReportSyntax(diagnostics, rule, Math.Max(0, error.Location.SourceSpan.Start - 1), error);
            return null;
        }

        if (expression.ContainsDirectives)
        {
            ReportAt(diagnostics, rule, 0, RuleDiagnosticCodes.CSharpSyntaxError, "C# rules may not contain preprocessor directives (#...).", "Remove the # line.");
            return null;
        }

        var first = expression.GetDiagnostics().First(d => d.Severity == DiagnosticSeverity.Error);
        ReportSyntax(diagnostics, rule, first.Location.SourceSpan.Start, first);
        return null;
    }

    private static void ReportSyntax(DiagnosticBag diagnostics, ScriptRuleDefinition rule, int offset, Diagnostic error) =>
        ReportAt(diagnostics, rule, Math.Min(offset, rule.Source.Length), RuleDiagnosticCodes.CSharpSyntaxError,
            $"C# syntax error {error.Id} at {Position(rule.Source, offset)} of the rule: {error.GetMessage(CultureInfo.InvariantCulture)}",
            "Write one C# boolean expression, e.g. csharp: 'lead.state == \"TX\" && lead.dob.age >= 21', or statements that return one.");

    private byte[]? Compile(CSharpRuleSource source, string key, DiagnosticBag diagnostics)
    {
        CompilationsByCache.AddOrUpdate(CacheDirectory, 1, static (_, count) => count + 1);
        var tree = CSharpSyntaxTree.ParseText(source.Text, ParseOptions, path: "rules.g.cs", encoding: Encoding.UTF8);
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
            optimizationLevel: OptimizationLevel.Release, allowUnsafe: false, deterministic: true, nullableContextOptions: NullableContextOptions.Enable,
            generalDiagnosticOption: ReportDiagnostic.Default);
        var compilation = CSharpCompilation.Create(AssemblyName(key), [tree], References.Value, options);
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        foreach (var error in errors)
        {
            ReportCompileError(diagnostics, source, tree, error);
        }

        var failed = errors.Select(error => source.RuleAt(error.Location.SourceSpan.Start)?.Index).ToHashSet();
        var model = compilation.GetSemanticModel(tree);
        var budgeted = new List<int>();
        var violations = 0;
        // Rules that compiled are checked even when others did not, so one run reports every problem.
        foreach (var rule in source.Rules.Where(rule => !failed.Contains(rule.Index)))
        {
            var found = CSharpSandbox.Check(model, new Microsoft.CodeAnalysis.Text.TextSpan(rule.Start, rule.Definition.Source.Length), out var needsBudget);
            foreach (var violation in found)
            {
                violations++;
                var offset = violation.Position - rule.Start;
                ReportAt(diagnostics, rule.Definition, offset, RuleDiagnosticCodes.CSharpForbidden,
                    $"{violation.Message} (at {Position(rule.Definition.Source, offset)} of the rule)",
                    "C# rules may use lead fields, step data, strings, math, dates, collections and LINQ; see docs/rules.md for the allow-list.");
            }

            if (needsBudget)
            {
                budgeted.Add(rule.Index);
            }
        }

        if (violations > 0 || errors.Count > 0)
        {
            return null;
        }

        var root = (CompilationUnitSyntax)new CSharpBudgetInjector(model).Visit(tree.GetRoot())!;
        var rulesClass = root.DescendantNodes().OfType<ClassDeclarationSyntax>().Single(c => c.Identifier.ValueText == CSharpRuleSource.RulesClass);
        var marker = SyntaxFactory.ParseMemberDeclaration(
            $"public const string {CSharpRuleSource.BudgetedField} = \"{string.Join(",", budgeted)}\";", options: ParseOptions)!;
        root = root.ReplaceNode(rulesClass, rulesClass.AddMembers(marker));
        var emitted = compilation.ReplaceSyntaxTree(tree, tree.WithRootAndOptions(root, ParseOptions));
        using var image = new MemoryStream();
        var result = emitted.Emit(image);
        if (!result.Success)
        {
            var first = result.Diagnostics.First(d => d.Severity == DiagnosticSeverity.Error);
            diagnostics.Report(source.Rules[0].Definition.Location, RuleDiagnosticCodes.CSharpCompileError,
                $"The C# rules could not be built: {first.GetMessage(CultureInfo.InvariantCulture)}",
                "This is a bug in PluggableFlows; please report it with the rule.");
            return null;
        }

        return image.ToArray();
    }

    private void ReportCompileError(DiagnosticBag diagnostics, CSharpRuleSource source, SyntaxTree tree, Diagnostic error)
    {
        var position = error.Location.SourceSpan.Start;
        if (source.RuleAt(position) is not { } rule)
        {
            // The generated scaffolding failed to compile: report it at the first rule rather than lose it.
            diagnostics.Report(source.Rules[0].Definition.Location, RuleDiagnosticCodes.CSharpCompileError,
                $"The C# rules of this flow could not be compiled: {error.GetMessage(CultureInfo.InvariantCulture)}",
                "This is a bug in PluggableFlows; please report it with the flow's fields and rules.");
            return;
        }

        var offset = position - rule.Start;
        var token = tree.GetRoot().FindToken(position).ValueText;
        ReportAt(diagnostics, rule.Definition, offset, RuleDiagnosticCodes.CSharpCompileError,
            $"C# error {error.Id} at {Position(rule.Definition.Source, offset)} of the rule: {error.GetMessage(CultureInfo.InvariantCulture)}",
            Hint(error, token, source));
    }

    private string Hint(Diagnostic error, string token, CSharpRuleSource source)
    {
        var message = error.GetMessage(CultureInfo.InvariantCulture);
        switch (error.Id)
        {
            case "CS1061" or "CS0117" when (message.Contains("'Lead'", StringComparison.Ordinal) || message.Contains("'PflowRules.Lead'", StringComparison.Ordinal)):
                return Suggestions.Nearest(token, source.LeadMembers.Keys) is { } field
                    ? $"Did you mean lead.{field}?"
                    : "Declare the field under fields: in the flow, or use a standard field id.";
            case "CS1061" when message.Contains("'Field", StringComparison.Ordinal) || message.Contains("'PflowRules.Field_", StringComparison.Ordinal):
                return "A field has raw, normal, valid, is_blank, value, number, boolean, date and its type's components (lead.phone_1.area).";
            case "CS0234" or "CS0246" or "CS0103" when message.Contains("'System", StringComparison.Ordinal) || token is "Console" or "Environment" or "GC" or "Process" or "File" or "Directory" or "Thread" or "Task":
                return $"'{token}' is not available to rules: only strings, math, dates, collections, LINQ and the lead's data are (see docs/rules.md).";
            case "CS0227":
                return "Rules may not use unsafe code.";
            case "CS0103":
                var roots = new[] { "lead", "source", "flow", "submission", "random" }.Concat(context.StepKeys);
                return Suggestions.Nearest(token, roots) is { } root
                    ? $"Did you mean {root}?"
                    : $"Rules read lead, source, flow, submission, random and the step keys of this flow ({string.Join(", ", context.StepKeys.Order(StringComparer.Ordinal))}).";
            case "CS0029" or "CS1503" or "CS0266" or "CS0019":
                return "A C# rule is a boolean expression: compare with ==, <, >=, or call .is_blank, .contains(...), matches(...).";
            case "CS0161":
                return "Every path of a rule written as statements must return true or false.";
            default:
                return "Lead fields are lead.<field id> (with components, lead.phone_1.area); appended data is <step key>[\"name\"].";
        }
    }

    private bool TryLoad(byte[] image, string key)
    {
        try
        {
            var assembly = new CSharpRuleAssembly(key, image);
            var rules = assembly.Assembly.GetType(CSharpRuleSource.Namespace + "." + CSharpRuleSource.RulesClass, throwOnError: true)!;
            var budgeted = ((string)rules.GetField(CSharpRuleSource.BudgetedField)!.GetRawConstantValue()!)
                .Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(index => int.Parse(index, CultureInfo.InvariantCulture))
                .ToHashSet();
            var delegates = new Func<LeadVars, bool>[_pending.Count];
            for (var i = 0; i < _pending.Count; i++)
            {
                delegates[i] = rules.GetMethod("R" + i.ToString(CultureInfo.InvariantCulture), BindingFlags.Public | BindingFlags.Static)!
                    .CreateDelegate<Func<LeadVars, bool>>();
            }

            for (var i = 0; i < _pending.Count; i++)
            {
                _pending[i].Slot.Bind(delegates[i], budgeted.Contains(i), assembly);
            }

            return true;
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or TypeLoadException or MissingMethodException
                                  or NullReferenceException or ArgumentException or FormatException or InvalidCastException)
        {
            return false; // a damaged or stale cache entry: compile afresh
        }
    }

    private static byte[]? TryReadCache(string file)
    {
        try
        {
            return File.Exists(file) ? File.ReadAllBytes(file) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void WriteCache(string file, byte[] image)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            var temporary = file + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllBytes(temporary, image);
            File.Move(temporary, file, overwrite: true);
        }
        catch (IOException)
        {
            // The cache only saves time; a read-only or full disk must not fail the flow.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>The hash of everything the generated assembly depends on: the rules' text, the flow's fields with their
    /// types and components, its step keys, its field slots, and the versions of the engine, Roslyn, the sandbox and the runtime.</summary>
    private string CacheKey()
    {
        var text = new StringBuilder();
        text.AppendJoin('|', CSharpSandbox.Version, typeof(LeadVars).Assembly.ManifestModule.ModuleVersionId,
            typeof(CSharpCompilation).Assembly.GetName().Version, Environment.Version).Append('\n');
        foreach (var id in context.FieldIds.Order(StringComparer.Ordinal))
        {
            var type = context.FieldTypeOf(id) ?? "";
            text.Append(id).Append(':').Append(type);
            if (context.Types.TryGet(type, out var fieldType))
            {
                text.Append(':').AppendJoin(',', fieldType.Components);
            }

            text.Append('\n');
        }

        text.Append("steps:").AppendJoin(',', context.StepKeys.Order(StringComparer.Ordinal)).Append('\n');
        text.Append("slots:").AppendJoin(',', context.Layout?.Ids ?? []).Append('\n');
        foreach (var (rule, _) in _pending)
        {
            text.Append(rule.Source.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(rule.Source).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..32];
    }

    private static string AssemblyName(string key) => "pflow-rules-" + key;

    /// <summary>"line 2, column 7", counted inside the rule's text.</summary>
    private static string Position(string text, int offset)
    {
        var (line, column) = LineColumn(text, offset);
        return $"line {line}, column {column}";
    }

    private static (int Line, int Column) LineColumn(string text, int offset)
    {
        offset = Math.Clamp(offset, 0, text.Length);
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, offset - lineStart + 1);
    }

    private static void ReportAt(DiagnosticBag diagnostics, ScriptRuleDefinition rule, int offset, string code, string message, string hint)
    {
        var (line, column) = LineColumn(rule.Source, offset);
        var at = line == 1
            ? rule.Location with { Column = rule.Location.Column + column - 1 }
            : rule.Location with { Line = rule.Location.Line + line - 1, Column = column };
        diagnostics.Report(at, code, message, hint);
    }
}

/// <summary>Where a compiled C# rule will be, once its flow's rules are built.</summary>
internal sealed class CSharpRuleSlot
{
    private Func<LeadVars, bool>? _run;
    private bool _budgeted;

    /// <summary>Keeps the load context alive while a rule from it can still run.</summary>
    private CSharpRuleAssembly? _owner;

    public bool IsBound => _run is not null;

    public void Bind(Func<LeadVars, bool> run, bool budgeted, CSharpRuleAssembly owner)
    {
        _budgeted = budgeted;
        _owner = owner;
        _run = run;
    }

    /// <summary>Runs the rule: its answer, or why it failed (an exception, or the budget).</summary>
    public (RuleOutcome Outcome, string? Error) Run(LeadVars vars)
    {
        var run = _run;
        if (run is null)
        {
            return (RuleOutcome.Error, "The C# rules of this flow were not compiled.");
        }

        try
        {
            if (!_budgeted)
            {
                return (run(vars) ? RuleOutcome.True : RuleOutcome.False, null);
            }

            RuleBudget.Begin();
            var passed = run(vars);
            return RuleBudget.Exceeded is { } exceeded ? (RuleOutcome.Error, exceeded) : (passed ? RuleOutcome.True : RuleOutcome.False, null);
        }
#pragma warning disable CA1031 // Whatever a rule does wrong becomes the rule's error; the host carries on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            GC.KeepAlive(_owner);
            return (RuleOutcome.Error, e switch
            {
                RuleBudgetExceededException => e.Message,
                InsufficientExecutionStackException => "The rule exceeded its recursion budget (the stack is nearly full).",
                System.Text.RegularExpressions.RegexMatchTimeoutException => "The rule timed out in a regular expression.",
                OutOfMemoryException => "The rule exceeded its memory budget.",
                _ => $"The rule threw {e.GetType().Name}: {e.Message}",
            });
        }
    }
}

/// <summary>A flow's compiled rules in their own collectible load context, unloaded once nothing uses them.</summary>
internal sealed class CSharpRuleAssembly
{
    private readonly RuleLoadContext _context;

    public CSharpRuleAssembly(string key, byte[] image)
    {
        _context = new RuleLoadContext("pflow-rules-" + key);
        using var stream = new MemoryStream(image, writable: false);
        Assembly = _context.LoadFromStream(stream);
    }

    /// <summary>The number of rule load contexts created and not yet collected, for leak tests.</summary>
    public static int LiveContexts => AssemblyLoadContext.All.Count(context => context is RuleLoadContext);

    public Assembly Assembly { get; }

    ~CSharpRuleAssembly()
    {
        _context.Unload();
    }

    private sealed class RuleLoadContext(string name) : AssemblyLoadContext(name, isCollectible: true)
    {
        private static readonly AssemblyLoadContext EngineContext = GetLoadContext(typeof(LeadVars).Assembly) ?? Default;

        // Everything a rule assembly references (the engine, the SDK, the framework) resolves where the engine itself
        // was loaded, so LeadVars here is the engine's LeadVars.
        protected override Assembly? Load(AssemblyName assemblyName) => EngineContext.LoadFromAssemblyName(assemblyName);
    }
}
