using System.Text.Json;
using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.Http;

/// <summary>The recipient's answer: its text, and its JSON when it is JSON (whatever content type it was labelled with).</summary>
internal sealed class ResponseBody : IDisposable
{
    private readonly JsonDocument? _document;

    private ResponseBody(string text, JsonDocument? document, string? problem)
    {
        Text = text;
        _document = document;
        JsonProblem = problem;
    }

    /// <summary>The body as received.</summary>
    public string Text { get; }

    /// <summary>The parsed body, or null when it is not JSON.</summary>
    public JsonElement? Json => _document?.RootElement;

    /// <summary>Why the body is not JSON, for a reason; null when it is.</summary>
    public string? JsonProblem { get; }

    public static ResponseBody Read(IntegrationResponse response)
    {
        var text = response.Body ?? "";
        var labelled = string.IsNullOrEmpty(response.ContentType) ? "" : $" ({response.ContentType})";
        if (string.IsNullOrWhiteSpace(text))
        {
            return new ResponseBody(text, null, $"the answer{labelled} is empty, not JSON");
        }

        try
        {
            return new ResponseBody(text, JsonDocument.Parse(text), null);
        }
        catch (JsonException e)
        {
            return new ResponseBody(text, null, $"the answer{labelled} is not valid JSON ({e.Message})");
        }
    }

    /// <summary>The value at <paramref name="path"/> as text (objects and arrays as JSON), or null when there is none.</summary>
    public string? TextAt(ResponsePath path) =>
        Json is { } root && path.Find(root) is { } element ? TextOf(element) : null;

    /// <summary>Each top-level property of a JSON object answer, by its own name (except <paramref name="skipped"/>).</summary>
    public Dictionary<string, object?> Appended(IReadOnlySet<string> skipped)
    {
        var appended = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (Json is { ValueKind: JsonValueKind.Object } root)
        {
            foreach (var property in root.EnumerateObject())
            {
                if (!skipped.Contains(property.Name))
                {
                    appended[property.Name] = ValueOf(property.Value);
                }
            }
        }

        return appended;
    }

    public void Dispose() => _document?.Dispose();

    private static string? TextOf(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => element.GetString(),
        _ => element.GetRawText(),
    };

    private static object? ValueOf(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var whole) ? whole
            : element.TryGetDouble(out var number) && double.IsFinite(number) ? number : element.GetRawText(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Array => element.EnumerateArray().Select(ValueOf).ToList(),
        JsonValueKind.Object => ObjectOf(element),
        _ => null,
    };

    // A repeated name keeps its last value, as JavaScript's JSON.parse does.
    private static Dictionary<string, object?> ObjectOf(JsonElement element)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            map[property.Name] = ValueOf(property.Value);
        }

        return map;
    }
}
