using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PluggableFlows.Engine.Fields;
using PluggableFlows.Engine.Pipeline;
using PluggableFlows.Engine.Rules;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;

namespace PluggableFlows.Engine.Storage;

/// <summary>
/// The JSON a lead and its events are stored as: a lead's <c>vars</c> (its fields, secrets masked, and what is known
/// about its source, flow and submission) and each event's <c>data</c> (appended values, price, cost, rule trace and
/// HTTP transcript). Step data is not repeated in every event: the vars an event saw are the lead's vars plus the
/// steps recorded up to it, which is how <see cref="StoredLead"/> rebuilds them.
/// </summary>
public static class LeadJson
{
    /// <summary>Writer settings: compact, non-ASCII text kept readable.</summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The lead's own vars: fields, source, flow, submission and random.</summary>
    public static string Vars(LeadVars vars)
    {
        ArgumentNullException.ThrowIfNull(vars);
        return Write(vars, WriteVars);
    }

    /// <summary><see cref="Vars"/> as UTF-8, the way the store keeps it.</summary>
    public static byte[] VarsUtf8(LeadVars vars)
    {
        ArgumentNullException.ThrowIfNull(vars);
        return WriteUtf8(vars, WriteVars);
    }

    private static void WriteVars(Utf8JsonWriter writer, LeadVars vars)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("lead");
        foreach (var (id, field) in vars.Fields)
        {
            writer.WritePropertyName(id);
            WriteField(writer, field);
        }

        writer.WriteEndObject();
        writer.WriteStartObject("source");
        writer.WriteString("id", vars.Source.Id);
        writer.WriteString("name", vars.Source.Name);
        writer.WriteEndObject();
        writer.WriteStartObject("flow");
        writer.WriteString("id", vars.Flow.Id);
        writer.WriteString("name", vars.Flow.Name);
        writer.WriteString("version", vars.Flow.Version);
        writer.WriteEndObject();
        writer.WriteStartObject("submission");
        writer.WriteString("id", vars.Submission.Id);
        writer.WritePropertyName("timestamp");
        VarsJson.WriteValue(writer, vars.Submission.Timestamp);
        writer.WriteString("ip", vars.Submission.Ip);
        writer.WriteEndObject();
        writer.WriteNumber("random", vars.Random);
        writer.WriteEndObject();
    }

    /// <summary>One event's data: appended values, price, cost, rule trace and transcript.</summary>
    public static string EventData(LeadEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return Write((e.Appended, e.Price, e.Cost, e.Trace, (IReadOnlyList<HttpExchange>)e.Transcript), WriteEventData);
    }

    /// <summary>
    /// <paramref name="count"/> of a lead's events from <paramref name="start"/> as one row of <c>event_batches</c>
    /// (<see cref="EventBatches"/>): a JSON array with one object per event, its columns and its <c>data</c>
    /// (<see cref="EventData(LeadEvent)"/>). Members at their default (null, attempt 1, final) are left out.
    /// </summary>
    /// <param name="events">The lead's events.</param>
    /// <param name="start">The first to write.</param>
    /// <param name="count">How many.</param>
    /// <param name="pending">Steps with a retry pending: their events are not final.</param>
    internal static byte[] EventBatchUtf8(IReadOnlyList<LeadEvent> events, int start, int count, IReadOnlySet<string>? pending) =>
        WriteUtf8((events, start, count, pending), static (writer, batch) =>
        {
            writer.WriteStartArray();
            for (var i = batch.start; i < batch.start + batch.count; i++)
            {
                var e = batch.events[i];
                var final = !(batch.pending is not null && e.Kind == EventKind.Step && batch.pending.Contains(e.StepKey!));
                WriteBatchedEvent(writer, e.Timestamp, EventBatches.KindName(e.Kind), e.StepKey, e.Type, e.Integration, e.Plugin,
                    e.PluginVersion, e.Outcome, e.Reason, attempt: 1, final, e.Duration, e.ProviderWait);
                WriteEventData(writer, (e.Appended, e.Price, e.Cost, e.Trace, (IReadOnlyList<HttpExchange>)e.Transcript));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });

    /// <summary>A retry's attempt as a row of <c>event_batches</c> of its own: the same form as
    /// <see cref="EventBatchUtf8"/>, one event.</summary>
    internal static string RetryEventBatch(RetryAttempt attempt, string stepKey, string integrationId, bool final) =>
        Write((attempt, stepKey, integrationId, final), static (writer, a) =>
        {
            writer.WriteStartArray();
            WriteBatchedEvent(writer, a.attempt.Timestamp, EventBatches.KindName(EventKind.Step), a.stepKey, a.attempt.Type, a.integrationId,
                a.attempt.Plugin, a.attempt.PluginVersion, a.attempt.Outcome, a.attempt.Reason, a.attempt.Attempt, a.final, a.attempt.Duration,
                a.attempt.ProviderWait);
            WriteEventData(writer, (a.attempt.Appended, a.attempt.Price, a.attempt.Cost, null, a.attempt.Transcript));
            writer.WriteEndObject();
            writer.WriteEndArray();
        });

    // Opens the event's object and writes its columns up to "data", whose value the caller writes next.
    private static void WriteBatchedEvent(Utf8JsonWriter writer, DateTimeOffset time, string kind, string? stepKey, string type,
        string? integration, string? plugin, string? pluginVersion, Outcome outcome, string? reason, int attempt, bool final,
        TimeSpan duration, TimeSpan providerWait)
    {
        writer.WriteStartObject();
        writer.WriteNumber(EventBatches.TimeMs, time.ToUnixTimeMilliseconds());
        writer.WriteString(EventBatches.Kind, kind);
        WriteIfSet(writer, EventBatches.StepKey, stepKey);
        writer.WriteString(EventBatches.Type, type);
        WriteIfSet(writer, EventBatches.Integration, integration);
        WriteIfSet(writer, EventBatches.Plugin, plugin);
        WriteIfSet(writer, EventBatches.PluginVersion, pluginVersion);
        writer.WriteString(EventBatches.Outcome, OutcomeNames.Of(outcome));
        WriteIfSet(writer, EventBatches.Reason, reason);
        if (attempt != 1)
        {
            writer.WriteNumber(EventBatches.Attempt, attempt);
        }

        if (!final)
        {
            writer.WriteBoolean(EventBatches.Final, false);
        }

        writer.WriteNumber(EventBatches.DurationUs, duration.Ticks / TimeSpan.TicksPerMicrosecond);
        writer.WriteNumber(EventBatches.ProviderWaitUs, providerWait.Ticks / TimeSpan.TicksPerMicrosecond);
        writer.WritePropertyName(EventBatches.Data);
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteEventData(Utf8JsonWriter writer,
        (IReadOnlyDictionary<string, object?> appended, decimal? price, decimal? cost, RuleTrace? trace, IReadOnlyList<HttpExchange> transcript) e)
    {
        writer.WriteStartObject();
        // Most events (acceptance, filters, the submission) append nothing: an empty "appended" is not stored, and
        // TimelineJson shows it again.
        if (e.appended.Count > 0)
        {
            writer.WritePropertyName("appended");
            VarsJson.WriteValue(writer, e.appended);
        }

        if (e.price is { } price)
        {
            writer.WriteNumber("price", price);
        }

        if (e.cost is { } cost)
        {
            writer.WriteNumber("cost", cost);
        }

        if (e.trace is { } trace)
        {
            WriteTrace(writer, trace);
        }

        if (e.transcript.Count > 0)
        {
            WriteTranscript(writer, e.transcript);
        }

        writer.WriteEndObject();
    }

    /// <summary>A field as stored and shown: its <see cref="FieldValueJson"/> form, or for a secret type only the
    /// type, the masked value and whether it was valid.</summary>
    public static void WriteField(Utf8JsonWriter writer, FieldValue field)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(field);
        if (!VarsJson.IsSecretType(field.Type))
        {
            FieldValueJson.Write(writer, field);
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("type", field.Type);
        writer.WriteString("normal", VarsJson.Mask(field));
        writer.WriteBoolean("valid", field.Valid);
        writer.WriteEndObject();
    }

    private static void WriteTrace(Utf8JsonWriter writer, RuleTrace trace)
    {
        // A top-level rule (depth 0) and a side with nothing to show (null) are stored without the member; every event
        // of every lead has them, and TimelineJson.WriteTraceEntry writes them back in full.
        writer.WriteStartArray("trace");
        foreach (var entry in trace.Entries)
        {
            writer.WriteStartObject();
            if (entry.Depth != 0)
            {
                writer.WriteNumber("depth", entry.Depth);
            }

            writer.WriteString("lhv", entry.Lhv);
            writer.WriteString("op", entry.Operator);
            WriteUnlessNull(writer, "rhv", entry.Rhv);
            WriteUnlessNull(writer, "resolved_lhv", entry.ResolvedLhv);
            WriteUnlessNull(writer, "resolved_rhv", entry.ResolvedRhv);
            writer.WriteBoolean("result", entry.Result);
            if (entry.Error is not null)
            {
                writer.WriteString("error", entry.Error);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteUnlessNull(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteTranscript(Utf8JsonWriter writer, IReadOnlyList<HttpExchange> transcript)
    {
        writer.WriteStartArray("transcript");
        foreach (var exchange in transcript)
        {
            writer.WriteStartObject();
            writer.WriteString("method", exchange.Method);
            writer.WriteString("url", exchange.Url);
            WriteHeaders(writer, "request_headers", exchange.RequestHeaders);
            writer.WriteString("request_body", exchange.RequestBody);
            if (exchange.Status is { } status)
            {
                writer.WriteNumber("status", status);
            }
            else
            {
                writer.WriteNull("status");
            }

            WriteHeaders(writer, "response_headers", exchange.ResponseHeaders);
            writer.WriteString("response_body", exchange.ResponseBody);
            writer.WriteNumber("duration_ms", Math.Round(exchange.Duration.TotalMilliseconds, 3));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteHeaders(Utf8JsonWriter writer, string name, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        // An array of [name, value] pairs: HTTP headers repeat, and their order matters to some recipients.
        writer.WriteStartArray(name);
        foreach (var (header, value) in headers)
        {
            writer.WriteStartArray();
            writer.WriteStringValue(header);
            writer.WriteStringValue(value);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    private static string Write<T>(T state, Action<Utf8JsonWriter, T> write) => Encoding.UTF8.GetString(WriteToBuffer(state, write));

    private static byte[] WriteUtf8<T>(T state, Action<Utf8JsonWriter, T> write) => WriteToBuffer(state, write).ToArray();

    private static ReadOnlySpan<byte> WriteToBuffer<T>(T state, Action<Utf8JsonWriter, T> write)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer, state);
        }

        return buffer.WrittenSpan;
    }
}
