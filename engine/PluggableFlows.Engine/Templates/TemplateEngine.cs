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
        var clock = time ?? TimeProvider.System;
        Pool = new TemplateContextPool(CreateBuiltins(clock, (types ?? FieldTypeRegistry.Default).Get("phone")), Options);
    }

    /// <summary>An engine with default budgets and the system clock.</summary>
    public static TemplateEngine Default => DefaultEngine.Value;

    /// <summary>The budgets every render runs under.</summary>
    public TemplateOptions Options { get; }

    internal TemplateContextPool Pool { get; }

    /// <summary>Parses a template once; check <see cref="FlowTemplate.Errors"/> before rendering.</summary>
    /// <param name="text">The template text.</param>
    /// <param name="format">What it renders; values are escaped for it.</param>
    /// <param name="stepKeys">The flow's step keys: the roots, besides the fixed ones, that a template may read.</param>
    public FlowTemplate Parse(string text, TemplateFormat format = TemplateFormat.Text, IReadOnlySet<string>? stepKeys = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new FlowTemplate(this, text, format, stepKeys ?? new HashSet<string>(StringComparer.Ordinal));
    }

    private static ScriptObject CreateBuiltins(TimeProvider time, IFieldType phoneType)
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

        var helpers = new TemplateHelpers(time, phoneType);
        if (builtins["date"] is ScriptObject dates)
        {
            dates.SetValue("now", DelegateCustomFunction.CreateFunc(helpers.Now), readOnly: true);
        }

        builtins.Import("json", new Func<object?, object>(TemplateHelpers.Json));
        builtins.Import("xml", new Func<object?, object>(TemplateHelpers.Xml));
        builtins.Import("form", new Func<object?, object>(TemplateHelpers.Form));
        builtins.Import("url", new Func<object?, object>(TemplateHelpers.Url));
        builtins.Import("raw", new Func<object?, object>(TemplateHelpers.Raw));
        builtins.Import(typeof(HashFunctions));
        builtins.Import("now", new Func<DateTimeOffset>(helpers.Now));
        builtins.Import(typeof(FormatFunctions));
        builtins.Import("phone_e164", new Func<object?, string>(helpers.PhoneE164));
        builtins.Import("phone_national", new Func<object?, string>(helpers.PhoneNational));
        builtins.Import("phone_digits", new Func<object?, string>(helpers.PhoneDigits));
        return builtins;
    }

    // Static classes so Scriban sees the optional parameters (salt, format, zone); names become md5, format_date, ...
    private static class HashFunctions
    {
        public static string Md5(object? value, string? salt = null) => TemplateHelpers.Md5(value, salt);

        public static string Sha1(object? value, string? salt = null) => TemplateHelpers.Sha1(value, salt);

        public static string Sha256(object? value, string? salt = null) => TemplateHelpers.Sha256(value, salt);
    }

    private static class FormatFunctions
    {
        public static string FormatDate(object? value, string format = "yyyy-MM-dd", string? zone = null) =>
            TemplateHelpers.FormatDate(value, format, zone);

        public static string FormatNumber(object? value, string format = "0.##") => TemplateHelpers.FormatNumber(value, format);
    }
}
