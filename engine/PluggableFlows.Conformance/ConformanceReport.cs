using System.Globalization;
using System.Text;

namespace PluggableFlows.Conformance;

/// <summary>How one conformance check came out.</summary>
public enum ConformanceStatus
{
    /// <summary>The integration does what the check expects.</summary>
    Passed,

    /// <summary>The integration has the defect the message names.</summary>
    Failed,

    /// <summary>The check does not apply (a handler that makes no HTTP call has no 5xx to map); the message says why.</summary>
    NotApplicable,
}

/// <summary>One named check and what it found.</summary>
/// <param name="Name">The stable check name, one of <see cref="ConformanceChecks.All"/> (<c>http-5xx</c>).</param>
/// <param name="Status">Passed, failed or not applicable.</param>
/// <param name="Message">What was checked, or the defect found, precisely enough to fix it
/// ("ParseResponse threw InvalidOperationException on a 503 response").</param>
public sealed record ConformanceCheck(string Name, ConformanceStatus Status, string Message)
{
    /// <summary>The check as one line: status, name and message.</summary>
    public override string ToString() => $"{Label(Status),-4} {Name}: {Message}";

    internal static string Label(ConformanceStatus status) => status switch
    {
        ConformanceStatus.Passed => "pass",
        ConformanceStatus.Failed => "FAIL",
        _ => "n/a",
    };
}

/// <summary>Every check run against one integration.</summary>
/// <param name="IntegrationId">The integration's descriptor id (its type name when the descriptor cannot be read).</param>
/// <param name="Checks">One result per check, in <see cref="ConformanceChecks.All"/> order.</param>
public sealed record ConformanceReport(string IntegrationId, IReadOnlyList<ConformanceCheck> Checks)
{
    /// <summary>True when no check failed.</summary>
    public bool Passed => Checks.All(check => check.Status != ConformanceStatus.Failed);

    /// <summary>The checks that failed.</summary>
    public IReadOnlyList<ConformanceCheck> Failures => Checks.Where(check => check.Status == ConformanceStatus.Failed).ToArray();

    /// <summary>The result of the check named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No check has that name.</exception>
    public ConformanceCheck this[string name] =>
        Checks.FirstOrDefault(check => string.Equals(check.Name, name, StringComparison.Ordinal))
        ?? throw new KeyNotFoundException($"No conformance check is named '{name}'. Checks: {string.Join(", ", ConformanceChecks.All)}.");

    /// <summary>The report as text: the integration, one line per check, and a summary line.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{IntegrationId}\n");
        foreach (var check in Checks)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {check}\n");
        }

        var failed = Failures.Count;
        text.Append(failed == 0 ? "  conformant\n" : string.Create(CultureInfo.InvariantCulture, $"  {failed} check(s) failed\n"));
        return text.ToString();
    }
}
