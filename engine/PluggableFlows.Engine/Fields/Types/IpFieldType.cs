using System.Net;
using System.Net.Sockets;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Fields;

/// <summary>
/// An IPv4 address in dotted-quad form or an IPv6 address; normal is the address's standard text.
/// <see cref="IPAddress.TryParse(string?, out IPAddress?)"/> also takes "1", "1.2" and octal parts, which no
/// lead form means, so IPv4 is read here as exactly four decimal parts.
/// </summary>
internal sealed class IpFieldType : IFieldType
{
    private const int MaxLength = 64;
    private static readonly string[] Keys = ["is_ipv4", "is_ipv6"];

    public string Name => "ip";

    public IReadOnlyList<string> Components => Keys;

    public FieldValue Parse(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var text = raw.AsSpan().Trim();
        if (text.Length is < 2 or > MaxLength)
        {
            return FieldValues.Invalid(Name, raw);
        }

        IPAddress? address;
        if (text.Contains(':'))
        {
            if (!IPAddress.TryParse(text, out address) || address.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return FieldValues.Invalid(Name, raw);
            }
        }
        else if (!TryParseDottedQuad(text, out address))
        {
            return FieldValues.Invalid(Name, raw);
        }

        var v4 = address.AddressFamily == AddressFamily.InterNetwork;
        var normal = address.ToString();
        return new FieldValue(Name, raw, normal, normal, valid: true,
            new ComponentMap(Keys, [FieldValues.Box(v4), FieldValues.Box(!v4)]));
    }

    private static bool TryParseDottedQuad(ReadOnlySpan<char> text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        Span<byte> bytes = stackalloc byte[4];
        var part = 0;
        var value = 0;
        var digits = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                value = (value * 10) + (c - '0');
                if (++digits > 3 || value > 255)
                {
                    return false;
                }
            }
            else if (c == '.' && digits > 0 && part < 3)
            {
                bytes[part++] = (byte)value;
                value = 0;
                digits = 0;
            }
            else
            {
                return false;
            }
        }

        if (part != 3 || digits == 0)
        {
            return false;
        }

        bytes[3] = (byte)value;
        address = new IPAddress(bytes);
        return true;
    }
}
