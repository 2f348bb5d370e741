using System.Text.Encodings.Web;
using System.Text.Json;
using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.Local;

/// <summary>
/// <c>file.jsonl</c>: appends the lead, as one JSON object per line, to a file. Every input but <c>path</c>
/// becomes a property, so the step's inputs are the file's columns.
/// </summary>
public sealed class JsonLinesDelivery : IHandlerIntegration, IConformanceSamples
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <inheritdoc />
    public IntegrationDescriptor Descriptor { get; } = new()
    {
        Id = "file.jsonl",
        Name = "JSON lines file",
        Kind = IntegrationKind.Delivery,
        Class = IntegrationClass.Byoc,
        RequestVariables =
        [
            new("path", "string", Required: true, "The file to append to; its folder is created when missing."),
            new("*", "string", Description: "Any other input becomes a property of the written object."),
        ],
        ResponseVariables = [new("path", "string", Description: "The file written.")],
    };

    /// <inheritdoc />
    public IReadOnlyList<ConformanceSample> Samples { get; } =
    [
        new()
        {
            Name = "a lead appended to a file",
            Inputs = new Dictionary<string, string>
            {
                ["path"] = Path.Combine(Path.GetTempPath(), "pflow-conformance", "file-jsonl-sample.jsonl"),
                ["email"] = "ada@example.com",
            },
            ExpectedOutcome = Outcome.Success,
        },
        new() { Name = "no path to write to", Inputs = new Dictionary<string, string> { ["email"] = "ada@example.com" }, ExpectedOutcome = Outcome.Error },
    ];

    /// <inheritdoc />
    public async Task<IntegrationResult> HandleAsync(IntegrationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Input.GetString("path");
        if (path is null)
        {
            return IntegrationResult.Error("No path to write to");
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var name in context.Input.Values.Keys.Where(k => k != "path").Order(StringComparer.Ordinal))
            {
                writer.WriteString(name, context.Input.GetString(name));
            }

            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        await Gate.WaitAsync(cancellationToken);
        try
        {
            if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder)
            {
                Directory.CreateDirectory(folder);
            }

            await using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
            buffer.Position = 0;
            await buffer.CopyToAsync(file, cancellationToken);
        }
        finally
        {
            Gate.Release();
        }

        return IntegrationResult.Success(new Dictionary<string, object?> { ["path"] = path });
    }
}
