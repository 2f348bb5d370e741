using System.Collections;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.Http;

/// <summary>
/// The body of <c>http.json</c>: each <c>json_property.&lt;path&gt;</c> input becomes a property at that dot path, so
/// <c>json_property.contact.email</c> gives <c>{"contact":{"email":"..."}}</c>. Properties appear in input order.
/// </summary>
internal static class JsonBody
{
    // The body goes to an API, never into HTML, so '<', '&' and non-ASCII letters are written as themselves (easier to
    // read in transcripts). Quotes, backslashes and control characters are still escaped, so the JSON stays well formed.
    private static readonly JsonSerializerOptions Writing = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Builds the body object, or says which properties cannot both be written.</summary>
    public static (JsonObject? Body, string? Problem) Build(IReadOnlyList<(string Path, object? Value)> properties, string prefix)
    {
        var root = new JsonObject();
        // Which input wrote each node, to name both inputs when two paths collide.
        var writers = new Dictionary<JsonNode, string>(ReferenceEqualityComparer.Instance);
        foreach (var (path, value) in properties)
        {
            if (InputText.PathParts(path) is not { } parts)
            {
                return (null, $"'{prefix}{path}' is not a dot path (parts such as contact.email, none empty)");
            }

            var node = root;
            for (var i = 0; i < parts.Length - 1; i++)
            {
                switch (node[parts[i]])
                {
                    case JsonObject child:
                        node = child;
                        break;
                    case null when !node.ContainsKey(parts[i]):
                        var created = new JsonObject();
                        node[parts[i]] = created;
                        writers[created] = path;
                        node = created;
                        break;
                    default:
                        return (null, Collision(prefix, path, string.Join('.', parts[..(i + 1)])));
                }
            }

            if (node.ContainsKey(parts[^1]))
            {
                var other = node[parts[^1]] is { } existing && writers.TryGetValue(existing, out var writer) ? writer : string.Join('.', parts);
                return (null, $"'{prefix}{path}' and '{prefix}{other}' both write the property '{string.Join('.', parts)}'; map one of them");
            }

            var leaf = ToNode(value);
            node[parts[^1]] = leaf;
            if (leaf is not null)
            {
                writers[leaf] = path;
            }
        }

        return (root, null);
    }

    /// <summary>
    /// Whether every property can be written: each a dot path, none written twice, none inside another one's value.
    /// Builds nothing, so checking a delivery's inputs does not build its body twice; <see cref="Build"/> names the
    /// problem when there is one.
    /// </summary>
    public static bool Writable(IReadOnlyList<(string Path, object? Value)> properties)
    {
        var paths = new HashSet<string>(properties.Count, StringComparer.Ordinal);
        foreach (var (path, _) in properties)
        {
            if (InputText.PathParts(path) is null || !paths.Add(path))
            {
                return false;
            }
        }

        var lookup = paths.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var (path, _) in properties)
        {
            for (var dot = path.IndexOf('.', StringComparison.Ordinal); dot > 0; dot = path.IndexOf('.', dot + 1))
            {
                if (lookup.Contains(path.AsSpan(0, dot)))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>The body as JSON text.</summary>
    public static string Write(JsonObject body) => body.ToJsonString(Writing);

    private static string Collision(string prefix, string path, string holder) =>
        $"'{prefix}{path}' needs '{holder}' to be an object, but '{prefix}{holder}' gives it a value; map one of them";

    /// <summary>
    /// Numbers and booleans stay typed: a plain number or boolean (appended by an earlier step), or a valid number or
    /// boolean field. Every other field is sent as its normal form, everything else as text.
    /// </summary>
    internal static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        FieldValue { Valid: true, Value: bool flag } => JsonValue.Create(flag),
        FieldValue { Valid: true, Value: double number } when double.IsFinite(number) => JsonValue.Create(number),
        FieldValue field => JsonValue.Create(field.Normal),
        string text => JsonValue.Create(text),
        bool flag => JsonValue.Create(flag),
        int number => JsonValue.Create(number),
        long number => JsonValue.Create(number),
        decimal number => JsonValue.Create(number),
        double number when double.IsFinite(number) => JsonValue.Create(number),
        float number when float.IsFinite(number) => JsonValue.Create(number),
        IReadOnlyDictionary<string, object?> map => new JsonObject(map.Select(pair => KeyValuePair.Create(pair.Key, ToNode(pair.Value)))),
        IEnumerable list => new JsonArray([.. list.Cast<object?>().Select(ToNode)]),
        _ => JsonValue.Create(InputText.Of(value)),
    };
}
