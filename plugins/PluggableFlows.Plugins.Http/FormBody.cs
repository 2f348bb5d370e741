using System.Text;

namespace PluggableFlows.Plugins.Http;

/// <summary>The body of <c>http.form</c>: each <c>form_field.&lt;name&gt;</c> input as one <c>name=value</c> pair.</summary>
internal static class FormBody
{
    /// <summary>
    /// <c>application/x-www-form-urlencoded</c> as browsers write it (and as .NET's FormUrlEncodedContent does): UTF-8,
    /// every reserved character percent-encoded, a space as <c>+</c>. Fields appear in input order.
    /// </summary>
    public static string Write(IReadOnlyList<(string Name, object? Value)> fields)
    {
        var body = new StringBuilder();
        foreach (var (name, value) in fields)
        {
            if (body.Length > 0)
            {
                body.Append('&');
            }

            body.Append(Encode(name)).Append('=').Append(Encode(InputText.Of(value)));
        }

        return body.ToString();
    }

    internal static string Encode(string text) => Uri.EscapeDataString(text).Replace("%20", "+", StringComparison.Ordinal);
}
