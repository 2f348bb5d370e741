using System.Collections.Concurrent;
using System.Collections.Frozen;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Vars;

/// <summary>
/// The fields a flow declares, each with a slot number. The pipeline stores a lead's declared fields in a slot array
/// as it parses them, and rules compiled against the same layout read a field by slot instead of looking its id up.
/// Layouts are canonical: the same ids give the same instance, so a rule checks that a lead's layout is its own with
/// one reference comparison, and a lead with another layout (or none) is read by id, as before.
/// </summary>
public sealed class FieldLayout
{
    private static readonly ConcurrentDictionary<string, FieldLayout> Canonical = new(StringComparer.Ordinal);
    private readonly FrozenDictionary<string, int> _slots;

    private FieldLayout(string[] ids)
    {
        Ids = ids;
        _slots = ids.Select((id, slot) => KeyValuePair.Create(id, slot)).ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The field ids in slot order (ordinal order, interned).</summary>
    public IReadOnlyList<string> Ids { get; }

    /// <summary>The number of slots.</summary>
    public int Count => Ids.Count;

    /// <summary>The layout of <paramref name="ids"/> (order and duplicates do not matter).</summary>
    public static FieldLayout Of(IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var sorted = ids.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(string.Intern).ToArray();
        return Canonical.GetOrAdd(string.Join('\n', sorted), static (_, sorted) => new FieldLayout(sorted), sorted);
    }

    /// <summary>The slot of field <paramref name="id"/>, or -1 when the layout does not have it.</summary>
    public int SlotOf(string id) => _slots.TryGetValue(id, out var slot) ? slot : -1;

    /// <summary>A lead's fields in slot order (null where the lead lacks one).</summary>
    public FieldValue?[] SlotsOf(IReadOnlyDictionary<string, FieldValue> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var slots = new FieldValue?[Ids.Count];
        for (var slot = 0; slot < slots.Length; slot++)
        {
            slots[slot] = fields.TryGetValue(Ids[slot], out var field) ? field : null;
        }

        return slots;
    }
}

/// <summary>A field a compiled rule reads: by slot when the lead was built with the rule's layout, else by id.</summary>
internal readonly struct FieldRef
{
    private readonly string _id;
    private readonly FieldLayout? _layout;
    private readonly int _slot;

    public FieldRef(string id, FieldLayout? layout)
    {
        _id = string.Intern(id);
        _slot = layout?.SlotOf(id) ?? -1;
        _layout = _slot >= 0 ? layout : null;
    }

    public FieldValue? Read(LeadVars vars) =>
        _layout is not null ? vars.FieldAt(_layout, _slot, _id) : vars.TryGetField(_id, out var field) ? field : null;
}
