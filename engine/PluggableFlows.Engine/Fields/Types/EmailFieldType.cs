using System.Collections.Frozen;
using System.Reflection;
using System.Text.RegularExpressions;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Fields;

/// <summary>
/// An email address, trimmed and lower-cased, with its parts and whether the domain is a free mailbox
/// provider or a disposable (throw-away) one. The domain lists ship with the engine (<c>Fields/Data</c>).
/// </summary>
internal sealed partial class EmailFieldType : IFieldType
{
    private const int MaxLength = 254;
    private static readonly string[] Keys = ["user", "domain", "host", "tld", "is_free", "is_disposable"];
    private static readonly FrozenSet<string> FreeDomains = LoadDomains("free-email-domains.txt");
    private static readonly FrozenSet<string> DisposableDomains = LoadDomains("disposable-email-domains.txt");

    public string Name => "email";

    public IReadOnlyList<string> Components => Keys;

    public FieldValue Parse(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var trimmed = raw.AsSpan().Trim();
        if (trimmed.Length is < 3 or > MaxLength)
        {
            return FieldValues.Invalid(Name, raw);
        }

        var address = trimmed.ToString().ToLowerInvariant();
        if (!AddressPattern().IsMatch(address))
        {
            return FieldValues.Invalid(Name, raw);
        }

        var at = address.LastIndexOf('@');
        var domain = address[(at + 1)..];
        var dot = domain.LastIndexOf('.');
        return new FieldValue(Name, raw, address, address, valid: true, new ComponentMap(Keys,
        [
            address[..at], domain, domain[..dot], domain[(dot + 1)..],
            FieldValues.Box(FreeDomains.Contains(domain)), FieldValues.Box(DisposableDomains.Contains(domain)),
        ]));
    }

    internal static FrozenSet<string> LoadDomains(string fileName)
    {
        var assembly = typeof(EmailFieldType).Assembly;
        using var stream = assembly.GetManifestResourceStream("PluggableFlows.Engine.Fields.Data." + fileName)
            ?? throw new InvalidOperationException($"The engine is missing its embedded resource Fields/Data/{fileName}.");
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

    // A practical address: dot-atom local part (no leading, trailing or doubled dots) and a DNS domain whose
    // last label is alphabetic. Quoted local parts and IP-literal domains are legal but never seen in leads.
    [GeneratedRegex(
        @"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
        RegexOptions.CultureInvariant)]
    private static partial Regex AddressPattern();
}
