using System.Globalization;
using System.Text.RegularExpressions;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Plugins;

/// <summary>
/// Checks an integration descriptor before the host offers the integration to flows. Used when plugins load and by the
/// conformance kit, so a plugin author sees the same problems the host would report.
/// </summary>
public static partial class DescriptorValidator
{
    /// <summary>Names the host appends under every step key itself; an integration cannot append them.</summary>
    public static IReadOnlyList<string> ReservedResponseNames { get; } = ["outcome", "reason", "price", "cost"];

    /// <summary>Every problem with <paramref name="descriptor"/>, as sentences; empty when it is fit to load.</summary>
    public static IReadOnlyList<string> Validate(IntegrationDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var problems = new List<string>();

        if (string.IsNullOrWhiteSpace(descriptor.Id))
        {
            problems.Add("id is missing");
        }
        else if (!IdPattern().IsMatch(descriptor.Id))
        {
            problems.Add($"id '{descriptor.Id}' is not dotted lower-case like 'phone.verify' (a-z and 0-9, then one or more '.' parts of a-z, 0-9, '_' and '-')");
        }

        if (string.IsNullOrWhiteSpace(descriptor.Name))
        {
            problems.Add("name is missing");
        }

        if (!Enum.IsDefined(descriptor.Kind))
        {
            problems.Add($"kind {(int)descriptor.Kind} is not defined (use Enhancement or Delivery)");
        }

        if (!Enum.IsDefined(descriptor.Class))
        {
            problems.Add($"class {(int)descriptor.Class} is not defined (use AddOn or Byoc)");
        }

        var cost = descriptor.CostPerTransaction.ToString(CultureInfo.InvariantCulture);
        if (descriptor.CostPerTransaction < 0)
        {
            problems.Add($"cost per transaction is negative ({cost})");
        }

        if (descriptor.Class == IntegrationClass.AddOn && descriptor.CostPerTransaction <= 0)
        {
            problems.Add($"an add-on must have a cost per transaction greater than 0, not {cost}");
        }
        else if (descriptor.Class == IntegrationClass.Byoc && descriptor.CostPerTransaction != 0)
        {
            problems.Add($"a BYOC integration has a cost per transaction of 0 (the provider bills the flow owner), not {cost}");
        }

        CheckNames("credential", (descriptor.Credentials ?? []).Select(c => c?.Name), problems);
        CheckVariables("request", descriptor.RequestVariables, problems);
        CheckVariables("response", descriptor.ResponseVariables, problems);
        foreach (var variable in descriptor.ResponseVariables ?? [])
        {
            if (variable?.Name is { } name && ReservedResponseNames.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"response variable '{name}' is reserved: the host appends <step key>.{name.ToLowerInvariant()} itself");
            }
        }

        return problems;
    }

    private static void CheckVariables(string role, IReadOnlyList<VariableDescriptor>? variables, List<string> problems)
    {
        variables ??= [];
        CheckNames($"{role} variable", variables.Select(v => v?.Name), problems);
        var types = FieldTypeRegistry.Default.Names;
        foreach (var variable in variables)
        {
            if (variable is null || string.IsNullOrWhiteSpace(variable.Name))
            {
                continue;
            }

            if (string.IsNullOrWhiteSpace(variable.Type))
            {
                problems.Add($"{role} variable '{variable.Name}' has no type (one of: {string.Join(", ", types)})");
            }
            else if (!FieldTypeRegistry.Default.TryGet(variable.Type, out _))
            {
                problems.Add($"{role} variable '{variable.Name}' has type '{variable.Type}', which is not a field type (one of: {string.Join(", ", types)})");
            }
        }
    }

    private static void CheckNames(string what, IEnumerable<string?> names, List<string> problems)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var position = 0;
        foreach (var name in names)
        {
            position++;
            if (string.IsNullOrWhiteSpace(name))
            {
                problems.Add($"{what} #{position} has no name");
            }
            else if (!seen.Add(name))
            {
                problems.Add($"{what} '{name}' is declared more than once");
            }
        }
    }

    [GeneratedRegex(@"^[a-z0-9]+(\.[a-z0-9_-]+)+$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
