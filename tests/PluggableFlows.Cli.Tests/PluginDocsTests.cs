using System.Text.RegularExpressions;

namespace PluggableFlows.Cli.Tests;

/// <summary>
/// The C# and XML in docs/plugins.md and docs/conformance.md are excerpts of compiled code: the project
/// <c>pflow plugin new Acme.Phone</c> writes (built and tested by <see cref="PluginCommandTests"/>), the SDK, and the
/// conformance kit's test plugins. Each excerpt must appear in one of them, line for line (indentation aside).
/// </summary>
public sealed partial class PluginDocsTests : IDisposable
{
    private readonly string _scratch = Path.Combine(Pflow.RepoRoot, "artifacts", "doc-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_scratch))
        {
            Directory.Delete(_scratch, recursive: true);
        }

        var parent = Path.GetDirectoryName(_scratch)!;
        if (Directory.Exists(parent) && !Directory.EnumerateFileSystemEntries(parent).Any())
        {
            Directory.Delete(parent);
        }
    }

    [GeneratedRegex("```(?:csharp|xml)\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [Theory]
    [InlineData("plugins.md")]
    [InlineData("conformance.md")]
    public async Task Every_code_example_is_an_excerpt_of_compiled_code(string page)
    {
        // The docs show the plugin scaffolded into plugins/ and tests/, so references are computed from there.
        var output = Path.Combine(_scratch, "plugins");
        Directory.CreateDirectory(output);
        (await Pflow.InProcessAsync("", "plugin", "new", "Acme.Phone", "--output", output, "--no-sln")).Exit.ShouldBe(0);
        var sources = Directory.GetFiles(_scratch, "*.*", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Pflow.RepoRoot + "/engine/PluggableFlows.Sdk", "*.cs"))
            .Concat(Directory.GetFiles(Pflow.RepoRoot + "/tests/plugins", "*.cs", SearchOption.AllDirectories))
            .Select(file => File.ReadAllLines(file).Select(line => line.Trim()).ToArray())
            .ToList();
        // Scaffolded under artifacts/doc-tests/ rather than plugins/, so the SDK is further up than the docs show.
        var up = Path.GetRelativePath(Path.Combine(output, "Acme.Phone"), Pflow.RepoRoot).Replace('\\', '/');
        var markdown = (await File.ReadAllTextAsync(Path.Combine(Pflow.RepoRoot, "docs", page)))
            .Replace("\r\n", "\n", StringComparison.Ordinal);

        var blocks = CodeBlock().Matches(markdown).Select(match => match.Groups[1].Value).ToList();

        blocks.ShouldNotBeEmpty();
        foreach (var block in blocks)
        {
            var lines = block.Split('\n').Select(line => line.Trim())
                .Select(line => line.Replace("\"../../engine/", $"\"{up}/engine/", StringComparison.Ordinal))
                .ToArray();
            var start = Array.FindIndex(lines, line => line.Length > 0);
            var end = Array.FindLastIndex(lines, line => line.Length > 0);
            var excerpt = lines[start..(end + 1)];
            sources.Any(source => Contains(source, excerpt)).ShouldBeTrue($"Not an excerpt of compiled code ({page}):\n{block}");
        }
    }

    private static bool Contains(string[] source, string[] excerpt)
    {
        for (var i = 0; i + excerpt.Length <= source.Length; i++)
        {
            if (source.AsSpan(i, excerpt.Length).SequenceEqual(excerpt))
            {
                return true;
            }
        }

        return false;
    }
}
