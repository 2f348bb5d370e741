using System.Text.RegularExpressions;
using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Templates;
using YamlDotNet.RepresentationModel;

namespace PluggableFlows.Engine.Flows;

// Checks that need the whole file read first: field ids and step keys may be declared after their use.
internal sealed partial class FlowFileReader
{
    private static readonly Regex Placeholder = new(@"\{\{(?<body>.*?)\}\}", RegexOptions.Singleline | RegexOptions.CultureInvariant);

    private static readonly Regex PathExpression = new(
        @"^(?<root>[A-Za-z_][A-Za-z0-9_]*)(?<rest>(?:\.[A-Za-z0-9_]+)*)\s*(?:\|.*)?$",
        RegexOptions.Singleline | RegexOptions.CultureInvariant);

    // Names a template introduces itself (loop variables, assignments) are not vars paths.
    private static readonly Regex LocalName = new(
        @"\bfor\s+(?<name>[A-Za-z_]\w*)\s+in\b|(?<name>[A-Za-z_]\w*)\s*=(?!=)",
        RegexOptions.CultureInvariant);

    private static readonly HashSet<string> ScribanNames = new(StringComparer.Ordinal)
    {
        "if", "else", "end", "for", "while", "case", "when", "with", "capture", "func", "ret", "break", "continue",
        "in", "readonly", "import", "include", "tablerow", "this", "empty", "null", "true", "false",
        "string", "array", "date", "html", "math", "object", "regex", "timespan",
    };

    private void CheckMappingTargets()
    {
        foreach (var (vendor, target) in _mappingTargets)
        {
            var field = target.Value!;
            if (!IsKnownField(field))
            {
                var nearest = Suggestions.Nearest(field, KnownFieldIds());
                Report(target, FlowDiagnosticCodes.UnknownMappingTarget,
                    $"Mapping '{vendor}' targets field '{field}', which is neither declared in fields nor a standard field.",
                    nearest is null ? $"Declare it under fields, e.g. {{ id: {field}, type: string }}." : $"Did you mean '{nearest}'?");
            }
        }
    }

    private void CheckTemplates()
    {
        foreach (var (node, reference) in _templateFiles)
        {
            CheckTemplateFile(node, reference);
        }

        foreach (var scalar in _templates)
        {
            var text = scalar.Value!;
            if (IsTemplateFileReference(text))
            {
                CheckTemplateFile(scalar, text.Trim());
                continue;
            }

            CheckTemplateSyntax(scalar, text);

            var matches = Placeholder.Matches(text);
            var locals = matches
                .SelectMany(m => LocalName.Matches(m.Groups["body"].Value))
                .Select(m => m.Groups["name"].Value)
                .ToHashSet(StringComparer.Ordinal);
            var searchFrom = checked((int)scalar.Start.Index);
            foreach (Match match in matches)
            {
                var location = Locate(match.Value, scalar, ref searchFrom);
                var body = match.Groups["body"].Value.Trim().Trim('-', '~').Trim();
                var path = PathExpression.Match(body);
                if (!path.Success)
                {
                    continue;
                }

                var root = path.Groups["root"].Value;
                var rest = path.Groups["rest"].Value.Split('.', StringSplitOptions.RemoveEmptyEntries);
                var written = body.Split('|')[0].Trim();
                if (ScribanNames.Contains(root) || locals.Contains(root))
                {
                    continue;
                }

                if (root == "lead")
                {
                    if (rest.Length > 0 && rest[0] != "id" && !IsKnownField(rest[0]))
                    {
                        var nearest = Suggestions.Nearest(rest[0], KnownFieldIds());
                        _diagnostics.Report(location, FlowDiagnosticCodes.UnknownPlaceholderField,
                            $"Placeholder '{{{{ {written} }}}}' reads field '{rest[0]}', which is neither declared in fields nor a standard field.",
                            nearest is null ? $"Declare it under fields, e.g. {{ id: {rest[0]}, type: string }}." : $"Did you mean '{nearest}'?");
                    }

                    continue;
                }

                if (!VarsRoots.Contains(root, StringComparer.Ordinal) && !_stepKeys.ContainsKey(root))
                {
                    var nearest = Suggestions.Nearest(root, VarsRoots.Concat(_stepKeys.Keys));
                    _diagnostics.Report(location, FlowDiagnosticCodes.UnknownPlaceholderRoot,
                        $"Placeholder '{{{{ {written} }}}}' starts with '{root}', which is not lead, source, flow, submission, random or a step key of this flow.",
                        nearest is null ? "Start the path with lead, source, flow, submission, random or a step key." : $"Did you mean '{nearest}'?");
                }
            }
        }
    }

    private static bool IsTemplateFileReference(string text) => TemplateFiles.IsReference(text);

    private void CheckTemplateFile(YamlScalarNode node, string path)
    {
        if (TemplateFiles.Resolve(_scriptsRoot, path) is null)
        {
            Report(node, FlowDiagnosticCodes.TemplateFileOutsideFolder,
                $"Template file '{path}' is outside the {TemplateFiles.Folder} folder.",
                $"Keep template files under {TemplateFiles.Folder}/ beside the flows folder and name them from there, e.g. {{ template: crm.json.sbn }}.");
            return;
        }

        var full = Path.Combine(_scriptsRoot, path);
        if (File.Exists(full))
        {
            string text;
            try
            {
                text = File.ReadAllText(full);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Report(node, FlowDiagnosticCodes.TemplateFileNotFound, $"Template file '{path}' cannot be read: {e.Message}");
                return;
            }

            foreach (var error in FlowTemplate.CheckSyntax(text))
            {
                _diagnostics.Report(new SourceLocation(full, error.Line, error.Column), FlowDiagnosticCodes.TemplateSyntax,
                    $"Template file '{path}' does not parse: {error.Message}", TemplateSyntaxHint);
            }

            return;
        }

        var templatesFolder = Path.Combine(_scriptsRoot, "templates");
        var existing = Directory.Exists(templatesFolder)
            ? Directory.EnumerateFiles(templatesFolder, "*.sbn", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(_scriptsRoot, f).Replace('\\', '/'))
                .ToList()
            : [];
        var nearest = Suggestions.Nearest(path, existing);
        Report(node, FlowDiagnosticCodes.TemplateFileNotFound, $"Template file '{path}' does not exist.",
            nearest is not null
                ? $"Did you mean '{nearest}'?"
                : $"Create it under {_scriptsRoot}; template paths are relative to the scripts folder, e.g. templates/crm.json.sbn.");
    }

    private const string TemplateSyntaxHint =
        "Check the {{ }} blocks near here: every if, for, while, case, capture and func needs its end; text meant literally goes outside {{ }}, e.g. {{ '{{' }} for braces.";

    /// <summary>Reports a Scriban syntax error at its place in the flow file, mapping the template's line and column onto the YAML value.</summary>
    private void CheckTemplateSyntax(YamlScalarNode scalar, string text)
    {
        if (!text.Contains("{{", StringComparison.Ordinal) && !text.Contains("}}", StringComparison.Ordinal))
        {
            return;
        }

        foreach (var error in FlowTemplate.CheckSyntax(text))
        {
            _diagnostics.Report(LocateInScalar(scalar, text, error.Line, error.Column), FlowDiagnosticCodes.TemplateSyntax,
                $"The template does not parse: {error.Message}", TemplateSyntaxHint);
        }
    }

    private SourceLocation LocateInScalar(YamlScalarNode scalar, string text, int line, int column)
    {
        var lines = text.Split('\n');
        if (line < 1 || line > lines.Length)
        {
            return At(scalar);
        }

        // Find the template's line in the file (block scalars shift it by their indentation, quotes by one column).
        var lineText = lines[line - 1].TrimEnd('\r');
        var start = Math.Min(_yaml.Length, checked((int)scalar.Start.Index));
        var end = Math.Min(_yaml.Length, checked((int)scalar.End.Index));
        var searchFrom = start;
        for (var i = 0; i < line - 1 && searchFrom < end; i++)
        {
            var next = lines[i].Length == 0 ? -1 : _yaml.IndexOf(lines[i].TrimEnd('\r'), searchFrom, end - searchFrom, StringComparison.Ordinal);
            if (next >= 0)
            {
                searchFrom = next + lines[i].TrimEnd('\r').Length;
            }
        }

        var index = lineText.Length == 0 || searchFrom > end ? -1 : _yaml.IndexOf(lineText, searchFrom, end - searchFrom, StringComparison.Ordinal);
        return index < 0 ? At(scalar) : AtIndex(index + Math.Max(0, column - 1));
    }

    private SourceLocation Locate(string placeholder, YamlScalarNode scalar, ref int searchFrom)
    {
        var end = Math.Min(_yaml.Length, checked((int)scalar.End.Index));
        var index = searchFrom <= end ? _yaml.IndexOf(placeholder, searchFrom, end - searchFrom, StringComparison.Ordinal) : -1;
        if (index < 0)
        {
            // Escapes or line folding changed the text between file and value: point at the value instead.
            return At(scalar);
        }

        searchFrom = index + placeholder.Length;
        return AtIndex(index);
    }

    private bool IsKnownField(string id) => _fields.ContainsKey(id) || StandardFields.TypeOf(id) is not null;

    private IEnumerable<string> KnownFieldIds() => _fields.Keys.Concat(StandardFields.Types.Keys).Distinct(StringComparer.Ordinal);
}
