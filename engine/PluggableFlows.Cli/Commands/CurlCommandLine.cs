using System.Text;
using System.Text.Json;

namespace PluggableFlows.Cli.Commands;

/// <summary>
/// One recorded HTTP exchange as a curl command a person can paste into a POSIX shell to send the same request again.
/// Values are printed as the store holds them: a masked credential stays masked, so the command never leaks a secret.
/// </summary>
internal static class CurlCommandLine
{
    /// <summary>The command for an exchange from an event's <c>transcript</c> (method, url, request_headers, request_body).</summary>
    public static string From(JsonElement exchange)
    {
        var method = exchange.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "GET";
        var url = exchange.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString()! : "";
        var headers = new List<KeyValuePair<string, string>>();
        if (exchange.TryGetProperty("request_headers", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var pair in list.EnumerateArray())
            {
                if (pair.ValueKind == JsonValueKind.Array && pair.GetArrayLength() == 2)
                {
                    headers.Add(new(pair[0].GetString() ?? "", pair[1].GetString() ?? ""));
                }
            }
        }

        var body = exchange.TryGetProperty("request_body", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString() : null;
        return Build(method, url, headers, body);
    }

    /// <summary>The command for a request.</summary>
    public static string Build(string method, string url, IReadOnlyList<KeyValuePair<string, string>> headers, string? body)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(headers);
        var command = new StringBuilder("curl");
        if (method.Equals("HEAD", StringComparison.OrdinalIgnoreCase))
        {
            // -X HEAD would make curl wait for a body that never comes.
            command.Append(" --head");
        }
        else if (!method.Equals("GET", StringComparison.OrdinalIgnoreCase) || body is not null)
        {
            command.Append(" -X ").Append(ShellQuote.Posix(method));
        }

        command.Append(' ').Append(ShellQuote.Posix(url));
        foreach (var (name, value) in headers)
        {
            // curl computes Content-Length itself, and a masked body is not the length the original was.
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // "Name:" would tell curl to drop the header; "Name;" sends it empty.
            command.Append(" \\\n  -H ").Append(ShellQuote.Posix(value.Length == 0 ? $"{name};" : $"{name}: {value}"));
        }

        if (body is not null)
        {
            command.Append(" \\\n  --data-binary ").Append(ShellQuote.Posix(body));
        }

        return command.ToString();
    }
}

/// <summary>Quoting for POSIX shells: what a shell parses back to exactly the given text.</summary>
internal static class ShellQuote
{
    /// <summary>
    /// <paramref name="value"/> as one shell word: unquoted when it is only letters, digits and <c>_@%+=:,./-</c>; otherwise
    /// in single quotes, each <c>'</c> written as <c>'\''</c>. Text with control characters other than tab and newline is
    /// written as <c>$'…'</c> with <c>\xHH</c> escapes (POSIX.1-2024, bash, zsh, ksh) so that pasting the command never
    /// sends a raw escape sequence to the terminal it is printed on.
    /// </summary>
    public static string Posix(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > 0 && value.All(IsPlain))
        {
            return value;
        }

        if (value.Any(NeedsEscape))
        {
            return DollarQuoted(value);
        }

        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    private static bool IsPlain(char c) => char.IsAsciiLetterOrDigit(c) || "_@%+=:,./-".Contains(c, StringComparison.Ordinal);

    private static bool NeedsEscape(char c) => char.IsControl(c) && c != '\n' && c != '\t';

    private static string DollarQuoted(string value)
    {
        var quoted = new StringBuilder("$'");
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in value.EnumerateRunes())
        {
            if (rune.Value == '\\' || rune.Value == '\'')
            {
                quoted.Append('\\').Append((char)rune.Value);
            }
            else if (rune.IsBmp && NeedsEscape((char)rune.Value))
            {
                // \xHH is a byte: a C1 control is written as its UTF-8 bytes, which is what the body is sent as.
                var length = rune.EncodeToUtf8(utf8);
                foreach (var b in utf8[..length])
                {
                    quoted.Append("\\x").Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            else
            {
                quoted.Append(rune.ToString());
            }
        }

        return quoted.Append('\'').ToString();
    }
}
