using System.Collections;
using System.Diagnostics.CodeAnalysis;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Fields;

/// <summary>
/// The components of one value: a type's fixed key list shared by every value, plus this value's slots.
/// Cheaper than a dictionary per parse and keeps the type's display order when written out.
/// </summary>
internal sealed class ComponentMap : IReadOnlyDictionary<string, object?>
{
    private readonly string[] _keys;
    private readonly object?[] _values;

    public ComponentMap(string[] keys, object?[] values)
    {
        _keys = keys;
        _values = values;
    }

    public object? this[string key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No component '{key}'.");

    public IEnumerable<string> Keys => _keys;

    public IEnumerable<object?> Values => _values;

    public int Count => _keys.Length;

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        var index = IndexOf(key);
        if (index < 0)
        {
            value = null;
            return false;
        }

        value = _values[index];
        return true;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < _keys.Length; i++)
        {
            yield return new KeyValuePair<string, object?>(_keys[i], _values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Component <paramref name="name"/> of <paramref name="field"/>, or null: the same as
    /// <c>field[name]</c>, but a value the engine's own field types parsed is read without an interface dispatch.</summary>
    public static object? Read(FieldValue field, string name)
    {
        if (field.Components is ComponentMap map)
        {
            var index = map.IndexOf(name);
            return index < 0 ? null : map._values[index];
        }

        return field[name];
    }

    private int IndexOf(string key)
    {
        for (var i = 0; i < _keys.Length; i++)
        {
            if (string.Equals(_keys[i], key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
