using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace PluggableFlows.Engine.Rules.CSharp;

/// <summary>A construct or API a C# rule may not use, and where.</summary>
internal sealed record SandboxViolation(TextSpan Span, string Message)
{
    /// <summary>The node it was found on.</summary>
    public SyntaxNode? Node { get; init; }

    /// <summary>Found on an operator or conversion, which the operands usually explain better.</summary>
    public bool OnOperator { get; init; }

    public int Position => Span.Start;
}

/// <summary>
/// The semantic allow-list of C# rules. A rule may use the language's expressions, lambdas, loops and local functions,
/// and a fixed set of types: primitives, strings, math, dates and times, collections and LINQ, and the rule runtime.
/// Everything else — files, network, processes, threads and tasks, reflection, environment, GC and Marshal,
/// <c>unsafe</c>, <c>dynamic</c>, <c>typeof</c>/<c>GetType()</c>, <c>goto</c>, <c>try</c>, attributes — is rejected
/// at compile time with the name of the forbidden API and its position.
/// </summary>
internal static class CSharpSandbox
{
    /// <summary>Changes whenever the rules below change, so cached assemblies checked by older rules are not reused.</summary>
    public const string Version = "sandbox-1";

    private const int MaxArrayLength = 10_000;

    /// <summary>Types a rule may use with every member, except those in <see cref="DeniedMembers"/>.</summary>
    private static readonly HashSet<string> AllowedTypes = new(StringComparer.Ordinal)
    {
        "System.Object", "System.String", "System.Char", "System.Boolean", "System.Byte", "System.SByte", "System.Int16",
        "System.UInt16", "System.Int32", "System.UInt32", "System.Int64", "System.UInt64", "System.Single", "System.Double",
        "System.Decimal", "System.Math", "System.MathF", "System.DateTime", "System.DateTimeOffset", "System.DateOnly",
        "System.TimeOnly", "System.TimeSpan", "System.DayOfWeek", "System.DateTimeKind", "System.StringComparison",
        "System.StringComparer", "System.StringSplitOptions", "System.MidpointRounding", "System.Nullable`1",
        "System.Nullable", "System.Index", "System.Range", "System.Void", "System.IComparable`1", "System.IEquatable`1",
        "System.ValueTuple", "System.ValueTuple`1", "System.ValueTuple`2", "System.ValueTuple`3", "System.ValueTuple`4",
        "System.ValueTuple`5", "System.ValueTuple`6", "System.ValueTuple`7", "System.ValueTuple`8",
        "System.Tuple`2", "System.Tuple`3", "System.Func`1", "System.Func`2", "System.Func`3", "System.Func`4", "System.Func`5",
        "System.Action", "System.Action`1", "System.Action`2", "System.Action`3", "System.Predicate`1", "System.Comparison`1",
        "System.Span`1", "System.ReadOnlySpan`1", "System.MemoryExtensions", "System.Array",
        "System.Globalization.CultureInfo", "System.Globalization.NumberStyles", "System.Globalization.DateTimeStyles",
        "System.Globalization.CompareOptions",
        "System.Linq.Enumerable", "System.Linq.IGrouping`2", "System.Linq.ILookup`2", "System.Linq.IOrderedEnumerable`1",
        "System.Collections.IEnumerable", "System.Collections.IEnumerator",
        "System.Collections.Generic.IEnumerable`1", "System.Collections.Generic.IEnumerator`1",
        "System.Collections.Generic.ICollection`1", "System.Collections.Generic.IList`1",
        "System.Collections.Generic.IReadOnlyCollection`1", "System.Collections.Generic.IReadOnlyList`1",
        "System.Collections.Generic.IDictionary`2", "System.Collections.Generic.IReadOnlyDictionary`2",
        "System.Collections.Generic.ISet`1", "System.Collections.Generic.IReadOnlySet`1",
        "System.Collections.Generic.List`1", "System.Collections.Generic.Dictionary`2", "System.Collections.Generic.HashSet`1",
        "System.Collections.Generic.KeyValuePair`2", "System.Collections.Generic.KeyValuePair",
        "System.Collections.Generic.Comparer`1", "System.Collections.Generic.EqualityComparer`1",
        "System.Collections.Generic.IComparer`1", "System.Collections.Generic.IEqualityComparer`1",
        "System.Runtime.CompilerServices.DefaultInterpolatedStringHandler",
        // Thrown to fail a rule on purpose (the rule then evaluates to an error): constructors only, see below.
        "System.Exception", "System.InvalidOperationException", "System.ArgumentException",
    };

    /// <summary>Members of allowed types that are not allowed: clocks (use submission.timestamp), reflection,
    /// and whatever builds something huge from one number.</summary>
    private static readonly Dictionary<string, string> DeniedMembers = new(StringComparer.Ordinal)
    {
        ["System.Object.GetType"] = "reflection",
        ["System.DateTime.Now"] = "the clock (use submission.timestamp)",
        ["System.DateTime.UtcNow"] = "the clock (use submission.timestamp)",
        ["System.DateTime.Today"] = "the clock (use submission.timestamp)",
        ["System.DateTimeOffset.Now"] = "the clock (use submission.timestamp)",
        ["System.DateTimeOffset.UtcNow"] = "the clock (use submission.timestamp)",
        ["System.String..ctor"] = "building a string from a count",
        ["System.String.PadLeft"] = "padding to an arbitrary width",
        ["System.String.PadRight"] = "padding to an arbitrary width",
        ["System.String.Create"] = "building a string from a count",
        ["System.String.Intern"] = "the process-wide intern pool",
        ["System.String.IsInterned"] = "the process-wide intern pool",
        ["System.Linq.Enumerable.Range"] = "sequences of arbitrary length",
        ["System.Linq.Enumerable.Repeat"] = "sequences of arbitrary length",
        ["System.Linq.Enumerable.Chunk"] = "sequences of arbitrary length",
        ["System.Collections.Generic.List`1.Capacity"] = "preallocating memory",
        ["System.Collections.Generic.List`1.EnsureCapacity"] = "preallocating memory",
        ["System.Collections.Generic.Dictionary`2.EnsureCapacity"] = "preallocating memory",
        ["System.Collections.Generic.HashSet`1.EnsureCapacity"] = "preallocating memory",
        ["System.Globalization.CultureInfo.CurrentCulture"] = "the host's culture (use CultureInfo.InvariantCulture)",
        ["System.Globalization.CultureInfo.DefaultThreadCurrentCulture"] = "the host's culture (use CultureInfo.InvariantCulture)",
        ["System.Globalization.CultureInfo.CurrentUICulture"] = "the host's culture (use CultureInfo.InvariantCulture)",
        ["System.Globalization.CultureInfo.DefaultThreadCurrentUICulture"] = "the host's culture (use CultureInfo.InvariantCulture)",
        ["System.Globalization.CultureInfo..ctor"] = "the host's cultures (use CultureInfo.InvariantCulture)",
        ["System.Globalization.CultureInfo.GetCultures"] = "the host's cultures (use CultureInfo.InvariantCulture)",
        ["PluggableFlows.Engine.Rules.CSharp.Runtime.RuleFunctions.FieldOf"] = "the generated lead's plumbing (use lead.<field>)",
    };

    /// <summary>Of <see cref="System.Array"/>, only these members.</summary>
    private static readonly HashSet<string> ArrayMembers = new(StringComparer.Ordinal) { "Length", "IndexOf", "Exists", "TrueForAll" };

    /// <summary>Of delegate types, only these members.</summary>
    private static readonly HashSet<string> DelegateMembers = new(StringComparer.Ordinal) { "Invoke", ".ctor" };

    private static readonly SymbolDisplayFormat Display = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters);

    private const string RuntimeNamespace = "PluggableFlows.Engine.Rules.CSharp.Runtime";

    /// <summary>Checks every node of <paramref name="span"/> (one rule's text) in <paramref name="model"/>'s tree.</summary>
    public static List<SandboxViolation> Check(SemanticModel model, TextSpan span, out bool needsBudget)
    {
        var violations = new List<SandboxViolation>();
        needsBudget = false;
        var root = model.SyntaxTree.GetRoot();
        foreach (var node in root.DescendantNodes(span).Where(node => span.Contains(node.Span)))
        {
            if (IsLoopOrFunction(node))
            {
                needsBudget = true;
            }

            if (ForbiddenSyntax(node) is { } construct)
            {
                violations.Add(new SandboxViolation(node.Span, $"Rules may not use {construct}.") { Node = node });
                continue;
            }

            if (node is ArrayCreationExpressionSyntax array && OversizedArray(model, array) is { } size)
            {
                violations.Add(new SandboxViolation(node.Span, $"Rules may not create arrays of {size} elements (at most {MaxArrayLength:N0}, and a constant size).") { Node = node });
            }

            CheckNode(model, node, violations);
        }

        return Explain(model, violations);
    }

    /// <summary>
    /// One report per forbidden thing, where it enters the rule: <c>System.IO.File.ReadAllText(path)</c> is one
    /// forbidden call (not also the type File, the member access and the name), and in
    /// <c>Assembly.LoadFrom(x) != null</c> the call is the problem, not the comparison.
    /// </summary>
    private static List<SandboxViolation> Explain(SemanticModel model, List<SandboxViolation> violations)
    {
        var flagged = violations.Select(v => v.Node).OfType<SyntaxNode>().ToHashSet();
        bool IsTypeName(SyntaxNode node) => model.GetSymbolInfo(node).Symbol is ITypeSymbol or INamespaceSymbol;
        bool OffForbiddenInstance(MemberAccessExpressionSyntax access) => flagged.Contains(access.Expression) && !IsTypeName(access.Expression);

        var kept = violations.Where(v =>
        {
            var node = v.Node;
            if (node is null)
            {
                return true;
            }

            if (v.OnOperator && violations.Any(other => !ReferenceEquals(other, v) && v.Span.Contains(other.Span)))
            {
                return false;
            }

            return node switch
            {
                MemberAccessExpressionSyntax access when OffForbiddenInstance(access) => false,
                InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } when OffForbiddenInstance(access) => false,
                _ when node.Parent is MemberAccessExpressionSyntax parent && flagged.Contains(parent)
                       && (parent.Name == node || (parent.Expression == node && IsTypeName(node))) => false,
                _ => true,
            };
        }).ToList();

        // The same message on nested nodes (an invocation and its member access) is one problem: keep the outermost.
        return kept
            .Where(v => !kept.Any(other => !ReferenceEquals(other, v) && other.Message == v.Message && other.Span.Contains(v.Span)
                                           && (other.Span != v.Span || kept.IndexOf(other) < kept.IndexOf(v))))
            .OrderBy(v => v.Span.Start)
            .ThenByDescending(v => v.Span.Length)
            .ToList();
    }

    private static bool IsLoopOrFunction(SyntaxNode node) => node is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax
        or CommonForEachStatementSyntax or AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax;

    private static string? ForbiddenSyntax(SyntaxNode node) => node switch
    {
        UnsafeStatementSyntax => "unsafe code",
        FixedStatementSyntax => "fixed (unsafe code)",
        PointerTypeSyntax or FunctionPointerTypeSyntax => "pointers (unsafe code)",
        StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax => "stackalloc",
        TypeOfExpressionSyntax => "typeof (reflection)",
        SizeOfExpressionSyntax => "sizeof",
        RefValueExpressionSyntax or RefTypeExpressionSyntax or MakeRefExpressionSyntax => "__refvalue, __reftype or __makeref",
        GotoStatementSyntax => "goto",
        LockStatementSyntax => "lock (threads)",
        TryStatementSyntax => "try/catch (a failing rule is an error, not something to catch)",
        UsingStatementSyntax => "using statements",
        AwaitExpressionSyntax => "await (tasks)",
        YieldStatementSyntax => "yield (iterators)",
        AttributeListSyntax => "attributes",
        LocalFunctionStatementSyntax local when local.Modifiers.Any(m => m.IsKind(SyntaxKind.ExternKeyword) || m.IsKind(SyntaxKind.UnsafeKeyword) || m.IsKind(SyntaxKind.AsyncKeyword)) =>
            "extern, unsafe or async local functions",
        AnonymousFunctionExpressionSyntax lambda when lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword) => "async lambdas (tasks)",
        IdentifierNameSyntax { Identifier.ValueText: "__arglist" } => "__arglist",
        _ => null,
    };

    private static string? OversizedArray(SemanticModel model, ArrayCreationExpressionSyntax array)
    {
        foreach (var size in array.Type.RankSpecifiers.SelectMany(rank => rank.Sizes))
        {
            if (size is OmittedArraySizeExpressionSyntax)
            {
                continue;
            }

            var constant = model.GetConstantValue(size);
            if (!constant.HasValue)
            {
                return "a size computed at run time";
            }

            if (constant.Value is int length && length > MaxArrayLength)
            {
                return length.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    private static void CheckNode(SemanticModel model, SyntaxNode node, List<SandboxViolation> violations)
    {
        var info = model.GetSymbolInfo(node);
        var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
        if (symbol is not null && Forbidden(symbol) is { } why)
        {
            violations.Add(new SandboxViolation(node.Span, why)
            {
                Node = node,
                OnOperator = symbol is IMethodSymbol { MethodKind: MethodKind.UserDefinedOperator or MethodKind.BuiltinOperator or MethodKind.Conversion },
            });
            return;
        }

        if (node is ExpressionSyntax expression)
        {
            var type = model.GetTypeInfo(expression);
            foreach (var t in new[] { type.Type, type.ConvertedType })
            {
                if (t is not null && ForbiddenType(t) is { } reason)
                {
                    violations.Add(new SandboxViolation(node.Span, reason) { Node = node, OnOperator = true });
                    return;
                }
            }
        }

        if (node is VariableDeclaratorSyntax or ForEachStatementSyntax or SingleVariableDesignationSyntax or ParameterSyntax or LocalFunctionStatementSyntax
            && model.GetDeclaredSymbol(node) is { } declared && Forbidden(declared) is { } declaredWhy)
        {
            violations.Add(new SandboxViolation(node.Span, declaredWhy) { Node = node });
        }
    }

    private static string? Forbidden(ISymbol symbol)
    {
        switch (symbol)
        {
            case INamespaceSymbol or ILabelSymbol or IDiscardSymbol or IPreprocessingSymbol:
                return null;
            case ITypeSymbol type:
                return ForbiddenType(type);
            case ILocalSymbol local:
                return ForbiddenType(local.Type);
            case IParameterSymbol parameter:
                return ForbiddenType(parameter.Type);
            case IRangeVariableSymbol:
                return null;
            case IMethodSymbol { MethodKind: MethodKind.LocalFunction or MethodKind.AnonymousFunction } function:
                return ForbiddenType(function.ReturnType) ?? function.Parameters.Select(p => ForbiddenType(p.Type)).FirstOrDefault(r => r is not null);
            case IMethodSymbol method:
                method = method.ReducedFrom ?? method;
                return ForbiddenMember(method, method.ContainingType)
                    ?? method.TypeArguments.Select(ForbiddenType).FirstOrDefault(r => r is not null);
            case IPropertySymbol or IFieldSymbol or IEventSymbol:
                return ForbiddenMember(symbol, symbol.ContainingType);
            default:
                return $"Rules may not use {symbol.ToDisplayString(Display)}.";
        }
    }

    private static string? ForbiddenMember(ISymbol member, INamedTypeSymbol? containingType)
    {
        if (containingType is null)
        {
            return null;
        }

        var typeName = MetadataName(containingType.OriginalDefinition);
        var display = $"{containingType.OriginalDefinition.ToDisplayString(Display)}.{(member is IMethodSymbol { MethodKind: MethodKind.Constructor } ? "ctor" : member.Name)}";
        if (ForbiddenType(containingType) is { } typeReason)
        {
            return typeReason.Replace("Rules may not use " + containingType.ToDisplayString(Display), "Rules may not use " + display, StringComparison.Ordinal);
        }

        if (DeniedMembers.TryGetValue(typeName + "." + member.Name, out var why))
        {
            return $"Rules may not use {display} ({why}).";
        }

        if (typeName == "System.Array" && !ArrayMembers.Contains(member.Name))
        {
            return $"Rules may not use {display}.";
        }

        if (containingType.TypeKind == TypeKind.Delegate && !DelegateMembers.Contains(member.Name))
        {
            return $"Rules may not use {display} (reflection).";
        }

        if (typeName is "System.Exception" or "System.InvalidOperationException" or "System.ArgumentException"
            && member is not IMethodSymbol { MethodKind: MethodKind.Constructor })
        {
            return $"Rules may not use {display}; exceptions may only be thrown.";
        }

        if (member is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor
            && constructor.Parameters.Any(p => p.Name is "capacity" or "concurrencyLevel"))
        {
            return $"Rules may not use {display} with a capacity (preallocating memory).";
        }

        return null;
    }

    private static string? ForbiddenType(ITypeSymbol type)
    {
        switch (type)
        {
            case IErrorTypeSymbol:
                return null; // already a compile error
            case IDynamicTypeSymbol:
                return "Rules may not use dynamic.";
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                return "Rules may not use pointers (unsafe code).";
            case IArrayTypeSymbol array:
                return ForbiddenType(array.ElementType);
            case ITypeParameterSymbol:
                return null;
            case INamedTypeSymbol named:
                if (named.IsAnonymousType)
                {
                    return null;
                }

                if (named.IsTupleType)
                {
                    return CheckTypeArguments(named);
                }

                var definition = named.OriginalDefinition;
                var ns = definition.ContainingNamespace?.ToDisplayString() ?? "";
                var allowed = ns == CSharpRuleSource.Namespace
                    || ns == RuntimeNamespace
                    || AllowedTypes.Contains(MetadataName(definition))
                    || (definition.ContainingType is { } outer && ForbiddenType(outer) is null && definition.DeclaredAccessibility == Accessibility.Public);
                return allowed
                    ? CheckTypeArguments(named)
                    : $"Rules may not use {named.ToDisplayString(Display)}{Category(ns, definition.Name)}.";
            default:
                return null;
        }
    }

    private static string? CheckTypeArguments(INamedTypeSymbol named) =>
        named.TypeArguments.Select(ForbiddenType).FirstOrDefault(reason => reason is not null);

    private static string Category(string ns, string name) => ns switch
    {
        _ when ns.StartsWith("System.IO", StringComparison.Ordinal) => " (files)",
        _ when ns.StartsWith("System.Net", StringComparison.Ordinal) => " (network)",
        _ when ns.StartsWith("System.Reflection", StringComparison.Ordinal) || name is "Type" or "Activator" or "AppDomain" or "Delegate" or "MulticastDelegate" => " (reflection)",
        _ when ns.StartsWith("System.Threading", StringComparison.Ordinal) => " (threads and tasks)",
        _ when ns.StartsWith("System.Diagnostics", StringComparison.Ordinal) => " (processes and diagnostics)",
        _ when ns.StartsWith("System.Runtime", StringComparison.Ordinal) || name is "GC" => " (runtime internals)",
        _ when name is "Environment" or "AppContext" or "Console" => " (the host process)",
        _ => "",
    };

    private static string MetadataName(INamedTypeSymbol type)
    {
        var ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : "";
        var outer = type.ContainingType is { } containing ? MetadataName(containing) + "+" : ns;
        return outer + type.MetadataName;
    }
}
