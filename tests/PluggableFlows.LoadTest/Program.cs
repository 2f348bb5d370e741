using System.Globalization;
using Microsoft.Data.Sqlite;

// Load-test tooling. One command:
//   report --store <pflow.db> [--since <unix ms>] [--until <unix ms>]
// prints how many leads the store recorded in that window and the 50th/90th/99th percentiles of their total time in
// the engine (leads.duration_us), the part spent waiting on providers (provider_wait_us) and the rest, the engine's
// own overhead (duration - provider wait), in milliseconds. The commit wait is not in duration_us: the lead's time is
// taken before it is queued for the group commit.
return args is ["report", .. var rest] ? Report(rest) : Usage();

static int Usage()
{
    Console.Error.WriteLine("usage: PluggableFlows.LoadTest report --store <pflow.db> [--since <unix ms>] [--until <unix ms>]");
    return 2;
}

static int Report(string[] args)
{
    string? store = null;
    long since = 0;
    long until = long.MaxValue;
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        switch (args[i])
        {
            case "--store": store = args[i + 1]; break;
            case "--since": since = long.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
            case "--until": until = long.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
            default: return Usage();
        }
    }

    if (store is null || args.Length % 2 != 0)
    {
        return Usage();
    }

    if (!File.Exists(store))
    {
        Console.Error.WriteLine($"No store at '{store}'.");
        return 1;
    }

    var totals = new List<long>();
    var waits = new List<long>();
    var overheads = new List<long>();
    var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
    long first = long.MaxValue, last = long.MinValue;
    using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = store, Mode = SqliteOpenMode.ReadOnly }.ToString()))
    {
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT duration_us, provider_wait_us, outcome, time_ms FROM leads WHERE time_ms >= $since AND time_ms < $until";
        command.Parameters.AddWithValue("$since", since);
        command.Parameters.AddWithValue("$until", until);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var total = reader.GetInt64(0);
            var wait = reader.GetInt64(1);
            totals.Add(total);
            waits.Add(wait);
            overheads.Add(total - wait);
            var outcome = reader.GetString(2);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            first = Math.Min(first, reader.GetInt64(3));
            last = Math.Max(last, reader.GetInt64(3));
        }
    }

    if (totals.Count == 0)
    {
        Console.WriteLine($"{store}: no leads recorded in the window.");
        return 1;
    }

    var seconds = Math.Max(1, last - first) / 1000.0;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{totals.Count} leads recorded over {seconds:0.0} s ({totals.Count / seconds:0} leads/s); outcomes: {string.Join(", ", outcomes.Select(o => $"{o.Key} {o.Value}"))}"));
    Console.WriteLine("                        p50       p90       p99       max  (ms)");
    Print("total in engine", totals);
    Print("provider wait", waits);
    Print("engine overhead", overheads);
    return 0;
}

static void Print(string name, List<long> micros)
{
    micros.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-18} {Ms(Percentile(micros, 0.50)),9:0.000} {Ms(Percentile(micros, 0.90)),9:0.000} {Ms(Percentile(micros, 0.99)),9:0.000} {Ms(micros[^1]),9:0.000}"));
}

// Nearest rank: the smallest value with at least p of the values at or below it.
static long Percentile(List<long> sorted, double p) =>
    sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

static double Ms(long micros) => micros / 1000.0;
