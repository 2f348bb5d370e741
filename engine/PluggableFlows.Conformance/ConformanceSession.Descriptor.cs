using System.Globalization;
using System.Text.RegularExpressions;
using PluggableFlows.Sdk;

namespace PluggableFlows.Conformance;

internal sealed partial class ConformanceSession
{
    private static readonly string[] ReservedResponseNames = ["outcome", "reason", "price", "cost"];

    [GeneratedRegex("^[a-z][a-z0-9_-]*(\\.[a-z0-9][a-z0-9_-]*)+$", RegexOptions.CultureInvariant)]
    private static partial Regex DottedLowerCase();

    public ConformanceCheck DescriptorComplete()
    {
        const string name = ConformanceChecks.DescriptorComplete;
        if (DescriptorProblem is not null)
        {
            return Fail(name, DescriptorProblem);
        }

        var descriptor = Descriptor!;
        var problems = new List<string>();
        if (_integration is not (IRequestResponseIntegration or IHandlerIntegration))
        {
            problems.Add($"{_integration.GetType().Name} implements neither IRequestResponseIntegration nor IHandlerIntegration");
        }

        if (string.IsNullOrWhiteSpace(descriptor.Id))
        {
            problems.Add("the id is empty");
        }
        else if (!DottedLowerCase().IsMatch(descriptor.Id))
        {
            problems.Add($"the id '{descriptor.Id}' is not dotted lower-case (like 'phone.verify')");
        }

        if (string.IsNullOrWhiteSpace(descriptor.Name))
        {
            problems.Add("the display name is empty");
        }

        if (!Enum.IsDefined(descriptor.Kind))
        {
            problems.Add($"the kind ({(int)descriptor.Kind}) is neither Enhancement nor Delivery");
        }

        switch (descriptor.Class)
        {
            case IntegrationClass.AddOn when descriptor.CostPerTransaction <= 0:
                problems.Add($"it is an add-on but costs {Money(descriptor.CostPerTransaction)} per transaction; add-ons are billed per call, so the cost must be above 0");
                break;
            case IntegrationClass.Byoc when descriptor.CostPerTransaction != 0:
                problems.Add($"it is BYOC but costs {Money(descriptor.CostPerTransaction)} per transaction; the provider bills BYOC users directly, so the cost must be 0");
                break;
            case IntegrationClass.AddOn or IntegrationClass.Byoc:
                break;
            default:
                problems.Add($"the class ({(int)descriptor.Class}) is neither AddOn nor Byoc");
                break;
        }

        Names("credential", descriptor.Credentials?.Select(credential => credential?.Name), problems);
        Names("request variable", descriptor.RequestVariables?.Select(variable => variable?.Name), problems);
        Names("response variable", descriptor.ResponseVariables?.Select(variable => variable?.Name), problems);
        foreach (var reserved in (descriptor.ResponseVariables ?? []).Select(variable => variable?.Name)
                     .Where(variable => ReservedResponseNames.Contains(variable, StringComparer.OrdinalIgnoreCase)))
        {
            problems.Add($"the response variable '{reserved}' collides with the step's own '{reserved!.ToLowerInvariant()}'; rename it");
        }

        return problems.Count > 0
            ? Fail(name, Listed(problems))
            : Pass(name, string.Create(CultureInfo.InvariantCulture,
                $"'{descriptor.Id}': {descriptor.Kind}, {descriptor.Class}, {descriptor.Credentials?.Count ?? 0} credential(s), " +
                $"{descriptor.RequestVariables?.Count ?? 0} request and {descriptor.ResponseVariables?.Count ?? 0} response variable(s)"));
    }

    public ConformanceCheck VariablesTyped()
    {
        const string name = ConformanceChecks.VariablesTyped;
        if (Descriptor is null)
        {
            return Fail(name, DescriptorProblem ?? "Descriptor is null");
        }

        var problems = new List<string>();
        var variables = (Descriptor.RequestVariables ?? []).Select(variable => ("request", variable))
            .Concat((Descriptor.ResponseVariables ?? []).Select(variable => ("response", variable)));
        foreach (var (side, variable) in variables)
        {
            if (variable is null || string.IsNullOrWhiteSpace(variable.Name))
            {
                continue; // descriptor-complete reports it
            }

            if (string.IsNullOrWhiteSpace(variable.Type))
            {
                problems.Add($"the {side} variable '{variable.Name}' has no type");
            }
            else if (!_types.Names.Contains(variable.Type, StringComparer.Ordinal))
            {
                problems.Add($"the {side} variable '{variable.Name}' has the unknown type '{variable.Type}'");
            }
        }

        return problems.Count > 0
            ? Fail(name, $"{Listed(problems)} (field types: {string.Join(", ", _types.Names)})")
            : Pass(name, "every request and response variable has a known field type");
    }

    private static void Names(string what, IEnumerable<string?>? names, List<string> problems)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var index = 0;
        foreach (var name in names ?? [])
        {
            index++;
            if (string.IsNullOrWhiteSpace(name))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{what} #{index} has no name"));
            }
            else if (!seen.Add(name))
            {
                problems.Add($"the {what} '{name}' is declared twice");
            }
        }
    }

    private static string Money(decimal amount) => amount.ToString("0.####", CultureInfo.InvariantCulture);
}
