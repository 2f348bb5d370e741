using System.Globalization;

namespace PluggableFlows.Engine.Storage;

/// <summary>
/// A bound of a time window as people write it (<c>pflow usage</c>, <c>pflow events list</c>, <c>GET /usage</c>,
/// <c>GET /events</c>): <c>yyyy-MM-dd</c> is a whole UTC day (as a start it starts the day, as an end it ends it: the
/// next midnight, exclusive), anything else an ISO-8601 instant (UTC unless it says otherwise).
/// </summary>
public static class TimeBound
{
    /// <summary>How to write one, for error messages.</summary>
    public const string Expected = "yyyy-MM-dd (a whole day, UTC) or an ISO-8601 instant such as 2025-05-01T08:00:00Z";

    /// <summary>Reads <paramref name="text"/>; blank is no bound (true, null). False when it is neither form.</summary>
    public static bool TryParse(string? text, bool endOfDay, out DateTimeOffset? bound)
    {
        bound = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var midnight = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            bound = endOfDay ? midnight.AddDays(1) : midnight;
            return true;
        }

        if (DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out var instant))
        {
            bound = instant;
            return true;
        }

        return false;
    }
}
