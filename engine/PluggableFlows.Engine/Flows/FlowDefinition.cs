using PluggableFlows.Engine.Diagnostics;
using PluggableFlows.Engine.Rules;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Flows;

/// <summary>A flow as written in its file, checked for shape and references but not yet compiled.</summary>
public sealed record FlowDefinition
{
    /// <summary>Flow id (used in URLs: <c>/flows/{id}/...</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Display name.</summary>
    public required string Name { get; init; }

    /// <summary>The file it was loaded from.</summary>
    public required string File { get; init; }

    /// <summary>Content hash of the file (<c>flow.version</c>).</summary>
    public required string Version { get; init; }

    /// <summary>Declared fields (standard ids take their catalog type; custom ones declare one).</summary>
    public IReadOnlyList<FieldDeclaration> Fields { get; init; } = [];

    /// <summary>Who may submit leads.</summary>
    public IReadOnlyList<SourceDefinition> Sources { get; init; } = [];

    /// <summary>Criteria every lead must meet, before any source criteria.</summary>
    public CriteriaDefinition? AcceptanceCriteria { get; init; }

    /// <summary>Steps, in the order they run.</summary>
    public IReadOnlyList<StepDefinition> Steps { get; init; } = [];

    /// <summary>Where the flow starts.</summary>
    public SourceLocation Location { get; init; }
}

/// <summary>A field the flow uses, with its type.</summary>
public sealed record FieldDeclaration(string Id, string Type, SourceLocation Location);

/// <summary>Where a secret comes from. Secrets never live in flow files: only an environment variable or a file.</summary>
/// <param name="Env">Environment variable name.</param>
/// <param name="File">Path of a file holding the secret (relative to the flow file's folder).</param>
/// <param name="Location">Where the reference is written.</param>
public sealed record SecretReference(string? Env, string? File, SourceLocation Location);

/// <summary>One source of leads.</summary>
public sealed record SourceDefinition
{
    /// <summary>Source id (<c>source.id</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Display name (<c>source.name</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The source's API key.</summary>
    public SecretReference? ApiKey { get; init; }

    /// <summary>Vendor field names to field ids, applied before parsing.</summary>
    public IReadOnlyDictionary<string, string> Mappings { get; init; } = new Dictionary<string, string>();

    /// <summary>Criteria for this source's leads, after the flow's.</summary>
    public CriteriaDefinition? AcceptanceCriteria { get; init; }

    /// <summary>Where the source is written.</summary>
    public SourceLocation Location { get; init; }
}

/// <summary>Acceptance criteria: a rule set that must pass, and the reason given when it does not.</summary>
public sealed record CriteriaDefinition(RuleSetDefinition RuleSet, string? Reason, SourceLocation Location);

/// <summary>What to do when an enhancement or delivery step does not succeed.</summary>
public enum OnFailure
{
    /// <summary>Carry on with the next step (the default, as in LeadConduit).</summary>
    Continue,

    /// <summary>Stop the lead with the step's outcome.</summary>
    Stop,
}

/// <summary>One step of a flow.</summary>
public abstract record StepDefinition
{
    /// <summary>The flow-unique step key; the namespace of what the step appends.</summary>
    public required string Key { get; init; }

    /// <summary>Where the step is written.</summary>
    public SourceLocation Location { get; init; }
}

/// <summary>Stops the lead when <see cref="StopIf"/> matches.</summary>
public sealed record FilterStepDefinition : StepDefinition
{
    /// <summary>The rules that stop the lead.</summary>
    public required RuleSetDefinition StopIf { get; init; }

    /// <summary>The lead's outcome when stopped: failure (default) or success.</summary>
    public Outcome Outcome { get; init; } = Outcome.Failure;

    /// <summary>The reason (may hold <c>{{ path }}</c> placeholders).</summary>
    public string? Reason { get; init; }
}

/// <summary>An enhancement or delivery: calls an integration and appends its result under the step key.</summary>
public sealed record IntegrationStepDefinition : StepDefinition
{
    /// <summary>Enhancement or delivery.</summary>
    public required IntegrationKind Kind { get; init; }

    /// <summary>The integration id (<c>phone.verify</c>).</summary>
    public required string Integration { get; init; }

    /// <summary>Rules that must pass for the step to run; otherwise it is skipped.</summary>
    public RuleSetDefinition? When { get; init; }

    /// <summary>Input name to template text; a lone <c>{{ path }}</c> passes the typed value.</summary>
    public IReadOnlyDictionary<string, string> Inputs { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Inputs written as a list of alternatives (<c>[{ value, when }, ...]</c>), by input name: the first alternative
    /// whose <c>when</c> passes, or that has none, gives the input; when none does, the input is not set. An input
    /// name is in <see cref="Inputs"/> or here, never both.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<InputAlternative>> ConditionalInputs { get; init; } =
        new Dictionary<string, IReadOnlyList<InputAlternative>>();

    /// <summary>Credential name to where it comes from.</summary>
    public IReadOnlyDictionary<string, SecretReference> Credentials { get; init; } = new Dictionary<string, SecretReference>();

    /// <summary>Continue (default) or stop when the outcome is not success.</summary>
    public OnFailure OnFailure { get; init; } = OnFailure.Continue;

    /// <summary>How long the integration may take; null for the host default.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>How an <c>error</c> outcome is retried off the request path; null when the step is not retried.</summary>
    public RetryPolicy? Retry { get; init; }
}

/// <summary>
/// How a step whose outcome is <c>error</c> is retried by the durable outbox: exponential backoff with jitter, the
/// delay before retry n being about <c>Backoff · 2^(n-1)</c>, capped at <see cref="MaxBackoff"/>.
/// </summary>
/// <param name="Attempts">Total attempts, the first included (2 to 50).</param>
/// <param name="Backoff">The base delay before the first retry (at least one second).</param>
/// <param name="MaxBackoff">The longest delay between two attempts (at least <paramref name="Backoff"/>).</param>
public sealed record RetryPolicy(int Attempts, TimeSpan Backoff, TimeSpan MaxBackoff)
{
    /// <summary>The fewest attempts a retry policy may have: one retry after the first call.</summary>
    public const int MinAttempts = 2;

    /// <summary>The most attempts a retry policy may have.</summary>
    public const int MaxAttempts = 50;

    /// <summary>The base delay when <c>backoff</c> is not written.</summary>
    public static readonly TimeSpan DefaultBackoff = TimeSpan.FromSeconds(30);

    /// <summary>The longest delay when <c>max_backoff</c> is not written (or <c>backoff</c>, when that is longer).</summary>
    public static readonly TimeSpan DefaultMaxBackoff = TimeSpan.FromHours(1);

    /// <summary>The shortest <c>backoff</c>.</summary>
    public static readonly TimeSpan MinBackoff = TimeSpan.FromSeconds(1);

    /// <summary>The longest <c>backoff</c> or <c>max_backoff</c>.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(1);
}

/// <summary>One alternative of a conditional input.</summary>
/// <param name="Value">The value: text, a template with <c>{{ path }}</c> placeholders, or a template file.</param>
/// <param name="When">The rules that must pass for this alternative to be chosen; null for the fallback.</param>
/// <param name="Location">Where the alternative is written.</param>
public sealed record InputAlternative(string Value, RuleSetDefinition? When, SourceLocation Location);
