using System.Collections.Frozen;

namespace PluggableFlows.Plugins.Email;

/// <summary>
/// "Did you mean gmail.com?": a domain one or two keystrokes from a popular mailbox domain, or with a mistyped top-level
/// domain (<c>.con</c>, <c>.cmo</c>), gets a suggestion; a correctly spelled domain never does.
/// </summary>
internal static class DomainTypos
{
    // Most used first: on equal distance the more common domain wins (gmail.com over gmx.com).
    private static readonly string[] PopularDomains =
    [
        "gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "aol.com", "icloud.com", "comcast.net", "msn.com",
        "live.com", "att.net", "sbcglobal.net", "verizon.net", "bellsouth.net", "cox.net", "charter.net", "ymail.com",
        "me.com", "mac.com", "googlemail.com", "protonmail.com", "earthlink.net", "rocketmail.com", "juno.com",
        "optonline.net", "mail.com", "gmx.com", "yahoo.co.uk", "hotmail.co.uk", "btinternet.com", "yahoo.ca",
    ];

    // Top-level domains that do not exist but are one slip away from ones that do.
    private static readonly FrozenDictionary<string, string> TldTypos = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["con"] = "com", ["cmo"] = "com", ["ocm"] = "com", ["cpm"] = "com", ["vom"] = "com", ["xom"] = "com",
        ["comm"] = "com", ["coom"] = "com", ["colm"] = "com", ["cim"] = "com", ["clm"] = "com", ["conm"] = "com",
        ["nte"] = "net", ["ner"] = "net", ["nett"] = "net", ["bet"] = "net", ["nwt"] = "net",
        ["ogr"] = "org", ["orgg"] = "org", ["prg"] = "org", ["irg"] = "org",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The domain the writer probably meant, or null when <paramref name="domain"/> looks intended.</summary>
    public static string? Suggest(string domain)
    {
        if (domain.Length == 0 || DomainLists.Free.Contains(domain) || DomainLists.Disposable.Contains(domain))
        {
            return null;
        }

        // Short domains are close to many others (live.ca is two edits from live.com and is real): one edit only.
        var allowed = domain.Length >= 9 ? 2 : 1;
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var popular in PopularDomains)
        {
            var distance = Distance(domain, popular, allowed);
            if (distance > 0 && distance <= allowed && distance < bestDistance)
            {
                (best, bestDistance) = (popular, distance);
            }
        }

        if (best is not null)
        {
            return best;
        }

        var dot = domain.LastIndexOf('.');
        if (dot > 0 && TldTypos.TryGetValue(domain[(dot + 1)..], out var tld))
        {
            return domain[..(dot + 1)] + tld;
        }

        // "gmail" with no top-level domain at all.
        return dot < 0 ? PopularDomains.FirstOrDefault(p => p.StartsWith(domain + ".", StringComparison.Ordinal)) : null;
    }

    /// <summary>
    /// Optimal string alignment distance (Levenshtein plus swapping two neighbours, the commonest typing slip:
    /// gmial → gmail is one edit), giving up early once it exceeds <paramref name="limit"/>.
    /// </summary>
    internal static int Distance(string a, string b, int limit)
    {
        if (Math.Abs(a.Length - b.Length) > limit)
        {
            return limit + 1;
        }

        var previous2 = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowMinimum = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, previous2[j - 2] + 1);
                }

                current[j] = value;
                rowMinimum = Math.Min(rowMinimum, value);
            }

            if (rowMinimum > limit)
            {
                return limit + 1;
            }

            (previous2, previous, current) = (previous, current, previous2);
        }

        return previous[b.Length];
    }
}
