using System.Collections;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace PluggableFlows.Engine.Templates;

/// <summary>
/// How templates read the engine's vars objects in place (no copy per render). Only the names a flow author sees in
/// the docs exist; an unknown member of a field, the lead or a fixed root is an error (strict variables).
/// </summary>
internal sealed class VarsAccessor : IObjectAccessor
{
    public static readonly VarsAccessor Instance = new();

    private static readonly object True = true;
    private static readonly object False = false;

    public int GetMemberCount(TemplateContext context, SourceSpan span, object target) => GetMembers(context, span, target).Count();

    public IEnumerable<string> GetMembers(TemplateContext context, SourceSpan span, object target) => target switch
    {
        LeadVars vars => vars.Fields.Keys.Prepend("id"),
        FieldValue field => field.Components.Keys.Prepend("valid").Prepend("normal").Prepend("raw"),
        StepVars step => step.Appended.Keys.Concat(["outcome", "reason", "price", "cost"]).Distinct(StringComparer.Ordinal),
        SourceVars => ["id", "name"],
        FlowVars => ["id", "name", "version"],
        SubmissionVars => ["id", "timestamp", "ip"],
        IReadOnlyDictionary<string, object?> map => map.Keys,
        _ => [],
    };

    public bool HasMember(TemplateContext context, SourceSpan span, object target, string member) =>
        TryGetValue(context, span, target, member, out _);

    public bool TryGetValue(TemplateContext context, SourceSpan span, object target, string member, out object? value)
    {
        switch (target)
        {
            case LeadVars vars:
                // A field the flow declares but the lead did not send is blank; undeclared fields are caught when the flow loads.
                value = member == "id" ? vars.LeadId : vars.Fields.GetValueOrDefault(member);
                return true;
            case FieldValue field:
                value = member switch
                {
                    "raw" => field.Raw,
                    "normal" => field.Normal,
                    "valid" => field.Valid ? True : False,
                    "type" => field.Type,
                    _ => field.Components.TryGetValue(member, out var component)
                        ? component
                        : throw new ScriptRuntimeException(span,
                            $"A {field.Type} value has no component '{member}'; it has raw, normal, valid{string.Concat(field.Components.Keys.Select(k => ", " + k))}."),
                };
                return true;
            case StepVars step:
                value = member switch
                {
                    "outcome" => step.OutcomeText,
                    "reason" => step.Reason,
                    "price" when !step.Appended.ContainsKey("price") => step.BoxedPrice,
                    "cost" when !step.Appended.ContainsKey("cost") => step.BoxedCost,
                    // Appended data depends on the outcome (an error appends nothing), so a missing name is blank.
                    _ => step.Appended.GetValueOrDefault(member),
                };
                return true;
            case SourceVars source:
                value = member switch
                {
                    "id" => source.Id,
                    "name" => source.Name,
                    _ => throw Unknown(span, "source", member, "id, name"),
                };
                return true;
            case FlowVars flow:
                value = member switch
                {
                    "id" => flow.Id,
                    "name" => flow.Name,
                    "version" => flow.Version,
                    _ => throw Unknown(span, "flow", member, "id, name, version"),
                };
                return true;
            case SubmissionVars submission:
                value = member switch
                {
                    "id" => submission.Id,
                    "timestamp" => submission.Timestamp,
                    "ip" => submission.Ip,
                    _ => throw Unknown(span, "submission", member, "id, timestamp, ip"),
                };
                return true;
            case IReadOnlyDictionary<string, object?> map:
                value = map.GetValueOrDefault(member);
                return true;
            default:
                value = null;
                return false;
        }
    }

    public bool TryGetItem(TemplateContext context, SourceSpan span, object target, object index, out object? value) =>
        TryGetValue(context, span, target, context.ObjectToString(index) ?? "", out value);

    public bool HasIndexer => true;

    public Type IndexType => typeof(string);

    public bool TrySetValue(TemplateContext context, SourceSpan span, object target, string member, object? value) => false;

    public bool TrySetItem(TemplateContext context, SourceSpan span, object target, object index, object? value) => false;

    private static ScriptRuntimeException Unknown(SourceSpan span, string root, string member, string known) =>
        new(span, $"'{root}' has no member '{member}'; it has {known}.");
}

/// <summary>Any other .NET object: no members at all, so a template can never reach into the runtime.</summary>
internal sealed class NoMembersAccessor : IObjectAccessor
{
    public static readonly NoMembersAccessor Instance = new();

    public int GetMemberCount(TemplateContext context, SourceSpan span, object target) => 0;

    public IEnumerable<string> GetMembers(TemplateContext context, SourceSpan span, object target) => [];

    public bool HasMember(TemplateContext context, SourceSpan span, object target, string member) => false;

    public bool TryGetValue(TemplateContext context, SourceSpan span, object target, string member, out object? value) =>
        throw new ScriptRuntimeException(span, $"A {context.GetTypeName(target)} value has no member '{member}'.");

    public bool TryGetItem(TemplateContext context, SourceSpan span, object target, object index, out object? value) =>
        throw new ScriptRuntimeException(span, $"A {context.GetTypeName(target)} value cannot be indexed.");

    public bool HasIndexer => false;

    public Type IndexType => typeof(object);

    public bool TrySetValue(TemplateContext context, SourceSpan span, object target, string member, object? value) => false;

    public bool TrySetItem(TemplateContext context, SourceSpan span, object target, object index, object? value) => false;

    internal static bool IsScriptValue(object target) =>
        target is string or IScriptObject or IList or IDictionary or ScriptRange or ScriptArray || target.GetType().IsPrimitive;
}
