using static PluggableFlows.Engine.Tests.Rules.RuleKit;

namespace PluggableFlows.Engine.Tests.Rules;

/// <summary>
/// The operator × type table: each row is one rule against the lead in <see cref="RuleKit"/>. The rows are the
/// specification of how every operator treats text, numbers, booleans, ranges, dates, times, phones, appended data
/// and blank or missing values.
/// </summary>
public class OperatorTests
{
    [Theory]
    // text: case-insensitive, trimmed
    [InlineData("lead.first_name", "is equal to", "alice", true)]
    [InlineData("lead.first_name", "is equal to", "  Alice ", true)]
    [InlineData("lead.first_name", "is equal to", "Bob", false)]
    [InlineData("lead.first_name", "is not equal to", "Bob", true)]
    [InlineData("lead.first_name", "is not equal to", "ALICE", false)]
    [InlineData("lead.first_name", "  IS   Equal TO ", "alice", true)]
    // number: numerically, whatever the rhv's spelling
    [InlineData("lead.price", "is equal to", "1000.5", true)]
    [InlineData("lead.price", "is equal to", "1000.50", true)]
    [InlineData("lead.price", "is equal to", "$1,000.50", true)]
    [InlineData("lead.price", "is equal to", "1000", false)]
    [InlineData("lead.age", "is equal to", "30.0", true)]
    [InlineData("lead.age", "is not equal to", "31", true)]
    // boolean: any of the boolean words
    [InlineData("lead.opt_in", "is equal to", "true", true)]
    [InlineData("lead.opt_in", "is equal to", "yes", true)]
    [InlineData("lead.opt_in", "is equal to", "false", false)]
    [InlineData("lead.homeowner", "is equal to", "N", true)]
    // range: by min and max
    [InlineData("lead.income_range", "is equal to", "50-100", true)]
    [InlineData("lead.income_range", "is equal to", "50 to 100", true)]
    [InlineData("lead.income_range", "is equal to", "75", false)]
    [InlineData("lead.open_range", "is equal to", "100+", true)]
    // dates and times: by the day or instant, whatever the rhv's format
    [InlineData("lead.dob", "is equal to", "2019-12-31", true)]
    [InlineData("lead.dob", "is equal to", "12/31/2019", true)]
    [InlineData("lead.dob", "is equal to", "2020-01-01", false)]
    [InlineData("lead.call_at", "is equal to", "2020-01-01T10:00:00Z", true)]
    [InlineData("lead.call_at", "is equal to", "2020-01-01T05:00:00-05:00", true)]
    // phone, state, email: the rhv is parsed as the lhv's type and compared by normal form
    [InlineData("lead.phone_1", "is equal to", "(512) 555-1212", true)]
    [InlineData("lead.phone_1", "is equal to", "512.555.1212", true)]
    [InlineData("lead.phone_1", "is equal to", "5125551213", false)]
    [InlineData("lead.phone_1.area", "is equal to", "512", true)]
    [InlineData("lead.phone_2", "is equal to", "123", true)]
    [InlineData("lead.state", "is equal to", "Texas", true)]
    [InlineData("lead.state", "is equal to", "tx", true)]
    [InlineData("lead.email", "is equal to", "BOB@EXAMPLE.COM", true)]
    // appended data and other vars
    [InlineData("check.line_type", "is equal to", "MOBILE", true)]
    [InlineData("check.score", "is equal to", "42.5", true)]
    [InlineData("check.count", "is equal to", "3", true)]
    [InlineData("check.count", "is equal to", "3.0", true)]
    [InlineData("check.amount", "is equal to", "10.50", true)]
    [InlineData("check.text_number", "is equal to", "15.0", true)]
    [InlineData("check.active", "is equal to", "true", true)]
    [InlineData("check.outcome", "is equal to", "success", true)]
    [InlineData("random", "is equal to", "42", true)]
    [InlineData("source.name", "is equal to", "acme", true)]
    // templates: the whole rhv is one path, or text with paths substituted
    [InlineData("lead.first_name", "is equal to", "{{ lead.first_name }}", true)]
    [InlineData("source.name", "is equal to", "{{ source.name }}", true)]
    [InlineData("flow.name", "is equal to", "{{source.name}}", false)]
    [InlineData("lead.email", "is equal to", "bob@{{ check.nested.x }}.com", false)]
    [InlineData("lead.email", "is equal to", "bob@{{ lead.email.domain }}", true)]
    // blank and missing lhv: false, and the negation true
    [InlineData("lead.missing_field", "is equal to", "x", false)]
    [InlineData("lead.missing_field", "is not equal to", "x", true)]
    [InlineData("lead.last_name", "is equal to", "x", false)]
    [InlineData("lead.last_name", "is not equal to", "x", true)]
    [InlineData("check.nothing", "is equal to", "x", false)]
    public void Equality_compares_by_the_lhv_type(string lhv, string op, string rhv, bool expected) =>
        Evaluate(Rule(lhv, op, rhv)).ShouldBe(expected);

    [Theory]
    [InlineData("lead.price", "is greater than", "999", true)]
    [InlineData("lead.price", "is greater than", "1000.5", false)]
    [InlineData("lead.price", "is greater than or equal to", "1000.5", true)]
    [InlineData("lead.price", "is less than", "$2,000", true)]
    [InlineData("lead.age", "is less than or equal to", "30", true)]
    [InlineData("lead.age", "is less than", "30", false)]
    [InlineData("lead.age", "is less than", "100", true)]
    // ranges order by their average (75)
    [InlineData("lead.income_range", "is greater than", "70", true)]
    [InlineData("lead.income_range", "is less than", "80", true)]
    [InlineData("lead.income_range", "is greater than", "60-80", true)]
    [InlineData("lead.income_range", "is less than", "60-100", true)]
    [InlineData("lead.income_range", "is less than", "50-90", false)]
    [InlineData("lead.income_range", "is greater than", "{{ lead.debt_range }}", true)]
    [InlineData("lead.open_range", "is greater than or equal to", "100", true)]
    // dates chronologically, across years, whatever the rhv's format
    [InlineData("lead.dob", "is less than", "2020-01-01", true)]
    [InlineData("lead.dob", "is less than", "01/01/2020", true)]
    [InlineData("lead.dob", "is greater than", "12/30/2019", true)]
    [InlineData("lead.move_date", "is greater than", "2019-12-31", true)]
    [InlineData("lead.move_date", "is greater than", "12/31/2019", true)]
    [InlineData("lead.move_date", "is greater than or equal to", "2020-01-01", true)]
    [InlineData("lead.dob", "is less than", "{{ lead.move_date }}", true)]
    // times chronologically
    [InlineData("lead.call_at", "is greater than", "2020-01-01", true)]
    [InlineData("lead.call_at", "is less than", "2020-01-01T09:59:59Z", false)]
    [InlineData("check.checked_at", "is greater than", "2020-05-31", true)]
    [InlineData("submission.timestamp", "is greater than", "2025-06-15T11:59:00Z", true)]
    // appended numbers, and appended text that reads as a number, numerically
    [InlineData("check.score", "is greater than", "40", true)]
    [InlineData("check.count", "is less than", "10", true)]
    [InlineData("check.text_number", "is greater than", "9", true)]
    [InlineData("lead.phone_1.area", "is greater than", "500", true)]
    [InlineData("random", "is less than or equal to", "50", true)]
    // other text: ordinal, ignoring case
    [InlineData("lead.first_name", "is less than", "bob", true)]
    [InlineData("lead.first_name", "is greater than", "ALAN", true)]
    [InlineData("lead.code", "is less than", "a", false)]
    // blank and missing
    [InlineData("lead.missing_field", "is greater than", "1", false)]
    [InlineData("lead.missing_field", "is less than", "1", false)]
    [InlineData("lead.last_name", "is less than or equal to", "z", false)]
    public void Ordering_compares_numbers_ranges_dates_and_text(string lhv, string op, string rhv, bool expected) =>
        Evaluate(Rule(lhv, op, rhv)).ShouldBe(expected);

    [Theory]
    [InlineData("lead.age", "is between", "18-65", true)]
    [InlineData("lead.age", "is between", "30-40", true)]
    [InlineData("lead.age", "is between", "20-30", true)]
    [InlineData("lead.age", "is between", "31-40", false)]
    [InlineData("lead.age", "is between", "40-30", true)]
    [InlineData("lead.age", "is not between", "30-40", false)]
    [InlineData("lead.age", "is not between", "20-30", false)]
    [InlineData("lead.age", "is not between", "31-40", true)]
    [InlineData("lead.age", "is between", "18 to 65", true)]
    [InlineData("lead.age", "is between", "[18, 65]", true)]
    [InlineData("lead.price", "is between", "$1,000 - $2,000", true)]
    [InlineData("lead.income_range", "is between", "70-80", true)]
    [InlineData("lead.income_range", "is between", "76-100", false)]
    [InlineData("lead.dob", "is between", "2019-01-01 to 2019-12-31", true)]
    [InlineData("lead.dob", "is between", "2019-01-01-2019-12-30", false)]
    [InlineData("lead.dob", "is between", "[12/01/2019, 01/31/2020]", true)]
    [InlineData("lead.dob", "is not between", "2020-01-01 to 2020-12-31", true)]
    [InlineData("check.score", "is between", "40-50", true)]
    [InlineData("check.score", "is between", "{{ lead.debt_range }}", false)]
    [InlineData("lead.missing_field", "is between", "1-10", false)]
    [InlineData("lead.missing_field", "is not between", "1-10", true)]
    public void Between_is_inclusive_and_not_between_is_strictly_outside(string lhv, string op, string rhv, bool expected) =>
        Evaluate(Rule(lhv, op, rhv)).ShouldBe(expected);

    [Theory]
    [InlineData("lead.state", "is included in", "TX, CA, FL", true)]
    [InlineData("lead.state", "is included in", "[CA, FL]", false)]
    [InlineData("lead.state", "is not included in", "[CA, FL]", true)]
    [InlineData("lead.state", "is included in", "Texas, California", true)]
    [InlineData("lead.state", "is included in", "file:states", true)]
    [InlineData("lead.phone_1", "is included in", "(512) 555-1212, 8005550100", true)]
    [InlineData("lead.phone_1", "is included in", "file:phones", true)]
    [InlineData("lead.phone_1", "is not included in", "[800-555-0100]", true)]
    [InlineData("lead.first_name", "is included in", "ALICE, bob", true)]
    [InlineData("lead.first_name", "is included in", "Alicia, Al", false)]
    [InlineData("lead.age", "is included in", "18, 30.0, 45", true)]
    [InlineData("lead.email", "is included in", "[BOB@example.com]", true)]
    [InlineData("check.count", "is included in", "1, 2, 3", true)]
    [InlineData("check.line_type", "is included in", "landline, voip", false)]
    [InlineData("check.line_type", "is included in", "{{ check.tags }}", false)]
    [InlineData("lead.first_name", "is included in", "bob, {{ lead.first_name }}", true)]
    [InlineData("lead.missing_field", "is included in", "a, b", false)]
    [InlineData("lead.missing_field", "is not included in", "a, b", true)]
    // A component's text that reads as a number matches a list item of the same number, however either is written.
    [InlineData("lead.phone_1.area", "is included in", "[900, 512]", true)]
    [InlineData("lead.phone_1.area", "is included in", "[0512]", true)]
    [InlineData("lead.phone_1.area", "is included in", "[512.0, 976]", true)]
    [InlineData("lead.phone_1.area", "is not included in", "[900, 976]", true)]
    [InlineData("lead.phone_1.area", "is included in", "[5120, 51]", false)]
    public void Is_included_in_checks_membership_of_the_normal_value(string lhv, string op, string rhv, bool expected) =>
        Evaluate(Rule(lhv, op, rhv)).ShouldBe(expected);

    [Theory]
    [InlineData("check.tags", "includes", "a", true)]
    [InlineData("check.tags", "includes", "b", true)]
    [InlineData("check.tags", "includes", "c", false)]
    [InlineData("check.tags", "does not include", "c", true)]
    [InlineData("check.tags", "does not include", "a", false)]
    [InlineData("check.nested", "includes", "x", true)]
    [InlineData("lead.comments", "includes", "scunthorpe", true)]
    [InlineData("lead.comments", "includes", "london", false)]
    [InlineData("lead.comments", "does not include", "london", true)]
    [InlineData("lead.phone_1", "includes", "555", true)]
    [InlineData("lead.email", "includes", "{{ lead.email.domain }}", true)]
    [InlineData("lead.missing_field", "includes", "a", false)]
    [InlineData("lead.missing_field", "does not include", "a", true)]
    public void Includes_looks_inside_lists_and_text(string lhv, string op, string rhv, bool expected) =>
        Evaluate(Rule(lhv, op, rhv)).ShouldBe(expected);

    [Theory]
    [InlineData("lead.email", "matches pattern", @"@example\.com$", true)]
    [InlineData("lead.first_name", "matches pattern", "^ALI", true)]
    [InlineData("lead.first_name", "does not match pattern", "^bob", true)]
    [InlineData("lead.first_name", "does not match pattern", "^al", false)]
    [InlineData("lead.phone_1", "matches pattern", "^512", true)]
    [InlineData("check.score", "matches pattern", @"^42\.5$", true)]
    [InlineData("lead.missing_field", "matches pattern", ".*", false)]
    [InlineData("lead.missing_field", "does not match pattern", "x", true)]
    public void Matches_pattern_uses_regular_expressions(string lhv, string op, string rhv, bool expected) =>
        Evaluate(Rule(lhv, op, rhv)).ShouldBe(expected);

    [Theory]
    [InlineData("lead.last_name", "is blank", true)]
    [InlineData("lead.missing_field", "is blank", true)]
    [InlineData("check.blank_text", "is blank", true)]
    [InlineData("check.nothing", "is blank", true)]
    [InlineData("check.empty_list", "is blank", true)]
    [InlineData("lead.first_name", "is blank", false)]
    [InlineData("lead.first_name", "is not blank", true)]
    [InlineData("lead.last_name", "is not blank", false)]
    [InlineData("check.count", "is not blank", true)]
    [InlineData("lead.phone_2", "is not blank", true)]
    // booleans: a blank or invalid value is neither true nor false
    [InlineData("lead.opt_in", "is true", true)]
    [InlineData("lead.opt_in", "is false", false)]
    [InlineData("lead.opt_in", "is not true", false)]
    [InlineData("lead.opt_in", "is not false", true)]
    [InlineData("lead.homeowner", "is false", true)]
    [InlineData("lead.homeowner", "is not true", true)]
    [InlineData("lead.military", "is true", false)]
    [InlineData("lead.military", "is false", false)]
    [InlineData("lead.military", "is not true", true)]
    [InlineData("lead.military", "is not false", true)]
    [InlineData("lead.missing_field", "is true", false)]
    [InlineData("lead.missing_field", "is false", false)]
    [InlineData("lead.missing_field", "is not true", true)]
    [InlineData("lead.missing_field", "is not false", true)]
    [InlineData("check.active", "is true", true)]
    [InlineData("check.yes_text", "is true", true)]
    [InlineData("check.count", "is true", false)]
    [InlineData("lead.phone_1.valid", "is true", true)]
    [InlineData("lead.phone_2.valid", "is false", true)]
    // format: valid means parsed; blank or missing is invalid
    [InlineData("lead.phone_1", "format is valid", true)]
    [InlineData("lead.phone_2", "format is valid", false)]
    [InlineData("lead.phone_2", "format is invalid", true)]
    [InlineData("lead.missing_field", "format is valid", false)]
    [InlineData("lead.missing_field", "format is invalid", true)]
    [InlineData("lead.last_name", "format is invalid", true)]
    [InlineData("lead.email", "format is valid", true)]
    // obscenity: whole words only
    [InlineData("lead.rude", "is obscene", true)]
    [InlineData("lead.comments", "is obscene", false)]
    [InlineData("lead.comments", "is not obscene", true)]
    [InlineData("lead.first_name", "is obscene", false)]
    [InlineData("lead.missing_field", "is obscene", false)]
    [InlineData("lead.missing_field", "is not obscene", true)]
    public void Operators_without_rhv(string lhv, string op, bool expected) =>
        Evaluate(Rule(lhv, op)).ShouldBe(expected);

    [Theory]
    [InlineData("lead.first_name", "is equal to", "alice", false)]
    [InlineData("lead.first_name", "is equal to", "Alice", true)]
    [InlineData("lead.first_name", "is not equal to", "alice", true)]
    [InlineData("lead.first_name", "is included in", "alice, bob", false)]
    [InlineData("lead.first_name", "is included in", "Alice", true)]
    [InlineData("lead.comments", "includes", "scunthorpe", false)]
    [InlineData("lead.comments", "includes", "Scunthorpe", true)]
    [InlineData("check.tags", "includes", "b", false)]
    [InlineData("lead.first_name", "matches pattern", "^ali", false)]
    [InlineData("lead.first_name", "matches pattern", "^Ali", true)]
    [InlineData("lead.code", "is less than", "a", true)]
    public void Case_sensitive_rules_compare_text_exactly(string lhv, string op, string rhv, bool expected) =>
        Evaluate(Rule(lhv, op, rhv, caseSensitive: true)).ShouldBe(expected);

    [Fact]
    public void Is_equal_to_compares_text_case_insensitively() =>
        Evaluate(Rule("lead.code", "is equal to", "abc")).ShouldBeTrue();

    [Fact]
    public void Dates_order_chronologically_where_their_text_would_not()
    {
        // As text "12/31/2019" sorts after "01/01/2020"; as dates it is the day before.
        string.CompareOrdinal("12/31/2019", "01/01/2020").ShouldBeGreaterThan(0);
        Evaluate(Rule("lead.dob", "is less than", "01/01/2020")).ShouldBeTrue();
    }

    [Fact]
    public void Regex_timeout_makes_the_rule_false_instead_of_throwing()
    {
        var fields = LeadFields();
        fields["comments"] = Text("string", new string('a', 5_000) + "b");
        var rule = Rule("lead.comments", "matches pattern", "(a+)+$");

        Evaluate(rule, Lead(fields), Context(TimeSpan.FromMilliseconds(1))).ShouldBeFalse();

        // The pattern really is catastrophic: matched directly, it runs out of time.
        var regex = new System.Text.RegularExpressions.Regex("(a+)+$",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant,
            TimeSpan.FromMilliseconds(1));
        Should.Throw<System.Text.RegularExpressions.RegexMatchTimeoutException>(() => regex.IsMatch(fields["comments"].Normal));
    }

    [Fact]
    public void Obscenity_list_ships_with_the_engine() =>
        PluggableFlows.Engine.Rules.ObsceneWords.Count.ShouldBeGreaterThanOrEqualTo(80);

    [Theory]
    [InlineData("Scunthorpe", false)]
    [InlineData("a shitty day", true)]
    [InlineData("SHIT!", true)]
    [InlineData("cocktail class in Essex", false)]
    [InlineData("what an asshole.", true)]
    public void Obscene_matches_whole_words_ignoring_case(string text, bool expected)
    {
        var fields = LeadFields();
        fields["comments"] = Text("string", text);
        Evaluate(Rule("lead.comments", "is obscene"), Lead(fields)).ShouldBe(expected);
    }
}
