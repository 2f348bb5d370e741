using System.Text.RegularExpressions;
using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Rules;
using YamlDotNet.RepresentationModel;

namespace PluggableFlows.Engine.Flows;

// { rule: high-intent }: a scripted rule kept in its own file under scripts/rules/, read when the flow loads.
internal sealed partial class FlowFileReader
{
    private const string RulesFolder = "rules";

    private static readonly (string Extension, ScriptLanguage Language)[] RuleFileKinds =
    [
        (".js", ScriptLanguage.JavaScript),
        (".csx", ScriptLanguage.CSharp),
    ];

    private static readonly Regex RuleName = new("^[A-Za-z0-9][A-Za-z0-9_-]*$", RegexOptions.CultureInvariant);

    private ScriptRuleDefinition? ReadRuleFile(YamlNode node)
    {
        if (ReadText(node, "rule") is not { } written)
        {
            return null;
        }

        var name = written.Trim();
        if (name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || name.Contains("..", StringComparison.Ordinal))
        {
            Report(node, FlowDiagnosticCodes.InvalidId, $"Rule name '{name}' is not valid: it names a path, but rule files are named alone.",
                "Keep the file in the rules folder (scripts/rules/) and write its name without folders, e.g. rule: high-intent.");
            return null;
        }

        var extension = Path.GetExtension(name);
        var stem = name[..^extension.Length];
        if (extension.Length > 0 && !RuleFileKinds.Any(kind => kind.Extension == extension))
        {
            Report(node, FlowDiagnosticCodes.InvalidValue,
                $"Rule file '{name}' has the extension '{extension}', but rule files are .js (JavaScript) or .csx (C#).",
                $"Name the file {stem}.js or {stem}.csx, and write rule: {stem}.");
            return null;
        }

        if (!RuleName.IsMatch(stem))
        {
            Report(node, FlowDiagnosticCodes.InvalidId, $"Rule name '{name}' is not valid.",
                "Use letters, digits, '-' and '_', starting with a letter or digit, optionally with the file's extension, e.g. rule: high-intent or rule: high-intent.js.");
            return null;
        }

        var folder = Path.Combine(_scriptsRoot, RulesFolder);
        var candidates = extension.Length > 0 ? [name] : RuleFileKinds.Select(kind => stem + kind.Extension).ToArray();
        var found = candidates.Where(file => File.Exists(Path.Combine(folder, file))).ToList();
        if (found.Count == 0)
        {
            ReportMissingRuleFile(node, name, extension, folder);
            return null;
        }

        if (found.Count > 1)
        {
            Report(node, FlowDiagnosticCodes.AmbiguousRuleFile,
                $"Rule '{name}' is ambiguous: both {RulesFolder}/{found[0]} and {RulesFolder}/{found[1]} exist.",
                $"Write the extension to choose one (rule: {found[0]} or rule: {found[1]}), or remove the other file.");
            return null;
        }

        var fileName = found[0];
        var path = Path.Combine(folder, fileName);
        string source;
        try
        {
            source = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Report(node, FlowDiagnosticCodes.RuleFileNotFound, $"Rule file '{RulesFolder}/{fileName}' cannot be read: {e.Message}",
                $"Check that {path} is a readable file.");
            return null;
        }

        var language = RuleFileKinds.Single(kind => fileName.EndsWith(kind.Extension, StringComparison.Ordinal)).Language;
        if (string.IsNullOrWhiteSpace(source))
        {
            Report(node, FlowDiagnosticCodes.InvalidValue, $"Rule file '{RulesFolder}/{fileName}' is empty.",
                language == ScriptLanguage.JavaScript
                    ? "Write a JavaScript expression (lead.state == 'TX') or statements that end in return."
                    : "Write a C# expression, e.g. lead.state == \"TX\".");
            return null;
        }

        // Located at the file's own line 1, column 1, so a mistake inside the script is reported in the rule file.
        return Script(language, source, SourceLocation.StartOf(path)) with { RuleFile = $"{RulesFolder}/{fileName}" };
    }

    private void ReportMissingRuleFile(YamlNode node, string name, string extension, string folder)
    {
        var existing = Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder)
                .Select(Path.GetFileName)
                .OfType<string>()
                .Where(file => RuleFileKinds.Any(kind => file.EndsWith(kind.Extension, StringComparison.Ordinal)))
                .Select(file => extension.Length > 0 ? file : Path.GetFileNameWithoutExtension(file))
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
        var nearest = Suggestions.Nearest(name, existing);
        Report(node, FlowDiagnosticCodes.RuleFileNotFound,
            extension.Length > 0
                ? $"Rule file '{RulesFolder}/{name}' does not exist."
                : $"Rule '{name}' has no file: neither {RulesFolder}/{name}.js nor {RulesFolder}/{name}.csx exists.",
            nearest is not null
                ? $"Did you mean '{nearest}'?"
                : $"Create {Path.Combine(folder, extension.Length > 0 ? name : name + ".js")}; rule files live in the rules folder next to flows/.");
    }
}
