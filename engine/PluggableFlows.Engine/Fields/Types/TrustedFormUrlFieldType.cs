using System.Text.RegularExpressions;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Fields;

/// <summary>
/// A TrustedForm certificate URL, <c>https://cert.trustedform.com/&lt;40 hex digits&gt;</c> (also http, and
/// the <c>ping.trustedform.com</c> ping URL); component <c>cert_id</c> is the certificate id in lower case.
/// </summary>
internal sealed partial class TrustedFormUrlFieldType : IFieldType
{
    private const int MaxLength = 2048;
    private static readonly string[] Keys = ["cert_id"];

    public string Name => "trustedform_url";

    public IReadOnlyList<string> Components => Keys;

    public FieldValue Parse(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var text = raw.Trim();
        if (text.Length is 0 or > MaxLength)
        {
            return FieldValues.Invalid(Name, raw);
        }

        var match = CertificatePattern().Match(text);
        if (!match.Success)
        {
            return FieldValues.Invalid(Name, raw);
        }

        return new FieldValue(Name, raw, text, text, valid: true,
            new ComponentMap(Keys, [match.Groups["id"].Value.ToLowerInvariant()]));
    }

    [GeneratedRegex(@"^https?://(?:cert|ping)\.trustedform\.com/(?<id>[0-9a-f]{40})(?:[/?#]\S*)?$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CertificatePattern();
}
