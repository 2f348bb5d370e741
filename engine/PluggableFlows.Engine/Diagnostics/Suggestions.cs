namespace PluggableFlows.Engine.Diagnostics;

/// <summary>"Did you mean …?" for names a user mistyped: operators, field ids, step keys, types.</summary>
public static class Suggestions
{
    /// <summary>The candidate closest to <paramref name="found"/> by edit distance, or null when none is close.</summary>
    public static string? Nearest(string found, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(found);
        ArgumentNullException.ThrowIfNull(candidates);
        string? best = null;
        var bestDistance = int.MaxValue;
        var needle = found.Trim().ToLowerInvariant();
        foreach (var candidate in candidates)
        {
            var distance = Distance(needle, candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }

        // Past roughly half the word it is a different word, not a typo.
        return best is not null && bestDistance <= Math.Max(2, needle.Length / 2) ? best : null;
    }

    /// <summary>Levenshtein distance.</summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
