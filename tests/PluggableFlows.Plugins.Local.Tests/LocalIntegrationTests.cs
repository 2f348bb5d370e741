using System.Text.Json;
using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.Local.Tests;

public sealed class LocalIntegrationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pflow-local-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static IntegrationContext Context(Dictionary<string, object?> inputs) =>
        new(new IntegrationInput(inputs), new HttpClient(), TimeProvider.System);

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
