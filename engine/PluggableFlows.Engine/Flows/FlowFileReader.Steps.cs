using System.Globalization;
using System.Text.RegularExpressions;
using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Rules;
using PluggableFlows.Sdk;
using YamlDotNet.RepresentationModel;

namespace PluggableFlows.Engine.Flows;

internal sealed partial class FlowFileReader
{
    private static readonly string[] StepTypes = ["filter", "enhancement", "delivery"];
    private static readonly string[] FilterStepKeys = ["key", "type", "stop_if", "outcome", "reason"];
    private static readonly string[] IntegrationStepKeys = ["key", "type", "integration", "when", "inputs", "credentials", "on_failure", "timeout", "retry"];
    private static readonly string[] RetryKeys = ["attempts", "backoff", "max_backoff"];
    private static readonly string[] AnyStepKeys = [.. FilterStepKeys.Union(IntegrationStepKeys)];

    /// <summary>The roots of vars paths; a step key may not shadow one.</summary>
    private static readonly string[] VarsRoots = ["lead", "source", "flow", "submission", "random"];

    private static readonly Regex Duration = new(@"^(?<amount>[0-9]+)\s*(?<unit>ms|s|m|h)$", RegexOptions.CultureInvariant);

    private List<StepDefinition> ReadSteps(YamlNode node)
    {
        var result = new List<StepDefinition>();
        if (ExpectSequence(node, "steps", "a list of steps") is not { } sequence)
        {
            return result;
        }

        foreach (var item in sequence)
        {
            if (ExpectMapping(item, "steps", "a step mapping { key, type, ... }") is { } mapping && ReadStep(mapping) is { } step)
            {
                result.Add(step);
            }
        }

        return result;
    }

    private StepDefinition? ReadStep(YamlMappingNode mapping)
    {
        var rawKey = PeekText(mapping, "key");
        var rawType = PeekText(mapping, "type");
        var where = rawKey is { Length: > 0 } ? $"step '{rawKey}'" : "a step";
        var allowed = rawType switch
        {
            // retry is read on a filter only to say why it does not belong there (PF0130), not "unknown key".
            "filter" => [.. FilterStepKeys, "retry"],
            "enhancement" or "delivery" => IntegrationStepKeys,
            _ => AnyStepKeys,
        };
        var section = ReadSection(mapping, where, allowed);

        var keyNode = section.Required("key", where, "Give the step a key, e.g. key: phone_check; rules and templates read what it appends as phone_check.*.");
        var key = keyNode is null ? null : ReadStepKey(keyNode);
        var typeNode = section.Required("type", where, "Give the step a type: filter, enhancement or delivery.");
        var type = typeNode is null ? null : ReadText(typeNode, "type");
        if (type is not null && !StepTypes.Contains(type, StringComparer.Ordinal))
        {
            var nearest = Suggestions.Nearest(type, StepTypes);
            Report(typeNode!, FlowDiagnosticCodes.UnknownStepType, $"Unknown step type '{type}'.",
                nearest is null ? "A step type is filter, enhancement or delivery." : $"Did you mean '{nearest}'?");
            type = null;
        }

        return type switch
        {
            "filter" => ReadFilterStep(mapping, section, key, where),
            "enhancement" => ReadIntegrationStep(mapping, section, key, where, IntegrationKind.Enhancement),
            "delivery" => ReadIntegrationStep(mapping, section, key, where, IntegrationKind.Delivery),
            _ => null,
        };
    }

    private string? ReadStepKey(YamlNode node)
    {
        if (ReadText(node, "key") is not { } key)
        {
            return null;
        }

        if (VarsRoots.Contains(key, StringComparer.Ordinal))
        {
            Report(node, FlowDiagnosticCodes.ReservedStepKey, $"Step key '{key}' is reserved.",
                $"Paths starting with {string.Join(", ", VarsRoots)} mean the lead and its submission; name the step after what it does, e.g. {key}_check.");
            return null;
        }

        if (!IdPatterns.FieldId.IsMatch(key))
        {
            Report(node, FlowDiagnosticCodes.InvalidId, $"Step key '{key}' is not valid.", IdPatterns.StepKeyHint);
            return null;
        }

        if (_stepKeys.TryGetValue(key, out var first))
        {
            Report(node, FlowDiagnosticCodes.DuplicateStepKey, $"Step key '{key}' is used twice.",
                $"The first '{key}' is at line {first.Line}, column {first.Column}; each step appends under its own key, so step keys must be unique.");
            return null;
        }

        _stepKeys.Add(key, At(node));
        return key;
    }

    private FilterStepDefinition? ReadFilterStep(YamlMappingNode mapping, Section section, string? key, string where)
    {
        RuleSetDefinition? stopIf = null;
        if (section["stop_if"] is { } stopIfNode)
        {
            stopIf = ReadRuleSet(stopIfNode, "stop_if");
            if (stopIf is { Rules.Count: 0 })
            {
                Report(stopIfNode, FlowDiagnosticCodes.FilterWithoutRules, $"Filter {where} has no rules in stop_if, so it would never stop a lead.",
                    "Add the rules that stop a lead, e.g. stop_if: { op: or, rules: [ { lhv: lead.email, op: format is invalid } ] }.");
            }
        }
        else if (!section.WasSuggested("stop_if"))
        {
            Report(mapping, FlowDiagnosticCodes.FilterWithoutRules, $"Filter {where} has no stop_if rules, so it would never stop a lead.",
                "Add the rules that stop a lead, e.g. stop_if: { op: or, rules: [ { lhv: lead.email, op: format is invalid } ] }.");
        }

        var outcome = Outcome.Failure;
        if (section["outcome"] is { } outcomeNode && ReadChoice(outcomeNode, "outcome", ["failure", "success"]) is { } outcomeText)
        {
            outcome = outcomeText == "success" ? Outcome.Success : Outcome.Failure;
        }

        var reason = section["reason"] is { } reasonNode ? ReadTemplate(reasonNode, "reason") : null;
        if (section.KeyOf("retry") is { } retryKey)
        {
            Report(retryKey, FlowDiagnosticCodes.RetryOnFilterStep, $"Filter {where} cannot retry: a filter calls no integration.",
                "Remove retry here; put it on the enhancement or delivery step whose error outcome should be retried.");
        }

        if (key is null || stopIf is null)
        {
            return null;
        }

        return new FilterStepDefinition { Key = key, StopIf = stopIf, Outcome = outcome, Reason = reason, Location = At(mapping) };
    }

    private IntegrationStepDefinition? ReadIntegrationStep(YamlMappingNode mapping, Section section, string? key, string where, IntegrationKind kind)
    {
        var integrationNode = section.Required("integration", where, "Name the integration the step calls, e.g. integration: phone.verify.");
        var integration = integrationNode is null ? null : ReadText(integrationNode, "integration");
        var when = section["when"] is { } whenNode ? ReadRuleSet(whenNode, "when") : null;
        var inputs = section["inputs"] is { } inputsNode ? ReadInputs(inputsNode) : [];
        var credentials = section["credentials"] is { } credentialsNode ? ReadCredentials(credentialsNode) : [];

        var onFailure = OnFailure.Continue;
        if (section["on_failure"] is { } onFailureNode && ReadChoice(onFailureNode, "on_failure", ["continue", "stop"]) is { } onFailureText)
        {
            onFailure = onFailureText == "stop" ? OnFailure.Stop : OnFailure.Continue;
        }

        var timeout = section["timeout"] is { } timeoutNode ? ReadTimeout(timeoutNode) : null;
        var retry = section["retry"] is { } retryNode ? ReadRetry(retryNode) : null;
        if (retry is not null && onFailure == OnFailure.Stop && section.KeyOf("retry") is { } retryKey)
        {
            // The lead would stop on the first attempt's error and its source be told so, while a retry could still
            // succeed later: the two promises contradict each other.
            Report(retryKey, FlowDiagnosticCodes.RetryWithStop, $"Step '{key}' has both retry and on_failure: stop.",
                "Choose one: retry the step off the request path (the lead goes on), or stop the lead when the step fails (no retry).");
        }

        if (integration is not null)
        {
            CheckIntegration(integrationNode!, integration, key ?? "?", kind, section, inputs.Keys, credentials.Keys);
        }

        if (key is null || integration is null)
        {
            return null;
        }

        return new IntegrationStepDefinition
        {
            Key = key,
            Kind = kind,
            Integration = integration,
            When = when,
            Inputs = inputs.Where(pair => pair.Value.Text is not null)
                .ToDictionary(pair => pair.Key, pair => pair.Value.Text!, StringComparer.Ordinal),
            ConditionalInputs = inputs.Where(pair => pair.Value.Alternatives is not null)
                .ToDictionary(pair => pair.Key, pair => (IReadOnlyList<InputAlternative>)pair.Value.Alternatives!, StringComparer.Ordinal),
            Credentials = credentials.ToDictionary(pair => pair.Key, pair => pair.Value.Secret, StringComparer.Ordinal),
            OnFailure = onFailure,
            Timeout = timeout,
            Retry = retry,
            Location = At(mapping),
        };
    }

    private Dictionary<string, (string? Text, List<InputAlternative>? Alternatives, YamlScalarNode NameNode)> ReadInputs(YamlNode node)
    {
        var result = new Dictionary<string, (string?, List<InputAlternative>?, YamlScalarNode)>(StringComparer.Ordinal);
        if (ExpectMapping(node, "inputs", "a mapping of input names to values, templates or lists of alternatives") is not { } mapping)
        {
            return result;
        }

        foreach (var (nameNode, valueNode) in mapping.Children)
        {
            if (ReadText(nameNode, "inputs") is not { } name)
            {
                continue;
            }

            switch (valueNode)
            {
                case YamlSequenceNode sequence:
                    result[name] = (null, ReadInputAlternatives(sequence, name), (YamlScalarNode)nameNode);
                    break;
                case YamlMappingNode fileMapping when HasKey(fileMapping, "template"):
                    if (ReadTemplateFile(fileMapping, name) is { } reference)
                    {
                        result[name] = (reference, null, (YamlScalarNode)nameNode);
                    }
                    else
                    {
                        result[name] = (null, null, (YamlScalarNode)nameNode);
                    }

                    break;
                case YamlMappingNode:
                    // Still counted as mapped: one mistake, one error (not "required input not mapped" on top).
                    result[name] = (null, null, (YamlScalarNode)nameNode);
                    Report(valueNode, FlowDiagnosticCodes.InvalidValue,
                        $"Input '{name}' must be text, a template or a list of alternatives, but found a mapping.",
                        $"Quote a template that starts with '{{{{': {name}: \"{{{{ lead.{name} }}}}\"; write alternatives as a list: - {{ value: ..., when: ... }}.");
                    break;
                default:
                    if (ReadTemplate(valueNode, name) is { } text)
                    {
                        result[name] = (text, null, (YamlScalarNode)nameNode);
                    }

                    break;
            }
        }

        return result;
    }

    private Dictionary<string, (SecretReference Secret, YamlScalarNode NameNode)> ReadCredentials(YamlNode node)
    {
        var result = new Dictionary<string, (SecretReference, YamlScalarNode)>(StringComparer.Ordinal);
        if (ExpectMapping(node, "credentials", "a mapping of credential names to { env: NAME } or { file: path }") is not { } mapping)
        {
            return result;
        }

        foreach (var (nameNode, valueNode) in mapping.Children)
        {
            if (ReadText(nameNode, "credentials") is { } name && ReadSecret(valueNode, name) is { } secret)
            {
                result[name] = (secret, (YamlScalarNode)nameNode);
            }
        }

        return result;
    }

    private void CheckIntegration(
        YamlNode integrationNode,
        string integration,
        string key,
        IntegrationKind kind,
        Section section,
        IEnumerable<string> inputNames,
        IEnumerable<string> credentialNames)
    {
        var descriptor = _options.ResolveIntegration(integration);
        if (descriptor is null)
        {
            var known = _options.KnownIntegrationIds.ToList();
            var nearest = Suggestions.Nearest(integration, known);
            Report(integrationNode, FlowDiagnosticCodes.UnknownIntegration, $"Unknown integration '{integration}'.",
                nearest is not null ? $"Did you mean '{nearest}'?"
                : known.Count is > 0 and <= 12 ? $"Known integrations: {string.Join(", ", known)}."
                : "No loaded plugin offers it; check the plugins folder (pflow plugin list).");
            return;
        }

        var type = TypeName(kind);
        if (descriptor.Kind != kind)
        {
            Report(integrationNode, FlowDiagnosticCodes.IntegrationKindMismatch,
                $"Integration '{integration}' is {WithArticle(TypeName(descriptor.Kind))} integration, but step '{key}' is {WithArticle(type)} step.",
                $"Use type: {TypeName(descriptor.Kind)} for this step, or choose {WithArticle(type)} integration.");
        }

        var inputsMapping = section["inputs"] as YamlMappingNode;
        var requestNames = descriptor.RequestVariables.Select(v => v.Name).Where(n => n != "*").ToList();
        // A request variable named "*" accepts inputs of any name (a delivery whose inputs are the recipient's columns).
        var anyName = descriptor.RequestVariables.Any(v => v.Name == "*");
        foreach (var nameNode in inputsMapping?.Children.Keys ?? [])
        {
            if (nameNode is YamlScalarNode { Value: { } name } && !anyName && inputNames.Contains(name) && !requestNames.Contains(name, StringComparer.Ordinal))
            {
                var nearest = Suggestions.Nearest(name, requestNames);
                Report(nameNode, FlowDiagnosticCodes.UnknownInput, $"Integration '{integration}' has no input '{name}'.",
                    nearest is not null ? $"Did you mean '{nearest}'?"
                    : requestNames.Count > 0 ? $"Its inputs are: {string.Join(", ", requestNames)}." : "It takes no inputs.");
            }
        }

        foreach (var variable in descriptor.RequestVariables.Where(v => v.Required && !inputNames.Contains(v.Name)))
        {
            Report(section.KeyOf("inputs") ?? (YamlNode)section.Node, FlowDiagnosticCodes.MissingRequiredInput,
                $"Step '{key}' does not map input '{variable.Name}', which integration '{integration}' requires.",
                $"Add '{variable.Name}:' under the step's inputs, e.g. {variable.Name}: \"{{{{ lead.{variable.Name} }}}}\".");
        }

        var credentialsMapping = section["credentials"] as YamlMappingNode;
        var declared = descriptor.Credentials.Select(c => c.Name).ToList();
        foreach (var nameNode in credentialsMapping?.Children.Keys ?? [])
        {
            if (nameNode is YamlScalarNode { Value: { } name } && credentialNames.Contains(name) && !declared.Contains(name, StringComparer.Ordinal))
            {
                var nearest = Suggestions.Nearest(name, declared);
                Report(nameNode, FlowDiagnosticCodes.UnknownCredential, $"Integration '{integration}' has no credential '{name}'.",
                    nearest is not null ? $"Did you mean '{nearest}'?"
                    : declared.Count > 0 ? $"Its credentials are: {string.Join(", ", declared)}." : "It takes no credentials; remove them.");
            }
        }

        if (descriptor.Class == IntegrationClass.AddOn)
        {
            if (credentialsMapping is { Children.Count: > 0 })
            {
                Report(section.KeyOf("credentials") ?? (YamlNode)section.Node, FlowDiagnosticCodes.AddOnCredentialsMapped,
                    $"Step '{key}' maps credentials, but '{integration}' is an add-on: it runs on the host's own account.",
                    "Remove the credentials block; the operator configures add-on accounts once for the host (see docs/operations.md).");
            }

            return;
        }

        foreach (var credential in descriptor.Credentials.Where(c => c.Required && !credentialNames.Contains(c.Name)))
        {
            Report(section.KeyOf("credentials") ?? (YamlNode)section.Node, FlowDiagnosticCodes.MissingCredential,
                $"Step '{key}' does not map credential '{credential.Name}', which BYOC integration '{integration}' requires.",
                $"Add credentials: {{ {credential.Name}: {{ env: NAME }} }} (or {{ file: path }}) to the step.");
        }
    }

    private TimeSpan? ReadTimeout(YamlNode node) => ReadDuration(node, "timeout");

    /// <summary>Reads <c>retry: 5</c> or <c>retry: { attempts, backoff, max_backoff }</c>.</summary>
    private RetryPolicy? ReadRetry(YamlNode node)
    {
        if (node is YamlScalarNode scalar && !IsNull(scalar))
        {
            return ReadAttempts(node, "retry") is { } count
                ? new RetryPolicy(count, RetryPolicy.DefaultBackoff, RetryPolicy.DefaultMaxBackoff)
                : null;
        }

        if (ExpectMapping(node, "retry", "a number of attempts (retry: 5) or a mapping { attempts, backoff, max_backoff }") is not { } mapping)
        {
            return null;
        }

        var section = ReadSection(mapping, "'retry'", RetryKeys);
        var attemptsNode = section.Required("attempts", "'retry'",
            "Say how many attempts in all, the first included, e.g. retry: { attempts: 5, backoff: 30s }.");
        var attempts = attemptsNode is null ? null : ReadAttempts(attemptsNode, "attempts");
        var backoffNode = section["backoff"];
        var backoff = backoffNode is null ? RetryPolicy.DefaultBackoff : ReadRetryDelay(backoffNode, "backoff");
        if (backoff < RetryPolicy.MinBackoff)
        {
            Report(backoffNode!, FlowDiagnosticCodes.RetryOutOfRange, $"'backoff' must be at least 1s, but found '{Text(backoffNode!)}'.",
                "Retries wait at least a second, so a struggling recipient gets time to recover; write backoff: 1s or more.");
            backoff = null;
        }

        var maxBackoffNode = section["max_backoff"];
        var maxBackoff = maxBackoffNode is null
            ? (backoff > RetryPolicy.DefaultMaxBackoff ? backoff : RetryPolicy.DefaultMaxBackoff)
            : ReadRetryDelay(maxBackoffNode, "max_backoff");
        if (maxBackoffNode is not null && maxBackoff < backoff)
        {
            Report(maxBackoffNode, FlowDiagnosticCodes.RetryOutOfRange,
                $"'max_backoff' must be at least backoff ({Text(backoffNode!)}), but found '{Text(maxBackoffNode)}'.",
                "max_backoff caps the growing delay between attempts; make it at least backoff, or leave it out for 1h.");
            maxBackoff = null;
        }

        return attempts is { } a && backoff is { } b && maxBackoff is { } m ? new RetryPolicy(a, b, m) : null;
    }

    private int? ReadAttempts(YamlNode node, string key)
    {
        if (ReadText(node, key) is not { } text)
        {
            return null;
        }

        if (!long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var count))
        {
            Report(node, FlowDiagnosticCodes.InvalidValue, $"'{key}' must be a whole number of attempts, but found '{text}'.",
                key == "retry"
                    ? "Write the number of attempts, e.g. retry: 5, or a mapping: retry: { attempts: 5, backoff: 30s, max_backoff: 1h }."
                    : "Write the number of attempts in all, the first included, e.g. attempts: 5.");
            return null;
        }

        if (count is < RetryPolicy.MinAttempts or > RetryPolicy.MaxAttempts)
        {
            Report(node, FlowDiagnosticCodes.RetryOutOfRange,
                $"'{key}' must be {RetryPolicy.MinAttempts} to {RetryPolicy.MaxAttempts} attempts, but found {count}.",
                count < RetryPolicy.MinAttempts
                    ? $"Attempts count the first call too, so {count} would never retry; write 2 or more, or remove retry."
                    : $"Write at most {RetryPolicy.MaxAttempts}; for a longer outage raise backoff and max_backoff instead.");
            return null;
        }

        return (int)count;
    }

    private TimeSpan? ReadRetryDelay(YamlNode node, string key)
    {
        if (ReadDuration(node, key) is not { } delay)
        {
            return null;
        }

        if (delay > RetryPolicy.MaxDelay)
        {
            Report(node, FlowDiagnosticCodes.RetryOutOfRange, $"'{key}' must be at most 24h, but found '{Text(node)}'.",
                "A lead waits no more than a day between attempts; write 24h or less.");
            return null;
        }

        return delay;
    }

    /// <summary>Reads a duration: a whole number above zero and a unit, ms, s, m or h (500ms, 30s, 2m, 1h).</summary>
    private TimeSpan? ReadDuration(YamlNode node, string key)
    {
        if (ReadText(node, key) is not { } text)
        {
            return null;
        }

        var match = Duration.Match(text.Trim());
        // Parsed as an int of the unit, so 1000000h and the like are refused rather than overflowing TimeSpan.
        if (match.Success
            && int.TryParse(match.Groups["amount"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
            && amount > 0
            && (match.Groups["unit"].Value != "h" || amount <= 24 * 365))
        {
            return match.Groups["unit"].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                _ => TimeSpan.FromHours(amount),
            };
        }

        Report(node, FlowDiagnosticCodes.InvalidValue, $"'{key}' must be a duration such as 500ms, 10s, 2m or 1h, but found '{text}'.",
            "Write a whole number above zero followed by ms (milliseconds), s (seconds), m (minutes) or h (hours).");
        return null;
    }

    private static string? Text(YamlNode node) => (node as YamlScalarNode)?.Value?.Trim();

    private static string WithArticle(string type) => type.StartsWith('e') ? "an " + type : "a " + type;

    private static string TypeName(IntegrationKind kind) => kind == IntegrationKind.Enhancement ? "enhancement" : "delivery";
}
