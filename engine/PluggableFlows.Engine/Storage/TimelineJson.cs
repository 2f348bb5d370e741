using System.Globalization;
using System.Text.Json;
using PluggableFlows.Engine.Vars;

namespace PluggableFlows.Engine.Storage;

/// <summary>
/// The JSON of a recorded lead's timeline (<c>GET /leads/{id}</c>, <c>pflow events show --json</c>) and of event pages
/// (<c>GET /events</c>). Each event of a timeline carries the vars it saw: the lead's own vars plus, under each step key,
/// the outcome, reason and appended values of the steps recorded up to and including it.
/// </summary>
public static class TimelineJson
{
    /// <summary>Writes the lead, its timings, final vars, events (each with its vars) and retries.</summary>
    public static void WriteLead(Utf8JsonWriter writer, StoredLead lead)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(lead);
        using var baseVars = JsonDocument.Parse(lead.VarsJson);
        var data = lead.Events.Select(e => JsonDocument.Parse(e.DataJson)).ToArray();
        try
        {
            writer.WriteStartObject();
            writer.WriteString("id", lead.Id);
            writer.WriteString("flow", lead.FlowId);
            writer.WriteString("flow_version", lead.FlowVersion);
            writer.WriteString("source", lead.SourceId);
            writer.WriteString("received_at", Instant(lead.Timestamp));
            writer.WriteString("outcome", OutcomeNames.Of(lead.Outcome));
            writer.WriteString("reason", lead.Reason);
            writer.WriteNumber("price", lead.Price);
            writer.WriteStartObject("timings");
            writer.WriteNumber("total_ms", Ms(lead.Duration));
            writer.WriteNumber("provider_wait_ms", Ms(lead.ProviderWait));
            writer.WriteNumber("engine_overhead_ms", Ms(lead.EngineOverhead));
            writer.WriteEndObject();
            writer.WritePropertyName("vars");
            WriteVars(writer, baseVars.RootElement, lead.Events, data, lead.Events.Count);
            writer.WriteStartArray("events");
            for (var i = 0; i < lead.Events.Count; i++)
            {
                writer.WriteStartObject();
                WriteEventFields(writer, lead.Events[i], data[i].RootElement, withLead: false);
                writer.WritePropertyName("vars");
                WriteVars(writer, baseVars.RootElement, lead.Events, data, i + 1);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("retries");
            foreach (var retry in lead.Retries)
            {
                writer.WriteStartObject();
                writer.WriteString("step", retry.StepKey);
                writer.WriteString("state", retry.State);
                writer.WriteNumber("attempts_made", retry.AttemptsMade);
                writer.WriteNumber("max_attempts", retry.MaxAttempts);
                if (retry.State == "pending")
                {
                    writer.WriteString("due_at", Instant(retry.Due));
                }

                writer.WriteString("last_reason", retry.LastReason);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        finally
        {
            foreach (var document in data)
            {
                document.Dispose();
            }
        }
    }

    /// <summary>Writes a page of events (without vars) and the cursor for the next.</summary>
    public static void WritePage(Utf8JsonWriter writer, EventPage page)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(page);
        writer.WriteStartObject();
        writer.WriteStartArray("events");
        foreach (var e in page.Events)
        {
            using var data = JsonDocument.Parse(e.DataJson);
            writer.WriteStartObject();
            WriteEventFields(writer, e, data.RootElement, withLead: true);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (page.Next is { } next)
        {
            writer.WriteString("next", next.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNull("next");
        }

        writer.WriteEndObject();
    }

    private static void WriteEventFields(Utf8JsonWriter writer, StoredEvent e, JsonElement data, bool withLead)
    {
        writer.WriteNumber("id", e.Id);
        if (withLead)
        {
            writer.WriteString("lead_id", e.LeadId);
            writer.WriteString("flow", e.FlowId);
            writer.WriteString("flow_version", e.FlowVersion);
            writer.WriteString("source", e.SourceId);
        }

        writer.WriteNumber("seq", e.Seq);
        writer.WriteString("kind", e.Kind);
        writer.WriteString("step", e.StepKey);
        writer.WriteString("type", e.Type);
        if (e.Integration is not null)
        {
            writer.WriteString("integration", e.Integration);
            writer.WriteString("plugin", e.Plugin);
            writer.WriteString("plugin_version", e.PluginVersion);
        }

        writer.WriteString("outcome", OutcomeNames.Of(e.Outcome));
        writer.WriteString("reason", e.Reason);
        writer.WriteNumber("attempt", e.Attempt);
        writer.WriteBoolean("final", e.Final);
        writer.WriteString("at", Instant(e.Timestamp));
        writer.WriteNumber("duration_ms", Ms(e.Duration));
        writer.WriteNumber("provider_wait_ms", Ms(e.ProviderWait));
        // The store leaves out an empty "appended" and a trace entry's default members (LeadJson); what is shown has them all.
        if (!data.TryGetProperty("appended", out _))
        {
            writer.WriteStartObject("appended");
            writer.WriteEndObject();
        }

        foreach (var property in data.EnumerateObject())
        {
            if (property.NameEquals("trace") && property.Value.ValueKind == JsonValueKind.Array)
            {
                writer.WriteStartArray("trace");
                foreach (var entry in property.Value.EnumerateArray())
                {
                    WriteTraceEntry(writer, entry);
                }

                writer.WriteEndArray();
            }
            else
            {
                property.WriteTo(writer);
            }
        }
    }

    private static void WriteTraceEntry(Utf8JsonWriter writer, JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            entry.WriteTo(writer);
            return;
        }

        writer.WriteStartObject();
        writer.WritePropertyName("depth");
        if (entry.TryGetProperty("depth", out var depth))
        {
            depth.WriteTo(writer);
        }
        else
        {
            writer.WriteNumberValue(0);
        }

        foreach (var name in (ReadOnlySpan<string>)["lhv", "op", "rhv", "resolved_lhv", "resolved_rhv", "result"])
        {
            writer.WritePropertyName(name);
            if (entry.TryGetProperty(name, out var value))
            {
                value.WriteTo(writer);
            }
            else
            {
                writer.WriteNullValue();
            }
        }

        if (entry.TryGetProperty("error", out var error))
        {
            writer.WritePropertyName("error");
            error.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    // The lead's own vars, then each step's latest outcome, reason and appended values among the first `count` events.
    private static void WriteVars(Utf8JsonWriter writer, JsonElement baseVars, IReadOnlyList<StoredEvent> events, JsonDocument[] data, int count)
    {
        var latest = new Dictionary<string, int>(StringComparer.Ordinal);
        var order = new List<string>();
        for (var i = 0; i < count; i++)
        {
            if (events[i].Kind == "step" && events[i].StepKey is { } key)
            {
                if (!latest.ContainsKey(key))
                {
                    order.Add(key);
                }

                latest[key] = i;
            }
        }

        writer.WriteStartObject();
        foreach (var property in baseVars.EnumerateObject())
        {
            property.WriteTo(writer);
        }

        foreach (var key in order)
        {
            var e = events[latest[key]];
            var stepData = data[latest[key]].RootElement;
            writer.WriteStartObject(key);
            writer.WriteString("outcome", OutcomeNames.Of(e.Outcome));
            writer.WriteString("reason", e.Reason);
            if (stepData.TryGetProperty("appended", out var appended) && appended.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in appended.EnumerateObject())
                {
                    property.WriteTo(writer);
                }
            }

            foreach (var name in (ReadOnlySpan<string>)["price", "cost"])
            {
                if (stepData.TryGetProperty(name, out var value))
                {
                    writer.WritePropertyName(name);
                    value.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static string Instant(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static double Ms(TimeSpan duration) => Math.Round(duration.TotalMilliseconds, 3);
}
