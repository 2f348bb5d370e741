using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using System.Xml;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using PluggableFlows.Engine.Pipeline;

namespace PluggableFlows.Host.Intake;

/// <summary>
/// Reads a submission's fields from its query string and its body (JSON, form-urlencoded or XML), as the flat, dotted
/// field names a <see cref="LeadSubmission"/> carries (<see cref="LeadFields"/>). Anything it cannot read is a
/// <see cref="SubmissionRejectedException"/> naming what is wrong: 415 for a content type it does not read, 413 for a body
/// over the limit, 400 for a malformed one.
/// </summary>
internal static class SubmissionReader
{
    /// <summary>How deeply a JSON or XML body may nest.</summary>
    public const int MaxDepth = 64;

    private const string Supported = "application/json, application/x-www-form-urlencoded, application/xml or text/xml";
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = MaxDepth, AllowDuplicateProperties = false };

    private enum BodyFormat
    {
        None,
        Json,
        Form,
        Xml,
    }

    public static async Task<Dictionary<string, string?>> ReadAsync(HttpRequest request, long maxBodySize, CancellationToken cancellationToken)
    {
        var format = FormatOf(request);
        var body = await ReadBodyAsync(request, maxBodySize, cancellationToken);
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, values) in request.Query)
        {
            fields[name] = Join(values);
        }

        if (body.Length == 0)
        {
            return fields.Count > 0
                ? fields
                : throw new SubmissionRejectedException(StatusCodes.Status400BadRequest,
                    "The request has no lead: the body is empty and there are no query-string fields.");
        }

        if (format == BodyFormat.None)
        {
            throw new SubmissionRejectedException(StatusCodes.Status415UnsupportedMediaType,
                $"The body has no Content-Type; send it as {Supported}.");
        }

        var bytes = body.Span.StartsWith("\uFEFF"u8) ? body[3..] : body;
        if (!Utf8.IsValid(bytes.Span))
        {
            throw new SubmissionRejectedException(StatusCodes.Status400BadRequest, "The body is not valid UTF-8 text.");
        }

        // Body fields win over query-string fields of the same name.
        var read = format switch
        {
            BodyFormat.Json => ReadJson(bytes),
            BodyFormat.Form => ReadForm(bytes),
            _ => ReadXml(bytes),
        };
        foreach (var (name, value) in read)
        {
            fields[name] = value;
        }

        return fields;
    }

    private static BodyFormat FormatOf(HttpRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.ContentType))
        {
            // A body without a Content-Type cannot be read; refuse it before reading it (it may be large).
            return request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: true } && request.ContentLength is not 0
                ? throw new SubmissionRejectedException(StatusCodes.Status415UnsupportedMediaType,
                    $"The body has no Content-Type; send it as {Supported}.")
                : BodyFormat.None;
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var media))
        {
            throw new SubmissionRejectedException(StatusCodes.Status415UnsupportedMediaType,
                $"The Content-Type '{request.ContentType}' cannot be read; send the body as {Supported}.");
        }

        var type = media.MediaType.Value?.ToLowerInvariant();
        var format = type switch
        {
            "application/json" or "text/json" => BodyFormat.Json,
            "application/x-www-form-urlencoded" => BodyFormat.Form,
            "application/xml" or "text/xml" => BodyFormat.Xml,
            _ when type is not null && type.StartsWith("application/", StringComparison.Ordinal) && type.EndsWith("+json", StringComparison.Ordinal) => BodyFormat.Json,
            _ => throw new SubmissionRejectedException(StatusCodes.Status415UnsupportedMediaType,
                $"Content-Type '{media.MediaType}' is not supported; send the body as {Supported}."),
        };
        var charset = media.Charset.Value;
        if (!string.IsNullOrEmpty(charset) && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            throw new SubmissionRejectedException(StatusCodes.Status415UnsupportedMediaType,
                $"charset '{charset}' is not supported; send the body as UTF-8.");
        }

        return format;
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        // A body of known length is read into one array of that length plus the byte that finds its end.
        var buffer = new ArrayBufferWriter<byte>((int)Math.Clamp((request.ContentLength ?? 4096) + 1, 256, Math.Min(limit + 1, 1 << 20)));
        while (true)
        {
            int read;
            try
            {
                var expected = request.ContentLength is { } length ? length - buffer.WrittenCount : 8192;
                read = await request.Body.ReadAsync(buffer.GetMemory((int)Math.Clamp(expected, 1, 8192)), cancellationToken);
            }
            catch (BadHttpRequestException exception)
            {
                // Kestrel enforces the same limit on bodies whose length it only learns while reading (chunked).
                throw exception.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? TooLarge(limit)
                    : new SubmissionRejectedException(exception.StatusCode, $"The request body could not be read: {exception.Message}", exception);
            }

            if (read == 0)
            {
                return buffer.WrittenMemory;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
            {
                throw TooLarge(limit);
            }
        }
    }

    private static SubmissionRejectedException TooLarge(long limit) =>
        new(StatusCodes.Status413PayloadTooLarge, $"The body is larger than {limit} bytes, the most this server accepts.");

    private static Dictionary<string, string?> ReadJson(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body, JsonOptions);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? LeadFields.FromJson(document.RootElement)
                : throw new SubmissionRejectedException(StatusCodes.Status400BadRequest,
                    $"The body must be one JSON object (the lead's fields), not {LeadFields.KindName(document.RootElement.ValueKind)}.");
        }
        catch (JsonException exception)
        {
            throw new SubmissionRejectedException(StatusCodes.Status400BadRequest, $"Malformed JSON{Position(exception)}: {Describe(exception)}", exception);
        }
    }

    private static string Position(JsonException exception) =>
        exception.LineNumber is { } line ? $" at line {line + 1}, byte {(exception.BytePositionInLine ?? 0) + 1}" : "";

    // System.Text.Json appends the path and position to its messages; the position is reported on its own.
    private static string Describe(JsonException exception)
    {
        var message = exception.Message;
        foreach (var marker in (string[])[" Path: ", " LineNumber: "])
        {
            var at = message.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                message = message[..at];
            }
        }

        return message.Trim();
    }

    private static Dictionary<string, string?> ReadForm(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var reader = new FormReader(StrictUtf8.GetString(body.Span));
            return reader.ReadForm().ToDictionary(pair => pair.Key, pair => Join(pair.Value), StringComparer.Ordinal);
        }
        catch (InvalidDataException exception)
        {
            throw new SubmissionRejectedException(StatusCodes.Status400BadRequest, $"Malformed form body: {exception.Message}", exception);
        }
    }

    // A repeated form or query-string name (checkboxes) gives comma-separated text, as a JSON array does.
    private static string? Join(StringValues values) => values.Count switch
    {
        0 => null,
        1 => values[0],
        _ => string.Join(",", values.ToArray()),
    };

    private static Dictionary<string, string?> ReadXml(ReadOnlyMemory<byte> body)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
        };
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        try
        {
            using var stream = new MemoryStream(body.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, settings);
            reader.MoveToContent();
            if (reader.IsEmptyElement)
            {
                reader.Read();
                ExpectEnd(reader);
                return fields;
            }

            // Below the root element (any name), each element is a field; nested ones are dotted names.
            var open = new List<XmlFieldFrame>();
            var inRoot = true;
            while (inRoot && reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        if (open.Count + 1 >= MaxDepth)
                        {
                            throw new SubmissionRejectedException(StatusCodes.Status400BadRequest,
                                $"The XML is nested deeper than {MaxDepth} levels.");
                        }

                        var parent = open.Count > 0 ? open[^1] : null;
                        parent?.HasChildren = true;
                        var name = LeadFields.Nested(parent?.Name, reader.LocalName);
                        if (reader.IsEmptyElement)
                        {
                            Add(fields, name, "");
                        }
                        else
                        {
                            open.Add(new XmlFieldFrame(name));
                        }

                        break;
                    case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace when open.Count > 0:
                        open[^1].Text.Append(reader.Value);
                        break;
                    case XmlNodeType.EndElement when open.Count == 0:
                        inRoot = false;
                        break;
                    case XmlNodeType.EndElement:
                        var closed = open[^1];
                        open.RemoveAt(open.Count - 1);
                        if (!closed.HasChildren)
                        {
                            Add(fields, closed.Name, closed.Text.ToString());
                        }

                        break;
                }
            }

            reader.Read();
            ExpectEnd(reader);
            return fields;
        }
        catch (XmlException exception)
        {
            throw new SubmissionRejectedException(StatusCodes.Status400BadRequest, $"Malformed XML: {exception.Message}", exception);
        }
    }

    // Reading to the end makes the reader check that nothing but comments and whitespace follows the root element.
    private static void ExpectEnd(XmlReader reader)
    {
        while (reader.Read())
        {
        }
    }

    // A repeated element gives comma-separated text, as a JSON array does.
    private static void Add(Dictionary<string, string?> fields, string name, string value) =>
        fields[name] = fields.TryGetValue(name, out var earlier) && earlier is not null ? $"{earlier},{value}" : value;

    private sealed class XmlFieldFrame(string name)
    {
        public string Name { get; } = name;

        public StringBuilder Text { get; } = new();

        public bool HasChildren { get; set; }
    }
}
