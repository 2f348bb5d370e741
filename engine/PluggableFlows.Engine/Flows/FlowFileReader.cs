using System.Text.RegularExpressions;
using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Rules;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PluggableFlows.Engine.Flows;

/// <summary>
/// Reads one flow file. Works on YamlDotNet's representation model so every node keeps its line and column,
/// and keeps going after a problem so the user sees every error in one pass.
/// </summary>
internal sealed partial class FlowFileReader
{
    private static readonly string[] RootKeys = ["id", "name", "fields", "sources", "acceptance_criteria", "steps"];

    private readonly string _yaml;
    private readonly string _file;
    private readonly string _version;
    private readonly string _scriptsRoot;
    private readonly FlowLoaderOptions _options;
    private readonly DiagnosticBag _diagnostics = new();
    private readonly Dictionary<string, FieldDeclaration> _fields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SourceLocation> _stepKeys = new(StringComparer.Ordinal);
    private readonly List<YamlScalarNode> _templates = [];
    private readonly List<(YamlScalarNode Node, string Reference)> _templateFiles = [];
    private readonly List<(string Vendor, YamlScalarNode Target)> _mappingTargets = [];
    private int[]? _lineStarts;

    public FlowFileReader(string yaml, string file, string version, string scriptsRoot, FlowLoaderOptions options)
    {
        _yaml = yaml;
        _file = file;
        _version = version;
        _scriptsRoot = scriptsRoot;
        _options = options;
    }

    public FlowLoadResult Read()
    {
        var root = LoadRoot();
        var flow = root is null ? null : ReadFlow(root);
        if (flow is not null)
        {
            CheckMappingTargets();
            CheckTemplates();
        }

        var diagnostics = _diagnostics.Items
            .OrderBy(d => d.Location.Line)
            .ThenBy(d => d.Location.Column)
            .ToList();
        return new FlowLoadResult(diagnostics.Count == 0 ? flow : null, diagnostics) { Partial = flow };
    }

    private YamlMappingNode? LoadRoot()
    {
        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(_yaml));
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (YamlException e)
        {
            _diagnostics.Report(At(e.Start), FlowDiagnosticCodes.YamlSyntax, $"The file is not valid YAML: {CleanYamlMessage(e.Message)}",
                "Check indentation and quoting near here; quote values that contain ': ' or start with '{', '[', '*', '&' or '!'.");
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this (not a YamlException) for some unclosed flow collections.
            _diagnostics.Report(At(scanner.CurrentPosition), FlowDiagnosticCodes.YamlSyntax,
                "The file is not valid YAML: a '[' or '{' is not closed.", "Close the list with ']' or the mapping with '}'.");
            return null;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            _diagnostics.Report(SourceLocation.StartOf(_file), FlowDiagnosticCodes.NotAFlow, "The flow file is empty.",
                "A flow file is a mapping that starts with the flow's id, e.g. id: auto-insurance.");
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            _diagnostics.Report(At(stream.Documents[1].RootNode), FlowDiagnosticCodes.NotAFlow,
                $"A flow file holds one flow, but this one has {stream.Documents.Count} YAML documents.",
                "Move each flow to its own file under flows/.");
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            _diagnostics.Report(At(stream.Documents[0].RootNode), FlowDiagnosticCodes.NotAFlow,
                $"A flow file must be a mapping of keys (id, name, fields, sources, steps, ...), but found {Describe(stream.Documents[0].RootNode)}.",
                "Start the file with the flow's id, e.g. id: auto-insurance.");
            return null;
        }

        return root;
    }

    private FlowDefinition? ReadFlow(YamlMappingNode root)
    {
        var section = ReadSection(root, "the flow", RootKeys);

        var id = section.Required("id", "the flow", "Add the flow's id, e.g. id: auto-insurance; it appears in submit URLs.") is { } idNode
            ? ReadId(idNode, "id", "Flow id", IdPatterns.FlowId, IdPatterns.FlowIdHint)
            : null;
        var name = section["name"] is { } nameNode ? ReadText(nameNode, "name") : null;

        // Fields first: mappings and placeholders elsewhere in the file are checked against them.
        var fields = section["fields"] is { } fieldsNode ? ReadFields(fieldsNode) : [];
        var sources = section["sources"] is { } sourcesNode ? ReadSources(sourcesNode) : [];
        var criteria = section["acceptance_criteria"] is { } criteriaNode ? ReadCriteria(criteriaNode, "acceptance_criteria") : null;
        var steps = section["steps"] is { } stepsNode ? ReadSteps(stepsNode) : [];

        if (id is null)
        {
            return null;
        }

        return new FlowDefinition
        {
            Id = id,
            Name = name ?? id,
            File = _file,
            Version = _version,
            Fields = fields,
            Sources = sources,
            AcceptanceCriteria = criteria,
            Steps = steps,
            Location = At(root),
        };
    }

    private List<FieldDeclaration> ReadFields(YamlNode node)
    {
        var result = new List<FieldDeclaration>();
        if (ExpectSequence(node, "fields", "a list of field ids or { id, type } mappings") is not { } sequence)
        {
            return result;
        }

        foreach (var item in sequence)
        {
            string? id;
            YamlNode idNode;
            YamlNode? typeNode = null;
            if (item is YamlMappingNode mapping)
            {
                var section = ReadSection(mapping, "a field", ["id", "type"]);
                if (section.Required("id", "a field", "Give the field an id, e.g. { id: vehicle_year, type: number }.") is not { } found)
                {
                    continue;
                }

                idNode = found;
                typeNode = section["type"];
            }
            else
            {
                idNode = item;
            }

            id = ReadId(idNode, "fields", "Field id", IdPatterns.FieldId, IdPatterns.FieldIdHint);
            if (id is null)
            {
                continue;
            }

            var type = typeNode is null ? StandardFields.TypeOf(id) : ReadFieldType(typeNode, id);
            if (typeNode is null && type is null)
            {
                var nearest = Suggestions.Nearest(id, StandardFields.Types.Keys);
                Report(idNode, FlowDiagnosticCodes.UnknownFieldType, $"Field '{id}' is not a standard field, so it needs a type.",
                    nearest is null
                        ? $"Declare it with a type: {{ id: {id}, type: string }}."
                        : $"Did you mean the standard field '{nearest}'? Otherwise declare it with a type: {{ id: {id}, type: string }}.");
            }

            if (_fields.TryGetValue(id, out var first))
            {
                Report(idNode, FlowDiagnosticCodes.DuplicateField, $"Field '{id}' is listed twice.",
                    $"It is first listed at line {first.Location.Line}, column {first.Location.Column}; list each field once.");
                continue;
            }

            if (type is not null)
            {
                var declaration = new FieldDeclaration(id, type, At(idNode));
                _fields.Add(id, declaration);
                result.Add(declaration);
            }
        }

        return result;
    }

    private string? ReadFieldType(YamlNode node, string fieldId)
    {
        if (ReadText(node, "type") is not { } type)
        {
            return null;
        }

        var known = _options.Types.Names;
        if (known.Contains(type, StringComparer.Ordinal))
        {
            return type;
        }

        var nearest = Suggestions.Nearest(type, known);
        Report(node, FlowDiagnosticCodes.UnknownFieldType, $"Unknown field type '{type}' for field '{fieldId}'.",
            nearest is null ? $"Field types are: {string.Join(", ", known)}." : $"Did you mean '{nearest}'?");
        return null;
    }

    private List<SourceDefinition> ReadSources(YamlNode node)
    {
        var result = new List<SourceDefinition>();
        var seen = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        if (ExpectSequence(node, "sources", "a list of sources") is not { } sequence)
        {
            return result;
        }

        foreach (var item in sequence)
        {
            if (ExpectMapping(item, "sources", "a source mapping { id, name, api_key, mappings, acceptance_criteria }") is not { } mapping)
            {
                continue;
            }

            var rawId = PeekText(mapping, "id");
            var where = rawId is { Length: > 0 } ? $"source '{rawId}'" : "a source";
            var section = ReadSection(mapping, where, ["id", "name", "api_key", "mappings", "acceptance_criteria"]);
            var idNode = section.Required("id", where, "Give the source an id, e.g. id: acme; it appears in the submit URL /flows/{flow}/sources/{source}/submit.");
            var id = idNode is null ? null : ReadId(idNode, "id", "Source id", IdPatterns.FlowId, IdPatterns.SourceIdHint);
            var name = section["name"] is { } nameNode ? ReadText(nameNode, "name") : null;
            var apiKey = section["api_key"] is { } keyNode ? ReadSecret(keyNode, "api_key") : null;
            var mappings = section["mappings"] is { } mappingsNode ? ReadSourceMappings(mappingsNode) : [];
            var criteria = section["acceptance_criteria"] is { } criteriaNode ? ReadCriteria(criteriaNode, "acceptance_criteria") : null;

            if (id is null)
            {
                continue;
            }

            if (seen.TryGetValue(id, out var first))
            {
                Report(idNode!, FlowDiagnosticCodes.DuplicateSource, $"Source id '{id}' is used twice.",
                    $"The first '{id}' is at line {first.Line}, column {first.Column}; source ids must be unique in a flow.");
                continue;
            }

            seen.Add(id, At(idNode!));
            result.Add(new SourceDefinition
            {
                Id = id,
                Name = name ?? id,
                ApiKey = apiKey,
                Mappings = mappings,
                AcceptanceCriteria = criteria,
                Location = At(mapping),
            });
        }

        return result;
    }

    private Dictionary<string, string> ReadSourceMappings(YamlNode node)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (ExpectMapping(node, "mappings", "a mapping of vendor field names to field ids") is not { } mapping)
        {
            return result;
        }

        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (ReadText(keyNode, "mappings") is not { } vendor || ReadText(valueNode, vendor) is not { } target)
            {
                continue;
            }

            _mappingTargets.Add((vendor, (YamlScalarNode)valueNode));
            result[vendor] = target;
        }

        return result;
    }

    private CriteriaDefinition? ReadCriteria(YamlNode node, string key)
    {
        if (ExpectMapping(node, key, "a mapping { rule_set, reason }") is not { } mapping)
        {
            return null;
        }

        var section = ReadSection(mapping, "acceptance criteria", ["rule_set", "reason"]);
        var ruleSetNode = section.Required("rule_set", "acceptance criteria",
            "Add the rules a lead must pass, e.g. rule_set: { op: and, rules: [ { lhv: lead.email, op: format is valid } ] }.");
        var ruleSet = ruleSetNode is null ? null : ReadRuleSet(ruleSetNode, "rule_set");
        var reason = section["reason"] is { } reasonNode ? ReadTemplate(reasonNode, "reason") : null;
        return ruleSet is null ? null : new CriteriaDefinition(ruleSet, reason, At(mapping));
    }

    private SecretReference? ReadSecret(YamlNode node, string key)
    {
        const string Expected = "{ env: NAME } or { file: path }";
        if (node is YamlScalarNode scalar && !IsNull(scalar))
        {
            Report(node, FlowDiagnosticCodes.InlineSecret,
                $"'{key}' is written inline, but secrets never live in flow files; use {Expected}.",
                $"Move the value to an environment variable and write {key}: {{ env: NAME }}, or to a file and write {key}: {{ file: path }}.");
            return null;
        }

        if (ExpectMapping(node, key, Expected) is not { } mapping)
        {
            return null;
        }

        var section = ReadSection(mapping, $"'{key}'", ["env", "file"]);
        var env = section["env"] is { } envNode ? ReadText(envNode, "env") : null;
        var file = section["file"] is { } fileNode ? ReadText(fileNode, "file") : null;
        if ((section["env"] is null) == (section["file"] is null))
        {
            Report(node, FlowDiagnosticCodes.InvalidValue, $"'{key}' must name exactly one of env or file.",
                $"Write {key}: {{ env: NAME }} or {key}: {{ file: path }}.");
            return null;
        }

        return env is null && file is null ? null : new SecretReference(env, file, At(node));
    }

    private static string CleanYamlMessage(string message)
    {
        var text = message.Trim();
        text = text.Replace("does not exists", "does not exist", StringComparison.Ordinal);
        if (text.Length > 0)
        {
            text = char.ToLowerInvariant(text[0]) + text[1..];
        }

        return text.EndsWith('.') ? text : text + ".";
    }

    private static class IdPatterns
    {
        public const string FlowIdHint = "Use lower-case letters, digits, '-' and '_', starting with a letter or digit, e.g. auto-insurance.";
        public const string SourceIdHint = "Use lower-case letters, digits, '-' and '_', starting with a letter or digit, e.g. acme-media.";
        public const string FieldIdHint = "Use lower-case letters, digits and '_', starting with a letter, e.g. vehicle_year.";
        public const string StepKeyHint = "Use lower-case letters, digits and '_', starting with a letter, e.g. phone_check.";
        public static readonly Regex FlowId = new("^[a-z0-9][a-z0-9_-]*$", RegexOptions.CultureInvariant);
        public static readonly Regex FieldId = new("^[a-z][a-z0-9_]*$", RegexOptions.CultureInvariant);
        public static readonly Regex ListName = new("^[A-Za-z0-9][A-Za-z0-9_.-]*$", RegexOptions.CultureInvariant);
    }
}
