using System.Diagnostics;
using PluggableFlows.Cli.Commands;

namespace PluggableFlows.Cli.Tests;

/// <summary>The quoting behind <c>pflow events show --curl</c>: a POSIX shell must parse each word back to the same text.</summary>
public class ShellQuoteTests
{
    [Theory]
    [InlineData("POST", "POST")]
    [InlineData("https://crm.example.com/leads", "https://crm.example.com/leads")]
    [InlineData("", "''")]
    [InlineData("a b", "'a b'")]
    [InlineData("https://x.example/?a=1&b=2", "'https://x.example/?a=1&b=2'")]
    [InlineData("O'Brien", "'O'\\''Brien'")]
    [InlineData("''", "''\\'''\\'''")]
    [InlineData("line one\nline two", "'line one\nline two'")]
    [InlineData("it's\nfine", "'it'\\''s\nfine'")]
    [InlineData("$HOME `id` $(id) \\n \"q\" !x *", "'$HOME `id` $(id) \\n \"q\" !x *'")]
    [InlineData("tab\there", "'tab\there'")]
    [InlineData("naïve — ✓", "'naïve — ✓'")]
    [InlineData("\u001b[2J", "$'\\x1b[2J'")]
    [InlineData("a\r\nb's\\", "$'a\\x0d\nb\\'s\\\\'")]
    [InlineData("c1\u0085", "$'c1\\xc2\\x85'")]
    public void Posix_quoting_writes_one_word_a_shell_reads_back_as_the_same_text(string value, string quoted)
    {
        ShellQuote.Posix(value).ShouldBe(quoted);
    }

    [Theory]
    [InlineData("O'Brien")]
    [InlineData("{\"name\":\"O'Brien\",\n \"note\": \"it's\"}\n")]
    [InlineData("''''")]
    [InlineData("$HOME `id` $(id) \\n \"q\" !x * ~ # ; | & < >")]
    [InlineData("tab\there, naïve — ✓")]
    [InlineData("")]
    public async Task A_posix_shell_parses_the_quoted_word_back_to_the_same_bytes(string value)
    {
        var (ok, output) = await ShellAsync("sh", $"printf %s {ShellQuote.Posix(value)}");
        if (ok is null)
        {
            return; // No sh on this machine: the table above still specifies the quoting.
        }

        ok.Value.ShouldBeTrue(output);
        output.ShouldBe(value);
    }

    [Theory]
    [InlineData("\u001b[2J")]
    [InlineData("a\r\nb's\\")]
    [InlineData("c1\u0085 and \u0007")]
    public async Task Dollar_quoted_words_with_control_characters_read_back_in_bash(string value)
    {
        var (ok, output) = await ShellAsync("bash", $"printf %s {ShellQuote.Posix(value)}");
        if (ok is null)
        {
            return; // No bash here.
        }

        ok.Value.ShouldBeTrue(output);
        output.ShouldBe(value);
    }

    [Fact]
    public void A_curl_command_carries_method_url_headers_and_body_and_leaves_masked_values_masked()
    {
        var command = CurlCommandLine.Build("POST", "https://crm.example.com/leads?a=1&b=2",
            [new("Authorization", "Bearer ***"), new("X-Empty", ""), new("Content-Length", "12")], "{\"n\":\"O'Brien\"}");

        command.ShouldBe("""
            curl -X POST 'https://crm.example.com/leads?a=1&b=2' \
              -H 'Authorization: Bearer ***' \
              -H 'X-Empty;' \
              --data-binary '{"n":"O'\''Brien"}'
            """);
    }

    [Fact]
    public void A_get_without_a_body_needs_no_method()
    {
        CurlCommandLine.Build("GET", "https://x.example/a", [], null).ShouldBe("curl https://x.example/a");
    }

    // (null, "") when the shell is not installed; otherwise whether it exited 0, and what it printed.
    private static async Task<(bool? Ok, string Output)> ShellAsync(string shell, string script)
    {
        var start = new ProcessStartInfo(shell) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.StandardOutputEncoding = System.Text.Encoding.UTF8;
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (null, "");
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode == 0, process.ExitCode == 0 ? await output : await error);
        }
    }
}
