using Microsoft.Extensions.Time.Testing;
using PluggableFlows.Engine.Storage;

namespace PluggableFlows.Engine.Tests.Storage;

public class SqliteValueListsTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 5, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Added_values_are_contained_in_their_own_list_only()
    {
        using var temp = new TempStore();
        var lists = new SqliteValueLists(temp.Store, _clock);

        await lists.AddAsync("dnc", "5127891111", None);

        (await lists.ContainsAsync("dnc", "5127891111", null, None)).ShouldBeTrue();
        (await lists.ContainsAsync("dnc", "5127891112", null, None)).ShouldBeFalse();
        (await lists.ContainsAsync("seen", "5127891111", null, None)).ShouldBeFalse();
    }

    [Fact]
    public async Task Delete_removes_a_value_and_says_whether_it_was_there()
    {
        using var temp = new TempStore();
        var lists = new SqliteValueLists(temp.Store, _clock);
        await lists.AddAsync("dnc", "5127891111", None);

        (await lists.DeleteAsync("dnc", "5127891111", None)).ShouldBeTrue();
        (await lists.DeleteAsync("dnc", "5127891111", None)).ShouldBeFalse();
        (await lists.ContainsAsync("dnc", "5127891111", null, None)).ShouldBeFalse();
    }

    [Fact]
    public async Task An_entry_older_than_the_lookback_does_not_count()
    {
        using var temp = new TempStore();
        var lists = new SqliteValueLists(temp.Store, _clock);
        await lists.AddAsync("seen", "ada@example.com", None);

        _clock.Advance(TimeSpan.FromDays(30));

        (await lists.ContainsAsync("seen", "ada@example.com", TimeSpan.FromDays(30), None)).ShouldBeTrue();
        (await lists.ContainsAsync("seen", "ada@example.com", TimeSpan.FromDays(29), None)).ShouldBeFalse();
        (await lists.ContainsAsync("seen", "ada@example.com", null, None)).ShouldBeTrue();
    }

    [Fact]
    public async Task Adding_again_refreshes_an_entry_for_the_lookback()
    {
        using var temp = new TempStore();
        var lists = new SqliteValueLists(temp.Store, _clock);
        await lists.AddAsync("seen", "ada@example.com", None);
        _clock.Advance(TimeSpan.FromDays(10));

        await lists.AddAsync("seen", "ada@example.com", None);
        _clock.Advance(TimeSpan.FromDays(5));

        (await lists.ContainsAsync("seen", "ada@example.com", TimeSpan.FromDays(7), None)).ShouldBeTrue();
    }

    [Fact]
    public async Task AddIfAbsent_is_true_only_for_the_first_add()
    {
        using var temp = new TempStore();
        var lists = new SqliteValueLists(temp.Store, _clock);

        (await lists.AddIfAbsentAsync("seen", "5127891111", null, None)).ShouldBeTrue();
        (await lists.AddIfAbsentAsync("seen", "5127891111", null, None)).ShouldBeFalse();
        (await lists.AddIfAbsentAsync("other", "5127891111", null, None)).ShouldBeTrue();
        (await lists.ContainsAsync("seen", "5127891111", null, None)).ShouldBeTrue();
    }

    [Fact]
    public async Task AddIfAbsent_treats_an_entry_older_than_the_lookback_as_absent_and_refreshes_it()
    {
        using var temp = new TempStore();
        var lists = new SqliteValueLists(temp.Store, _clock);
        (await lists.AddIfAbsentAsync("seen", "5127891111", TimeSpan.FromDays(7), None)).ShouldBeTrue();

        _clock.Advance(TimeSpan.FromDays(6));
        (await lists.AddIfAbsentAsync("seen", "5127891111", TimeSpan.FromDays(7), None)).ShouldBeFalse();

        _clock.Advance(TimeSpan.FromDays(2)); // 8 days after the first add: outside the window
        (await lists.AddIfAbsentAsync("seen", "5127891111", TimeSpan.FromDays(7), None)).ShouldBeTrue();

        _clock.Advance(TimeSpan.FromDays(1)); // the refresh restarted the window
        (await lists.AddIfAbsentAsync("seen", "5127891111", TimeSpan.FromDays(7), None)).ShouldBeFalse();
        (await lists.ContainsAsync("seen", "5127891111", TimeSpan.FromDays(2), None)).ShouldBeTrue();
    }

    [Fact]
    public async Task Concurrent_AddIfAbsent_of_one_value_is_true_exactly_once()
    {
        using var temp = new TempStore();
        var lists = new SqliteValueLists(temp.Store, _clock);
        await lists.ListsAsync(); // create the schema first so the race is the insert alone

        var results = await RaceAsync(50, _ => lists.AddIfAbsentAsync("seen", "5127891111", TimeSpan.FromDays(30), None));

        results.Count(added => added).ShouldBe(1);
        (await lists.ListsAsync()).ShouldBe([("seen", 1)]);
    }

    [Fact]
    public async Task Concurrent_AddIfAbsent_of_one_expired_value_refreshes_it_exactly_once()
    {
        using var temp = new TempStore();
        var lists = new SqliteValueLists(temp.Store, _clock);
        await lists.AddAsync("seen", "5127891111", None);
        _clock.Advance(TimeSpan.FromDays(31));

        var results = await RaceAsync(50, _ => lists.AddIfAbsentAsync("seen", "5127891111", TimeSpan.FromDays(30), None));

        results.Count(added => added).ShouldBe(1);
    }

    [Fact]
    public async Task Concurrent_AddIfAbsent_of_different_values_is_true_for_each()
    {
        using var temp = new TempStore();
        var lists = new SqliteValueLists(temp.Store, _clock);

        var results = await RaceAsync(50, i => lists.AddIfAbsentAsync("seen", $"512789{i:D4}", null, None));

        results.ShouldAllBe(added => added);
        (await lists.ListsAsync()).ShouldBe([("seen", 50)]);
    }

    [Fact]
    public async Task Import_adds_new_values_in_one_go_and_counts_only_those()
    {
        using var temp = new TempStore();
        var lists = new SqliteValueLists(temp.Store, _clock);
        await lists.AddAsync("dnc", "5125550100", None);

        var added = await lists.ImportAsync("dnc", ["5125550100", "7135550199", "2125550142", "7135550199"]);

        added.ShouldBe(2);
        (await lists.ContainsAsync("dnc", "2125550142", null, None)).ShouldBeTrue();
    }

    [Fact]
    public async Task Lists_names_every_list_with_its_count()
    {
        using var temp = new TempStore();
        var lists = new SqliteValueLists(temp.Store, _clock);
        await lists.ImportAsync("dnc", ["1", "2", "3"]);
        await lists.AddAsync("blocked-states", "NY", None);

        (await lists.ListsAsync()).ShouldBe([("blocked-states", 1), ("dnc", 3)]);
    }

    // Every call runs on its own thread-pool task with its own connection, released together.
    private static async Task<bool[]> RaceAsync(int calls, Func<int, Task<bool>> call)
    {
        using var gate = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, calls).Select(i => Task.Run(async () =>
        {
            gate.Wait();
            return await call(i);
        })).ToArray();
        gate.Set();
        return await Task.WhenAll(tasks);
    }
}
