using Microsoft.Extensions.Time.Testing;
using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.Suppression.Tests;

public sealed class SuppressionTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryValueLists _lists;
    private readonly HttpClient _http = new();

    public SuppressionTests() => _lists = new InMemoryValueLists(_time);

    public void Dispose() => _http.Dispose();

    private Task<IntegrationResult> Run(IHandlerIntegration integration, string list, object? value, object? lookbackDays = null,
        IValueLists? lists = null, bool noLists = false)
    {
        var values = new Dictionary<string, object?> { ["list"] = list, ["value"] = value };
        if (lookbackDays is not null)
        {
            values["lookback_days"] = lookbackDays;
        }

        return integration.HandleAsync(new IntegrationContext(new IntegrationInput(values), _http, _time, noLists ? null : lists ?? _lists),
            CancellationToken.None);
    }

    private static FieldValue Phone(string raw, string normal) =>
        new("phone", raw, normal, normal, valid: true, new Dictionary<string, object?> { ["country_calling_code"] = 1 });

    [Theory]
    [InlineData("(512) 789-1111", "5127891111")]
    [InlineData("512-789-1111", "5127891111")]
    [InlineData("512.789.1111", "5127891111")]
    [InlineData("+1 (512) 789-1111", "5127891111")]
    [InlineData("1-512-789-1111", "5127891111")]
    [InlineData(" 5127891111 ", "5127891111")]
    [InlineData("15127891111", "5127891111")]
    [InlineData("25127891111", "25127891111")]
    [InlineData("789-1111", "789-1111")]
    [InlineData("A-512-789-1111", "A-512-789-1111")]
    [InlineData(" Jane.Doe@Example.COM ", "jane.doe@example.com")]
    [InlineData("  Acme Corp ", "Acme Corp")]
    [InlineData("", null)]
    [InlineData("   ", null)]
    public void Text_is_normalized_so_every_way_of_writing_a_phone_or_email_matches(string text, string? normal)
    {
        ListValue.Normalize(text).ShouldBe(normal);
    }

    [Fact]
    public void A_phone_field_is_normalized_to_its_digits_without_the_extension()
    {
        ListValue.Normalize(Phone("(512) 789-1111 x23", "5127891111x23")).ShouldBe("5127891111");
    }

    [Fact]
    public void An_email_field_is_normalized_to_lower_case_and_a_number_to_invariant_text()
    {
        ListValue.Normalize(new FieldValue("email", "Jane@Example.com", "jane@example.com", "jane@example.com", valid: true))
            .ShouldBe("jane@example.com");
        ListValue.Normalize(12345.5).ShouldBe("12345.5");
        ListValue.Normalize(new FieldValue("string", " ", "", null, valid: true)).ShouldBeNull();
    }

    [Theory]
    [InlineData("(512) 789-1111")]
    [InlineData("5127891111")]
    [InlineData("+1 512 789 1111")]
    public async Task A_phone_on_the_list_is_found_however_it_is_written(string written)
    {
        await Run(new SuppressionAdd(), "dnc", "5127891111");

        var result = await Run(new SuppressionQuery(), "dnc", written);

        result.Outcome.ShouldBe(Outcome.Success);
        result.Appended["found"].ShouldBe(true);
    }

    [Fact]
    public async Task A_phone_field_finds_the_entry_added_as_text()
    {
        await Run(new SuppressionAdd(), "dnc", "(512) 789-1111");

        var result = await Run(new SuppressionQuery(), "dnc", Phone("512 789 1111", "5127891111"));

        result.Appended["found"].ShouldBe(true);
    }

    [Fact]
    public async Task An_email_is_found_whatever_its_case()
    {
        await Run(new SuppressionAdd(), "dnc", "Jane@Example.com");

        (await Run(new SuppressionQuery(), "dnc", " JANE@example.com")).Appended["found"].ShouldBe(true);
        _lists.Holds("dnc", "jane@example.com").ShouldBeTrue();
    }

    [Fact]
    public async Task A_value_not_on_the_list_is_a_success_with_found_false()
    {
        await Run(new SuppressionAdd(), "other", "5127891111");

        var result = await Run(new SuppressionQuery(), "dnc", "5127891111");

        result.Outcome.ShouldBe(Outcome.Success);
        result.Appended["found"].ShouldBe(false);
    }

    [Theory]
    [InlineData(30, 29, true)]
    [InlineData(30, 31, false)]
    [InlineData("7", 6, true)]
    [InlineData("7", 8, false)]
    [InlineData(0.5, 1, false)]
    public async Task The_lookback_counts_only_recent_entries(object lookbackDays, int daysLater, bool found)
    {
        await Run(new SuppressionAdd(), "dnc", "5127891111");
        _time.Advance(TimeSpan.FromDays(daysLater));

        (await Run(new SuppressionQuery(), "dnc", "5127891111", lookbackDays)).Appended["found"].ShouldBe(found);
        (await Run(new SuppressionQuery(), "dnc", "5127891111")).Appended["found"].ShouldBe(true);
    }

    [Fact]
    public async Task A_number_field_gives_the_lookback()
    {
        await Run(new SuppressionAdd(), "dnc", "5127891111");
        _time.Advance(TimeSpan.FromDays(10));

        var result = await Run(new SuppressionQuery(), "dnc", "5127891111", new FieldValue("number", "5", "5", 5d, valid: true));

        result.Appended["found"].ShouldBe(false);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-3")]
    [InlineData(0)]
    [InlineData(true)]
    public async Task A_lookback_that_is_not_a_positive_number_is_an_error(object lookbackDays)
    {
        var result = await Run(new SuppressionQuery(), "dnc", "5127891111", lookbackDays);

        result.Outcome.ShouldBe(Outcome.Error);
        result.Reason.ShouldNotBeNull().ShouldContain("lookback_days");
    }

    [Fact]
    public async Task A_blank_lookback_means_every_entry()
    {
        await Run(new SuppressionAdd(), "dnc", "5127891111");
        _time.Advance(TimeSpan.FromDays(1000));

        (await Run(new SuppressionQuery(), "dnc", "5127891111", " ")).Appended["found"].ShouldBe(true);
    }

    [Fact]
    public async Task Adding_again_refreshes_the_entry_date()
    {
        await Run(new SuppressionAdd(), "dnc", "5127891111");
        _time.Advance(TimeSpan.FromDays(40));
        var again = await Run(new SuppressionAdd(), "dnc", "(512) 789-1111");
        _time.Advance(TimeSpan.FromDays(5));

        again.Appended["added"].ShouldBe(true);
        (await Run(new SuppressionQuery(), "dnc", "5127891111", 30)).Appended["found"].ShouldBe(true);
    }

    [Fact]
    public async Task Delete_takes_the_value_off_and_says_whether_it_was_there()
    {
        await Run(new SuppressionAdd(), "dnc", "jane@example.com");

        var first = await Run(new SuppressionDelete(), "dnc", "JANE@example.com");
        var second = await Run(new SuppressionDelete(), "dnc", "jane@example.com");

        first.Outcome.ShouldBe(Outcome.Success);
        first.Appended["deleted"].ShouldBe(true);
        second.Outcome.ShouldBe(Outcome.Success);
        second.Appended["deleted"].ShouldBe(false);
        (await Run(new SuppressionQuery(), "dnc", "jane@example.com")).Appended["found"].ShouldBe(false);
    }

    [Fact]
    public async Task Is_unique_succeeds_the_first_time_and_fails_for_a_duplicate()
    {
        var first = await Run(new SuppressionIsUnique(), "seen", "(512) 789-1111");
        var second = await Run(new SuppressionIsUnique(), "seen", "512.789.1111");

        first.Outcome.ShouldBe(Outcome.Success);
        first.Appended["unique"].ShouldBe(true);
        second.Outcome.ShouldBe(Outcome.Failure);
        second.Reason.ShouldBe("Duplicate lead");
        second.Appended["unique"].ShouldBe(false);
    }

    [Fact]
    public async Task Is_unique_counts_a_value_seen_before_the_lookback_as_unique_again()
    {
        await Run(new SuppressionIsUnique(), "seen", "jane@example.com", 30);
        _time.Advance(TimeSpan.FromDays(31));

        var result = await Run(new SuppressionIsUnique(), "seen", "jane@example.com", 30);

        result.Outcome.ShouldBe(Outcome.Success);
        (await Run(new SuppressionIsUnique(), "seen", "jane@example.com", 30)).Outcome.ShouldBe(Outcome.Failure);
    }

    [Fact]
    public async Task Concurrent_copies_of_one_lead_give_exactly_one_unique()
    {
        string[] writings = ["(512) 789-1111", "5127891111", "+1 512 789 1111", "512.789.1111"];
        var integration = new SuppressionIsUnique();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var calls = Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await Run(integration, "seen", writings[i % writings.Length]);
        })).ToArray();
        start.SetResult();
        var results = await Task.WhenAll(calls);

        results.Count(r => r.Outcome == Outcome.Success).ShouldBe(1);
        results.Count(r => r.Outcome == Outcome.Failure).ShouldBe(199);
        _lists.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Lists_are_separate()
    {
        await Run(new SuppressionIsUnique(), "buyer_a", "5127891111");

        (await Run(new SuppressionIsUnique(), "buyer_b", "5127891111")).Outcome.ShouldBe(Outcome.Success);
    }

    public static TheoryData<IHandlerIntegration> Integrations() =>
        [new SuppressionQuery(), new SuppressionAdd(), new SuppressionDelete(), new SuppressionIsUnique()];

    [Theory]
    [MemberData(nameof(Integrations))]
    public async Task Without_a_store_every_integration_is_an_error(IHandlerIntegration integration)
    {
        var result = await Run(integration, "dnc", "5127891111", noLists: true);

        result.Outcome.ShouldBe(Outcome.Error);
        result.Reason.ShouldBe("This host has no store for value lists");
    }

    [Theory]
    [MemberData(nameof(Integrations))]
    public async Task A_blank_value_is_skipped(IHandlerIntegration integration)
    {
        (await Run(integration, "dnc", "  ")).Outcome.ShouldBe(Outcome.Skip);
        (await Run(integration, "dnc", null)).Outcome.ShouldBe(Outcome.Skip);
        _lists.Count.ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(Integrations))]
    public async Task A_missing_list_name_is_an_error(IHandlerIntegration integration)
    {
        var result = await Run(integration, " ", "5127891111");

        result.Outcome.ShouldBe(Outcome.Error);
        result.Reason.ShouldNotBeNull().ShouldContain("list");
    }

    [Theory]
    [MemberData(nameof(Integrations))]
    public void Descriptors_are_first_party_free_and_need_no_credentials(IHandlerIntegration integration)
    {
        var descriptor = integration.Descriptor;

        descriptor.Id.ShouldStartWith("suppression.");
        descriptor.Class.ShouldBe(IntegrationClass.Byoc);
        descriptor.CostPerTransaction.ShouldBe(0m);
        descriptor.Credentials.ShouldBeEmpty();
        descriptor.RequestVariables.Where(v => v.Required).Select(v => v.Name).ShouldBe(["list", "value"]);
    }

    [Theory]
    [MemberData(nameof(Integrations))]
    public async Task The_conformance_samples_give_their_expected_outcomes_against_a_fresh_store(IHandlerIntegration integration)
    {
        foreach (var sample in ((IConformanceSamples)integration).Samples)
        {
            var lists = new InMemoryValueLists(_time);
            var input = new IntegrationInput(sample.Inputs.ToDictionary(p => p.Key, p => (object?)p.Value));

            var result = await integration.HandleAsync(new IntegrationContext(input, _http, _time, lists), CancellationToken.None);

            result.Outcome.ShouldBe(sample.ExpectedOutcome, sample.Name);
            var declared = integration.Descriptor.ResponseVariables.Select(v => v.Name).ToHashSet();
            result.Appended.Keys.ShouldBeSubsetOf(declared);
            foreach (var (name, expected) in sample.ExpectedAppended)
            {
                (result.Appended[name] is true ? "true" : "false").ShouldBe(expected, $"{sample.Name}: {name}");
            }
        }
    }
}
