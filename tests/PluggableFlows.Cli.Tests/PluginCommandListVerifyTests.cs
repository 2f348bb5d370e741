namespace PluggableFlows.Cli.Tests;

/// <summary><c>pflow plugin list</c> and <c>pflow plugin verify</c>, run as users run them.</summary>
public class PluginCommandListVerifyTests
{
    private static string TestPlugin(string name) => PluggableFlows.Testing.RepoPaths.Combine("artifacts", "test-plugins", name);

    [Fact]
    public async Task Plugin_list_shows_every_first_party_integration_with_kind_class_cost_version_and_variables()
    {
        var (exit, output, error) = await Pflow.ProcessAsync(Pflow.RepoRoot, "plugin", "list");

        exit.ShouldBe(0, error);
        error.ShouldBeEmpty();
        foreach (var id in new[] { "phone.verify", "email.verify", "suppression.query", "suppression.is_unique", "trustedform.verify", "file.jsonl", "http.json", "http.form", "http.query", "http.xml", "http.soap" })
        {
            output.ShouldContain(id);
        }

        UsageCommandTests.Row(output, "phone.verify").ShouldBe(["enhancement", "add-on", "0.005", "phone", "0.1.0.0"]);
        UsageCommandTests.Row(output, "trustedform.verify").ShouldBe(["enhancement", "BYOC", "-", "trustedform", "0.1.0.0"]);
        UsageCommandTests.Row(output, "http.json").ShouldBe(["delivery", "BYOC", "-", "http", "0.1.0.0"]);
        output.ShouldContain("inputs:  phone (phone, required), region (string)");
        output.ShouldContain("credentials: api_key");
    }

    [Theory]
    [InlineData("local")]
    [InlineData("phone")]
    [InlineData("email")]
    [InlineData("suppression")]
    [InlineData("trustedform")]
    [InlineData("http")]
    public async Task Plugin_verify_passes_every_first_party_plugin(string plugin)
    {
        var (exit, output, _) = await Pflow.ProcessAsync(Pflow.RepoRoot, "plugin", "verify", Path.Combine(Pflow.CliBin, "plugins", plugin));

        output.ShouldContain($"{plugin}: fit to drop in");
        output.ShouldNotContain("FAIL ", Case.Sensitive);
        exit.ShouldBe(0);
    }

    [Theory]
    [InlineData("broken-throws-on-5xx", "no-exception-escapes", "ParseResponse threw InvalidOperationException on a 500 response")]
    [InlineData("broken-invents-outcome", "outcomes-valid", "returned the outcome 42")]
    [InlineData("broken-undeclared-field", "appended-fields-declared", "which is not a declared response variable")]
    [InlineData("broken-leaks-credential", "secrets-masked", "appears hex-encoded in the transcript")]
    [InlineData("broken-ignores-cancellation", "cancellation-honoured", "still running 2 s after the call was cancelled")]
    [InlineData("broken-shared-state", "concurrent-calls-isolated", "calls share mutable state")]
    public async Task Plugin_verify_fails_each_broken_plugin_naming_its_defect(string plugin, string check, string message)
    {
        var (exit, output, _) = await Pflow.ProcessAsync(Pflow.RepoRoot, "plugin", "verify", TestPlugin(plugin));

        output.ShouldContain($"FAIL {check}: ");
        output.ShouldContain(message);
        output.ShouldContain($"{plugin}: NOT fit to drop in");
        exit.ShouldBe(1);
    }

    [Fact]
    public async Task Plugin_verify_passes_the_conformant_test_plugin()
    {
        var (exit, output, _) = await Pflow.ProcessAsync(Pflow.RepoRoot, "plugin", "verify", TestPlugin("conformant"));

        output.ShouldNotContain("FAIL ", Case.Sensitive);
        exit.ShouldBe(0);
    }

    [Fact]
    public async Task Plugin_verify_reports_a_plugin_that_cannot_load()
    {
        var folder = Directory.CreateTempSubdirectory("pflow-corrupt-").FullName;
        var plugin = Path.Combine(folder, "corrupt");
        Directory.CreateDirectory(plugin);
        await File.WriteAllBytesAsync(Path.Combine(plugin, "Corrupt.dll"), [0x4d, 0x5a, 1, 2, 3, 4, 5]);
        await File.WriteAllTextAsync(Path.Combine(plugin, "Corrupt.deps.json"), "{}");

        var (exit, output, _) = await Pflow.ProcessAsync(Pflow.RepoRoot, "plugin", "verify", plugin);

        output.ShouldContain("FAIL load: ");
        output.ShouldContain("corrupt");
        exit.ShouldBe(1);
    }

    [Fact]
    public async Task Plugin_verify_explains_a_missing_folder()
    {
        var (exit, _, error) = await Pflow.InProcessAsync("", "plugin", "verify", "no/such/plugin");

        exit.ShouldBe(2);
        error.ShouldContain("no/such/plugin: no such folder.");
    }
}
