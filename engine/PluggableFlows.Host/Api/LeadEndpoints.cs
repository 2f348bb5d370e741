using System.Globalization;
using System.Text.Json;
using PluggableFlows.Engine.Storage;
using PluggableFlows.Engine.Vars;
using PluggableFlows.Sdk;

namespace PluggableFlows.Host.Api;

/// <summary><c>GET /leads/{id}</c> (a lead's timeline) and <c>GET /events</c> (events filtered by flow, source, step,
/// outcome and time, newest first, paged with <c>before</c>).</summary>
internal static class LeadEndpoints
{
    public const string LeadRoute = "/leads/{leadId}";
    public const string EventsRoute = "/events";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(LeadRoute, GetLeadAsync).WithMetadata(ReadAccess.Required);
        app.MapGet(EventsRoute, GetEventsAsync).WithMetadata(ReadAccess.Required);
    }

    private static async Task GetLeadAsync(HttpContext context, string leadId, SqliteLeadQueries queries)
    {
        var lead = await queries.GetLeadAsync(leadId, context.RequestAborted);
        if (lead is null)
        {
            await ApiJson.WriteErrorAsync(context.Response, StatusCodes.Status404NotFound, $"No lead '{leadId}' is recorded here.", context.RequestAborted);
            return;
        }

        await ApiJson.WriteAsync(context.Response, StatusCodes.Status200OK, writer => TimelineJson.WriteLead(writer, lead), context.RequestAborted);
    }

    private static async Task GetEventsAsync(HttpContext context, SqliteLeadQueries queries)
    {
        var query = context.Request.Query;
        var problems = new List<string>();
        var filter = new EventQuery
        {
            FlowId = Text(query, "flow"),
            SourceId = Text(query, "source"),
            StepKey = Text(query, "step"),
            Outcome = Text(query, "outcome") is { } outcome
                ? OutcomeNames.TryParse(outcome, out var parsed) ? parsed : Problem<Outcome?>(problems, $"outcome must be success, failure, error or skip, not '{outcome}'.")
                : null,
            From = Time(query, "from", problems),
            To = Time(query, "to", problems),
            Limit = Number(query, "limit", 100, 1, SqliteLeadQueries.MaxPageSize, problems),
            Before = Text(query, "before") is { } before
                ? long.TryParse(before, NumberStyles.None, CultureInfo.InvariantCulture, out var cursor) ? cursor : Problem<long?>(problems, $"before must be the 'next' of a previous page, not '{before}'.")
                : null,
        };
        if (problems.Count > 0)
        {
            await ApiJson.WriteErrorAsync(context.Response, StatusCodes.Status400BadRequest, string.Join(" ", problems), context.RequestAborted);
            return;
        }

        var page = await queries.GetEventsAsync(filter, context.RequestAborted);
        await ApiJson.WriteAsync(context.Response, StatusCodes.Status200OK, writer => TimelineJson.WritePage(writer, page), context.RequestAborted);
    }

    private static string? Text(IQueryCollection query, string name) => query[name].ToString() is { Length: > 0 } text ? text : null;

    private static DateTimeOffset? Time(IQueryCollection query, string name, List<string> problems)
    {
        var text = Text(query, name);
        return TimeBound.TryParse(text, endOfDay: name == "to", out var bound)
            ? bound
            : Problem<DateTimeOffset?>(problems, $"{name} must be {TimeBound.Expected}, not '{text}'.");
    }

    private static int Number(IQueryCollection query, string name, int fallback, int min, int max, List<string> problems)
    {
        if (Text(query, name) is not { } text)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : Problem<int>(problems, $"{name} must be a whole number from {min} to {max}, not '{text}'.");
    }

    private static T Problem<T>(List<string> problems, string problem)
    {
        problems.Add(problem);
        return default!;
    }
}
