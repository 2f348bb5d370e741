using PluggableFlows.Engine.Fields;
using Scriban.Functions;
using Scriban.Runtime;

namespace PluggableFlows.Engine.Templates;

/// <summary>
/// Parses flow templates and owns what their renders share: the budgets, the function library and the pool of
/// contexts. One per host; thread-safe.
/// </summary>
public sealed class TemplateEngine
{
    private static readonly Lazy<TemplateEngine> DefaultEngine = new(() => new TemplateEngine());

    /// <summary>Creates an engine.</summary>
    /// <param name="options">Budgets (default: <see cref="TemplateOptions"/>'s defaults).</param>
    /// <param name="time">The clock <c>now</c> and <c>date.now</c> read (default: the system clock).</param>
    /// <param name="types">Field types; the phone helpers parse with its phone type (default region included).</param>
    public TemplateEngine(TemplateOptions? options = null, TimeProvider? time = null, FieldTypeRegistry? types = null)
    {
        Options = options ?? new TemplateOptions();
        var helpers = new TemplateHelpers(time ?? TimeProvider.System, (types ?? FieldTypeRegistry.Default).Get("phone"));
        AddFunctions(helpers);
        // Scriban's own library is made by reflection over every built-in (~300 methods to JIT, tens of milliseconds
        // in a fresh process), and only a template that is more than substitutions renders through it; so it is made
        // at the first such render, not when a flow loads.
        Pool = new TemplateContextPool(new Lazy<ScriptObject>(() => CreateBuiltins(helpers)), Options);
    }

    /// <summary>An engine with default budgets and the system clock.</summary>
    public static TemplateEngine Default => DefaultEngine.Value;

    /// <summary>The budgets every render runs under.</summary>
    public TemplateOptions Options { get; }

    internal TemplateContextPool Pool { get; }

    /// <summary>The engine's own functions by name, which the substitution path calls directly.</summary>
    internal Dictionary<string, TemplateFunction> Functions { get; } = new(StringComparer.Ordinal);

    /// <summary>Parses a template once; check <see cref="FlowTemplate.Errors"/> before rendering.</summary>
    /// <param name="text">The template text.</param>
    /// <param name="format">What it renders; values are escaped for it.</param>
    /// <param name="stepKeys">The flow's step keys: the roots, besides the fixed ones, that a template may read.</param>
    public FlowTemplate Parse(string text, TemplateFormat format = TemplateFormat.Text, IReadOnlySet<string>? stepKeys = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new FlowTemplate(this, text, format, stepKeys ?? new HashSet<string>(StringComparer.Ordinal));
    }

    private void AddFunctions(TemplateHelpers helpers)
    {
        Add("json", 1, 1, a => TemplateHelpers.Json(a[0]));
        Add("xml", 1, 1, a => TemplateHelpers.Xml(a[0]));
        Add("form", 1, 1, a => TemplateHelpers.Form(a[0]));
        Add("url", 1, 1, a => TemplateHelpers.Url(a[0]));
        Add("raw", 1, 1, a => TemplateHelpers.Raw(a[0]));
        Add("md5", 1, 2, a => TemplateHelpers.Md5(a[0], TemplateFunction.Text(a, 1)));
        Add("sha1", 1, 2, a => TemplateHelpers.Sha1(a[0], TemplateFunction.Text(a, 1)));
        Add("sha256", 1, 2, a => TemplateHelpers.Sha256(a[0], TemplateFunction.Text(a, 1)));
        Add("now", 0, 0, _ => helpers.Now());
        Add("format_date", 1, 3, a => TemplateHelpers.FormatDate(a[0], TemplateFunction.Text(a, 1) ?? "yyyy-MM-dd", TemplateFunction.Text(a, 2)));
        Add("format_number", 1, 2, a => TemplateHelpers.FormatNumber(a[0], TemplateFunction.Text(a, 1) ?? "0.##"));
        Add("phone_e164", 1, 1, a => helpers.PhoneE164(a[0]));
        Add("phone_national", 1, 1, a => helpers.PhoneNational(a[0]));
        Add("phone_digits", 1, 1, a => helpers.PhoneDigits(a[0]));
    }

    private void Add(string name, int required, int parameters, Func<IReadOnlyList<object?>, object?> body) =>
        Functions[name] = new TemplateFunction(required, parameters, body);

    /// <summary>Scriban's built-in functions, less what reaches outside the lead, plus the engine's own.</summary>
    private ScriptObject CreateBuiltins(TemplateHelpers helpers)
    {
        var builtins = new BuiltinFunctions();

        // Nothing that reaches outside the lead: no includes or imports, no evaluating text as a template, no randomness
        // and no clock but the engine's (so a render is a pure function of the lead and the clock tests control).
        builtins.Remove("include");
        builtins.Remove("include_join");
        if (builtins["object"] is ScriptObject objects)
        {
            objects.Remove("eval");
            objects.Remove("eval_template");
        }

        if (builtins["math"] is ScriptObject math)
        {
            math.Remove("random");
        }

        if (builtins["date"] is ScriptObject dates)
        {
            dates.SetValue("now", new TemplateFunction(0, 0, _ => helpers.Now()), readOnly: true);
        }

        foreach (var (name, function) in Functions)
        {
            builtins.SetValue(name, function, readOnly: true);
        }

        return builtins;
    }
}
