using System.Collections.Frozen;

namespace PluggableFlows.Plugins.Email;

/// <summary>The domain lists shipped inside the plugin (<c>Data/</c>), read once per load context.</summary>
internal static class DomainLists
{
    public static FrozenSet<string> Free { get; } = Load("free-email-domains.txt");

    public static FrozenSet<string> Disposable { get; } = Load("disposable-email-domains.txt");

    /// <summary>Whether <paramref name="domain"/> or a domain it is under (<c>x.mailinator.com</c>) is on <paramref name="list"/>.</summary>
    public static bool ContainsDomainOrParent(FrozenSet<string> list, string domain)
    {
        for (var rest = domain; rest.Length > 0;)
        {
            if (list.Contains(rest))
            {
                return true;
            }

            var dot = rest.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0)
            {
                return false;
            }

            rest = rest[(dot + 1)..];
        }

        return false;
    }

    private static FrozenSet<string> Load(string fileName)
    {
        using var stream = typeof(DomainLists).Assembly.GetManifestResourceStream("PluggableFlows.Plugins.Email.Data." + fileName)
            ?? throw new InvalidOperationException($"The email plugin is missing its embedded list Data/{fileName}.");
        using var reader = new StreamReader(stream);
        var domains = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var domain = line.Trim();
            if (domain.Length > 0 && domain[0] != '#')
            {
                domains.Add(domain.ToLowerInvariant());
            }
        }

        return domains.ToFrozenSet(StringComparer.Ordinal);
    }
}
