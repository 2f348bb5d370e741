using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using JsEngine = Jint.Engine;

namespace PluggableFlows.Engine.Rules.Scripting;

/// <summary>
/// A JavaScript object that shows host data as read-only own data properties (not writable, not configurable), in a
/// fixed order, on an ordinary extensible object whose prototype is <c>Object.prototype</c>.
/// </summary>
/// <remarks>
/// A rule reads a few of a lead's values, so a property's value and descriptor are made on its first read, and kept,
/// so that reading it again gives the same object. Anything that lists, adds, removes or redefines own properties, or
/// stops the object being extended, first turns every property into an ordinary own property in its order, and from
/// then on the object is an ordinary Jint object; so a script sees exactly the object it would see had every property
/// been defined up front.
/// </remarks>
internal abstract class ReadOnlyRecordObject : ObjectInstance
{
    private (string Name, JsValue Value, PropertyDescriptor? Descriptor)[]? _read;
    private int _readCount;
    private bool _materialized;

    protected ReadOnlyRecordObject(JsEngine engine) : base(engine) => Prototype = engine.Intrinsics.Object.PrototypeObject;

    /// <summary>Whether the object has become an ordinary Jint object (see the remarks).</summary>
    protected bool IsMaterialized => _materialized;

    /// <summary>The property names, in their order, each once.</summary>
    protected abstract IEnumerable<string> Names { get; }

    /// <summary>The value of <paramref name="name"/>, made anew; null when there is no such property.</summary>
    protected abstract JsValue? Resolve(string name);

    /// <summary>Whether <paramref name="name"/> is left out of <c>Object.keys</c>, <c>for..in</c> and
    /// <c>JSON.stringify</c>.</summary>
    protected virtual bool IsHidden(string name) => false;

    public override PropertyDescriptor GetOwnProperty(JsValue property)
    {
        if (_materialized)
        {
            return base.GetOwnProperty(property);
        }

        var key = TypeConverter.ToPropertyKey(property);
        return key is JsSymbol || Find(key.ToString()) is not (>= 0 and var index) ? PropertyDescriptor.Undefined : Descriptor(index);
    }

    /// <summary>What <c>record.name</c> reads, without a property descriptor when the property is an own one that has
    /// not been turned into an ordinary property.</summary>
    public JsValue ReadValue(JsString name) =>
        !_materialized && Find(name.ToString()) is >= 0 and var index ? _read![index].Value : Get(name, this);

    public override List<JsValue> GetOwnPropertyKeys(Types types = Types.Empty | Types.String | Types.Symbol)
    {
        Materialize();
        return base.GetOwnPropertyKeys(types);
    }

    public override IEnumerable<KeyValuePair<JsValue, PropertyDescriptor>> GetOwnProperties()
    {
        Materialize();
        return base.GetOwnProperties();
    }

    public override bool DefineOwnProperty(JsValue property, PropertyDescriptor desc)
    {
        Materialize();
        return base.DefineOwnProperty(property, desc);
    }

    public override bool Set(JsValue property, JsValue value, JsValue receiver)
    {
        Materialize();
        return base.Set(property, value, receiver);
    }

    public override bool Delete(JsValue property)
    {
        Materialize();
        return base.Delete(property);
    }

    public override bool PreventExtensions()
    {
        Materialize();
        return base.PreventExtensions();
    }

    /// <summary>The index of <paramref name="name"/> among the properties read so far, reading it now if need be; -1
    /// when there is no such property.</summary>
    private int Find(string name)
    {
        for (var i = 0; i < _readCount; i++)
        {
            if (string.Equals(_read![i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        if (Resolve(name) is not { } value)
        {
            return -1;
        }

        _read ??= new (string, JsValue, PropertyDescriptor?)[4];
        if (_readCount == _read.Length)
        {
            Array.Resize(ref _read, _readCount * 2);
        }

        _read[_readCount] = (name, value, null);
        return _readCount++;
    }

    private PropertyDescriptor Descriptor(int index)
    {
        ref var entry = ref _read![index];
        return entry.Descriptor ??= new PropertyDescriptor(entry.Value, writable: false, enumerable: !IsHidden(entry.Name), configurable: false);
    }

    private void Materialize()
    {
        if (_materialized)
        {
            return;
        }

        foreach (var name in Names)
        {
            if (Find(name) is >= 0 and var index)
            {
                FastSetProperty(name, Descriptor(index));
            }
        }

        _materialized = true;
        _read = null;
    }
}
