using System.Text.RegularExpressions;

namespace PluggableFlows.Cli.Scaffolding;

/// <summary>What <c>pflow plugin new</c> wrote.</summary>
/// <param name="RepoRoot">The folder holding PluggableFlows.sln.</param>
/// <param name="PluginProject">The plugin's .csproj.</param>
/// <param name="TestProject">Its test project's .csproj.</param>
/// <param name="Files">Every file written.</param>
internal sealed record ScaffoldedPlugin(string RepoRoot, string PluginProject, string TestProject, IReadOnlyList<string> Files);

/// <summary>
/// Writes a new plugin project (a request/response integration with conformance samples) and its test project (every
/// conformance check plus one unit test) from the templates embedded in pflow. Project references are computed from
/// where the projects land to the repository's SDK and conformance kit, so any output folder inside the repository works.
/// </summary>
internal static partial class PluginScaffold
{
    public const string SolutionFile = "PluggableFlows.sln";

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex ProjectName();

    /// <summary>Why <paramref name="name"/> cannot name a plugin project, or null when it can.</summary>
    public static string? NameProblem(string name) =>
        !ProjectName().IsMatch(name)
            ? $"'{name}' is not a valid plugin name: use dotted words of letters, digits and underscores, each starting with a letter (Acme.Phone)."
            : name.EndsWith(".Tests", StringComparison.OrdinalIgnoreCase)
                ? $"'{name}' ends with .Tests, which marks test projects; pick the plugin's own name (the tests get {name}, plus .Tests)."
                : null;

    /// <summary>The folder holding PluggableFlows.sln at or above <paramref name="folder"/>, or null.</summary>
    public static string? FindRepoRoot(string folder)
    {
        for (var directory = new DirectoryInfo(folder); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    /// <summary>Writes the two projects.</summary>
    /// <param name="name">The plugin's project name and namespace (Acme.Phone).</param>
    /// <param name="repoRoot">The repository root.</param>
    /// <param name="output">Where both project folders go; null for plugins/ and tests/ under the repository root.</param>
    public static ScaffoldedPlugin Create(string name, string repoRoot, string? output)
    {
        var pluginFolder = Path.Combine(output ?? Path.Combine(repoRoot, "plugins"), name);
        var testFolder = Path.Combine(output ?? Path.Combine(repoRoot, "tests"), name + ".Tests");
        foreach (var folder in new[] { pluginFolder, testFolder })
        {
            if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            {
                throw new ScaffoldException($"{folder} already exists and is not empty; pick another name or remove it.");
            }
        }

        var className = ClassName(name);
        var pluginProject = Path.Combine(pluginFolder, name + ".csproj");
        var testProject = Path.Combine(testFolder, name + ".Tests.csproj");
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["__Name__"] = name,
            ["__Class__"] = className,
            ["__Id__"] = IntegrationId(name),
            ["__PluginName__"] = name.ToLowerInvariant().Replace('.', '-').Replace('_', '-'),
            ["__SdkProject__"] = Relative(pluginFolder, Path.Combine(repoRoot, "engine", "PluggableFlows.Sdk", "PluggableFlows.Sdk.csproj")),
            ["__ConformanceProject__"] = Relative(testFolder, Path.Combine(repoRoot, "engine", "PluggableFlows.Conformance", "PluggableFlows.Conformance.csproj")),
            ["__PluginProject__"] = Relative(testFolder, pluginProject),
        };

        var files = new List<string>
        {
            Write(pluginProject, "Plugin.csproj.template", values),
            Write(Path.Combine(pluginFolder, className + ".cs"), "Integration.cs.template", values),
            Write(testProject, "Tests.csproj.template", values),
            Write(Path.Combine(testFolder, className + "Conformance.cs"), "ConformanceTests.cs.template", values),
            Write(Path.Combine(testFolder, className + "Tests.cs"), "UnitTests.cs.template", values),
        };
        return new ScaffoldedPlugin(repoRoot, pluginProject, testProject, files);
    }

    /// <summary>The integration's class: the name's last word plus Lookup (Acme.Phone → PhoneLookup).</summary>
    public static string ClassName(string name)
    {
        var last = name[(name.LastIndexOf('.') + 1)..];
        return char.ToUpperInvariant(last[0]) + last[1..] + "Lookup";
    }

    /// <summary>A dotted lower-case integration id (Acme.Phone → acme.phone.lookup).</summary>
    public static string IntegrationId(string name) =>
        string.Join('.', name.ToLowerInvariant().Replace('_', '-').Split('.').Append("lookup"));

    private static string Relative(string from, string to) => Path.GetRelativePath(from, to).Replace('\\', '/');

    private static string Write(string path, string template, IReadOnlyDictionary<string, string> values)
    {
        var text = Template(template);
        foreach (var (placeholder, value) in values)
        {
            text = text.Replace(placeholder, value, StringComparison.Ordinal);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Template(string name)
    {
        using var stream = typeof(PluginScaffold).Assembly.GetManifestResourceStream($"PluggableFlows.Cli.Scaffolding.Templates.{name}")
            ?? throw new InvalidOperationException($"pflow is missing its template {name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>The plugin cannot be scaffolded where asked; the message says why and what to do.</summary>
internal sealed class ScaffoldException(string message) : Exception(message);
