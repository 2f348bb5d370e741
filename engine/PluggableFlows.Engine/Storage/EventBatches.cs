using System.Text.Json;
using PluggableFlows.Engine.Pipeline;

namespace PluggableFlows.Engine.Storage;

/// <summary>
/// How events are stored (schema 4): a lead's events from one run, or one retry's attempt, are one row of
/// <c>event_batches</c>, the events a JSON array (<see cref="LeadJson.EventBatchUtf8"/>). A lead of the sample flow has
/// nine events; as nine rows of <c>events</c> in three b-trees they were most of the lead log writer's work, and one row
/// cut the writer's CPU per lead by more than half (docs/performance.md, "Sixth session").
/// </summary>
/// <remarks>
/// An event keeps its own id, the paging cursor of <c>GET /events</c>: its batch's id × <see cref="EventsPerBatch"/> plus
/// its place in the batch, so ids still ascend in recording order. Events stored before schema 4 became batches of one
/// event each, their ids multiplied by <see cref="EventsPerBatch"/>.
/// </remarks>
internal static class EventBatches
{
    /// <summary>The most events in one batch; a lead with more is stored in several.</summary>
    public const int EventsPerBatch = 4096;

    /// <summary>The columns <see cref="Read"/> takes, in its order.</summary>
    public const string Columns = "id, lead_id, first_seq, flow_id, flow_version, source_id, events";

    // Member names of an event in the batch's array.
    internal const string TimeMs = "time_ms";
    internal const string Kind = "kind";
    internal const string StepKey = "step_key";
    internal const string Type = "type";
    internal const string Integration = "integration_id";
    internal const string Plugin = "plugin";
    internal const string PluginVersion = "plugin_version";
    internal const string Outcome = "outcome";
    internal const string Reason = "reason";
    internal const string Attempt = "attempt";
    internal const string Final = "final";
    internal const string DurationUs = "duration_us";
    internal const string ProviderWaitUs = "provider_wait_us";
    internal const string Data = "data";

    public static long EventId(long batchId, int position) => (batchId * EventsPerBatch) + position;

    /// <summary>The batch an event id is in.</summary>
    public static long BatchOf(long eventId) => eventId / EventsPerBatch;

    public static string KindName(EventKind kind) => kind switch
    {
        EventKind.Acceptance => "acceptance",
        EventKind.Step => "step",
        _ => "submission",
    };

    /// <summary>The events of one row selected as <see cref="Columns"/>, in order.</summary>
    public static List<StoredEvent> Read(Microsoft.Data.Sqlite.SqliteDataReader row)
    {
        var batchId = row.GetInt64(0);
        var leadId = row.GetString(1);
        var firstSeq = row.GetInt32(2);
        var flowId = row.GetString(3);
        var flowVersion = row.GetString(4);
        var sourceId = row.GetString(5);
        using var json = JsonDocument.Parse(row.GetString(6));
        var events = new List<StoredEvent>(json.RootElement.GetArrayLength());
        var position = 0;
        foreach (var e in json.RootElement.EnumerateArray())
        {
            events.Add(new StoredEvent(
                EventId(batchId, position), leadId, firstSeq + position,
                DateTimeOffset.FromUnixTimeMilliseconds(e.GetProperty(TimeMs).GetInt64()), flowId, flowVersion, sourceId,
                e.GetProperty(Kind).GetString()!, Text(e, StepKey), e.GetProperty(Type).GetString()!, Text(e, Integration),
                Text(e, Plugin), Text(e, PluginVersion), SqliteLeadQueries.ParseOutcome(e.GetProperty(Outcome).GetString()!), Text(e, Reason),
                e.TryGetProperty(Attempt, out var attempt) ? attempt.GetInt32() : 1,
                !e.TryGetProperty(Final, out var final) || final.GetBoolean(),
                SqliteLeadQueries.FromMicros(e.GetProperty(DurationUs).GetInt64()),
                SqliteLeadQueries.FromMicros(e.GetProperty(ProviderWaitUs).GetInt64()),
                e.GetProperty(Data).GetRawText()));
            position++;
        }

        return events;
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
