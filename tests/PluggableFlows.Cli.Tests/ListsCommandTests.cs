using PluggableFlows.Engine.Storage;

namespace PluggableFlows.Cli.Tests;

public class ListsCommandTests
{
    [Fact]
    public async Task Import_normalizes_phones_and_reports_duplicates_and_invalid_rows_by_number()
    {
        var store = UsageCommandTests.TempStorePath();
        var csv = Csv("""
            name,phone
            Ada,(512) 789-1111
            Bob,not a phone
            Cy,512-789-1111
            Di,
            Ed,(713) 555-0199
            """);

        var (exit, output, error) = await Pflow.InProcessAsync("", "lists", "import", "do-not-call", csv, "--type", "phone", "--store", store);

        error.ShouldBeEmpty();
        exit.ShouldBe(0);
        output.ShouldContain("2 added, 1 duplicate, 2 invalid.");
        output.ShouldContain("row 2: 'not a phone' is not a valid phone");
        output.ShouldContain("row 4: empty");
        using var sqlite = new SqliteStore(new StoreOptions { Path = store });
        var lists = new SqliteValueLists(sqlite);
        (await lists.ContainsAsync("do-not-call", "5127891111", null, CancellationToken.None)).ShouldBeTrue();
        (await lists.ContainsAsync("do-not-call", "7135550199", null, CancellationToken.None)).ShouldBeTrue();
        (await lists.ListsAsync()).ShouldBe([("do-not-call", 2)]);
    }

    [Fact]
    public async Task Import_picks_the_column_named_after_the_type_and_lower_cases_emails()
    {
        var store = UsageCommandTests.TempStorePath();
        var csv = Csv("""
            Name,Email Address
            Ada, Ada@Example.COM
            Bob,bob@
            """);

        var (exit, output, _) = await Pflow.InProcessAsync("", "lists", "import", "seen", csv, "--store", store);

        exit.ShouldBe(0);
        output.ShouldContain("as email, column 'Email Address'");
        output.ShouldContain("1 added, 0 duplicate, 1 invalid.");
        output.ShouldContain("row 2: 'bob@' is not a valid email");
        using var sqlite = new SqliteStore(new StoreOptions { Path = store });
        (await new SqliteValueLists(sqlite).ContainsAsync("seen", "ada@example.com", null, CancellationToken.None)).ShouldBeTrue();
    }

    [Fact]
    public async Task Import_names_the_columns_when_it_cannot_tell_which_holds_the_values()
    {
        var csv = Csv("""
            name,state
            Ada,TX
            """);

        var (exit, _, error) = await Pflow.InProcessAsync("", "lists", "import", "x", csv, "--store", UsageCommandTests.TempStorePath());

        exit.ShouldBe(2);
        error.ShouldContain("--column");
        error.ShouldContain("Columns: name, state.");
    }

    [Fact]
    public async Task Import_reads_text_files_skipping_comments_and_show_lists_every_list()
    {
        var store = UsageCommandTests.TempStorePath();
        var import = await Pflow.InProcessAsync("", "lists", "import", "do-not-call",
            Path.Combine(Pflow.RepoRoot, "scripts", "lists", "do-not-call.txt"), "--type", "phone", "--store", store);
        import.Exit.ShouldBe(0, import.Err);
        await Pflow.InProcessAsync("", "lists", "import", "blocked-states",
            Path.Combine(Pflow.RepoRoot, "scripts", "lists", "blocked-states.txt"), "--store", store);

        var (exit, output, _) = await Pflow.InProcessAsync("", "lists", "show", "--store", store);

        exit.ShouldBe(0);
        import.Out.ShouldContain("0 invalid.");
        UsageCommandTests.Row(output, "blocked-states").ShouldBe(["2"]);
        UsageCommandTests.Row(output, "do-not-call").ShouldBe(["3"]);
    }

    private static string Csv(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), "pflow-tests", Guid.NewGuid().ToString("N"), "values.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }
}
