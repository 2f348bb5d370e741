using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Fields;

/// <summary>A lead field type: turns any text into a <see cref="FieldValue"/> and never throws.</summary>
public interface IFieldType
{
    /// <summary>The type name used in flow files (<c>phone</c>, <c>postal_code</c>, ...).</summary>
    string Name { get; }

    /// <summary>Component names this type fills in (snake_case), in display order.</summary>
    IReadOnlyList<string> Components { get; }

    /// <summary>Parses <paramref name="raw"/>. Any input (blank, huge, control characters, lone surrogates) yields a value.</summary>
    FieldValue Parse(string raw);
}
