using System.Text.Json;
using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.Local.Tests;

public sealed class LocalIntegrationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pflow-local-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static IntegrationContext Context(Dictionary<string, object?> inputs) =>
        new(new IntegrationInput(inputs), new HttpClient(), TimeProvider.System);

    [Theory]
    [InlineData("5125550100", true)]
    [InlineData(" 5125550100 ", true)]
    [InlineData("5125550101", false)]
    [InlineData("# not a phone", false)]
    public async Task Suppression_check_appends_whether_the_value_is_on_the_list(string value, bool found)
    {
        var list = Path.Combine(_folder, "dnc.txt");
        await File.WriteAllTextAsync(list, "# comment\n5125550100\n\n7135550199\n");

        var result = await new SuppressionCheck().HandleAsync(Context(new() { ["value"] = value, ["list"] = list }), CancellationToken.None);

        result.Outcome.ShouldBe(Outcome.Success);
        result.Appended["found"].ShouldBe(found);
        result.Appended["list"].ShouldBe("dnc");
    }

    [Fact]
    public async Task Suppression_check_rereads_a_list_that_changed()
    {
        var list = Path.Combine(_folder, "dnc.txt");
        await File.WriteAllTextAsync(list, "a@b.com\n");
        var check = new SuppressionCheck();
        (await check.HandleAsync(Context(new() { ["value"] = "c@d.com", ["list"] = list }), default)).Appended["found"].ShouldBe(false);

        await File.WriteAllTextAsync(list, "a@b.com\nc@d.com\n");
        File.SetLastWriteTimeUtc(list, File.GetLastWriteTimeUtc(list).AddSeconds(5));

        (await check.HandleAsync(Context(new() { ["value"] = "C@D.com", ["list"] = list }), default)).Appended["found"].ShouldBe(true);
    }

    [Fact]
    public async Task Suppression_check_skips_a_blank_value_and_errors_on_a_missing_list()
    {
        var check = new SuppressionCheck();

        (await check.HandleAsync(Context(new() { ["value"] = " ", ["list"] = "x.txt" }), default)).Outcome.ShouldBe(Outcome.Skip);
        var missing = await check.HandleAsync(Context(new() { ["value"] = "a", ["list"] = Path.Combine(_folder, "none.txt") }), default);
        missing.Outcome.ShouldBe(Outcome.Error);
        missing.Reason.ShouldNotBeNull().ShouldContain("none.txt");
    }

    [Fact]
    public async Task Json_lines_delivery_appends_one_object_per_lead_with_every_input_but_path()
    {
        var path = Path.Combine(_folder, "out", "leads.jsonl");
        var delivery = new JsonLinesDelivery();
        var phone = new FieldValue("phone", "(512) 555-1212", "5125551212", "5125551212", true);

        await delivery.HandleAsync(Context(new() { ["path"] = path, ["phone"] = phone, ["name"] = "Zoë" }), default);
        var second = await delivery.HandleAsync(Context(new() { ["path"] = path, ["name"] = "Ada" }), default);

        second.Outcome.ShouldBe(Outcome.Success);
        var lines = await File.ReadAllLinesAsync(path);
        lines.ShouldBe(["""{"name":"Zoë","phone":"5125551212"}""", """{"name":"Ada"}"""]);
        JsonDocument.Parse(lines[0]).RootElement.GetProperty("phone").GetString().ShouldBe("5125551212");
    }

    [Fact]
    public async Task Json_lines_delivery_without_a_path_is_an_error()
    {
        var result = await new JsonLinesDelivery().HandleAsync(Context(new() { ["name"] = "Ada" }), default);

        result.Outcome.ShouldBe(Outcome.Error);
    }

    [Fact]
    public async Task Concurrent_deliveries_never_interleave_lines()
    {
        var path = Path.Combine(_folder, "many.jsonl");
        var delivery = new JsonLinesDelivery();

        await Parallel.ForEachAsync(Enumerable.Range(0, 200), async (i, token) =>
            await delivery.HandleAsync(Context(new() { ["path"] = path, ["n"] = new string('x', 500) + i }), token));

        var lines = await File.ReadAllLinesAsync(path);
        lines.Length.ShouldBe(200);
        lines.ShouldAllBe(line => line.StartsWith("{\"n\":\"xxx", StringComparison.Ordinal) && line.EndsWith("\"}", StringComparison.Ordinal));
    }
}
