using System.CommandLine;
using PluggableFlows.Engine.Fields;

namespace PluggableFlows.Cli.Commands;

/// <summary><c>pflow types parse &lt;type&gt; [value ...]</c>: one JSON object per value, one per line.</summary>
internal static class TypesCommand
{
    public static Command Create(CliContext context)
    {
        var type = new Argument<string>("type") { Description = "A field type: phone, email, postal_code, date, ..." };
        var values = new Argument<string[]>("value")
        {
            Description = "Values to parse; when none are given, one value per line of standard input.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var parse = new Command("parse", "Parse values as a field type and print raw, normal, valid and components.") { type, values };
        parse.SetAction(parsed => Parse(context, parsed.GetValue(type)!, parsed.GetValue(values) ?? []));

        var list = new Command("list", "List the field types and their components.");
        list.SetAction(_ => List(context));

        return new Command("types", "Field types.") { parse, list };
    }

    private static int Parse(CliContext context, string typeName, string[] values)
    {
        if (!context.Types.TryGet(typeName, out var type))
        {
            context.Error.WriteLine($"Unknown field type '{typeName}'. Known types: {string.Join(", ", context.Types.Names)}.");
            return 2;
        }

        if (values.Length > 0)
        {
            foreach (var value in values)
            {
                context.Output.WriteLine(FieldValueJson.ToJson(type.Parse(value)));
            }

            return 0;
        }

        while (context.Input.ReadLine() is { } line)
        {
            context.Output.WriteLine(FieldValueJson.ToJson(type.Parse(line)));
        }

        return 0;
    }

    private static int List(CliContext context)
    {
        foreach (var name in context.Types.Names.Order(StringComparer.Ordinal))
        {
            var type = context.Types.Get(name);
            context.Output.WriteLine(type.Components.Count == 0 ? name : $"{name}: {string.Join(", ", type.Components)}");
        }

        return 0;
    }
}
