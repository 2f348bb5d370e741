using DnsClient;
using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.Email.Tests;

public sealed class EmailVerifyTests
{
    // Tests never touch the network: every MX lookup goes to this fake.
    private readonly FakeMailExchange _mx = new();

    private async Task<IntegrationResult> Verify(object? email, object? checkMx = null)
    {
        var values = new Dictionary<string, object?> { ["email"] = email };
        if (checkMx is not null)
        {
            values["check_mx"] = checkMx;
        }

        using var http = new HttpClient();
        return await new EmailVerify(_mx).HandleAsync(new IntegrationContext(new IntegrationInput(values), http, TimeProvider.System),
            CancellationToken.None);
    }

    [Theory]
    [InlineData("jane@example.com", "jane@example.com", "jane", "example.com")]
    [InlineData("  Jane.Doe@Example.COM ", "jane.doe@example.com", "jane.doe", "example.com")]
    [InlineData("first+tag@sub.example.co.uk", "first+tag@sub.example.co.uk", "first+tag", "sub.example.co.uk")]
    [InlineData("o'brien@example.ie", "o'brien@example.ie", "o'brien", "example.ie")]
    public async Task Valid_addresses_are_normalized_and_split(string email, string normalized, string user, string domain)
    {
        var result = await Verify(email);

        result.Outcome.ShouldBe(Outcome.Success);
        result.Appended["valid"].ShouldBe(true);
        result.Appended["normalized"].ShouldBe(normalized);
        result.Appended["user"].ShouldBe(user);
        result.Appended["domain"].ShouldBe(domain);
        result.Appended["mx_found"].ShouldBeNull();
    }

    [Theory]
    [InlineData("jane")]
    [InlineData("jane@")]
    [InlineData("@example.com")]
    [InlineData("jane@example")]
    [InlineData("jane..doe@example.com")]
    [InlineData(".jane@example.com")]
    [InlineData("jane@exa mple.com")]
    [InlineData("jane@@example.com")]
    [InlineData("jane@-example.com")]
    [InlineData("jane@example.c")]
    public async Task Malformed_addresses_are_a_failure(string email)
    {
        var result = await Verify(email);

        result.Outcome.ShouldBe(Outcome.Failure);
        result.Reason.ShouldBe("Invalid email address");
        result.Appended["valid"].ShouldBe(false);
        result.Appended["user"].ShouldBeNull();
        result.Appended["domain"].ShouldBeNull();
    }

    [Fact]
    public async Task A_user_longer_than_64_characters_is_invalid()
    {
        (await Verify(new string('a', 65) + "@example.com")).Outcome.ShouldBe(Outcome.Failure);
        (await Verify(new string('a', 64) + "@example.com")).Outcome.ShouldBe(Outcome.Success);
    }

    [Theory]
    [InlineData("jane@gmail.com", true)]
    [InlineData("jane@yahoo.co.uk", true)]
    [InlineData("jane@comcast.net", true)]
    [InlineData("jane@proton.me", true)]
    [InlineData("jane@acme-insurance.com", false)]
    [InlineData("jane@mail.gmail.com", false)]
    public async Task Free_mailbox_providers_are_flagged(string email, bool isFree)
    {
        var result = await Verify(email);

        result.Outcome.ShouldBe(Outcome.Success);
        result.Appended["is_free"].ShouldBe(isFree);
        result.Appended["is_disposable"].ShouldBe(false);
    }

    [Theory]
    [InlineData("x@mailinator.com")]
    [InlineData("x@Guerrillamail.com")]
    [InlineData("x@10minutemail.com")]
    [InlineData("x@yopmail.fr")]
    [InlineData("x@inbox.mailinator.com")]
    public async Task Disposable_domains_are_a_failure(string email)
    {
        var result = await Verify(email);

        result.Outcome.ShouldBe(Outcome.Failure);
        result.Reason.ShouldBe("Disposable email domain");
        result.Appended["valid"].ShouldBe(true);
        result.Appended["is_disposable"].ShouldBe(true);
    }

    [Theory]
    [InlineData("jane@gmial.com", "jane@gmail.com")]
    [InlineData("jane@gamil.com", "jane@gmail.com")]
    [InlineData("jane@gmail.con", "jane@gmail.com")]
    [InlineData("jane@gmail.cmo", "jane@gmail.com")]
    [InlineData("jane@gnail.con", "jane@gmail.com")]
    [InlineData("jane@gmail.co", "jane@gmail.com")]
    [InlineData("jane@yaho.com", "jane@yahoo.com")]
    [InlineData("jane@yahooo.com", "jane@yahoo.com")]
    [InlineData("jane@hotmial.com", "jane@hotmail.com")]
    [InlineData("jane@hotmal.com", "jane@hotmail.com")]
    [InlineData("jane@outlok.com", "jane@outlook.com")]
    [InlineData("jane@outlook.cm", "jane@outlook.com")]
    [InlineData("jane@icloud.co", "jane@icloud.com")]
    [InlineData("jane@comcast.nte", "jane@comcast.net")]
    [InlineData("jane@sbcgloabl.net", "jane@sbcglobal.net")]
    [InlineData("jane@acme-insurance.con", "jane@acme-insurance.com")]
    [InlineData("jane@acme.ogr", "jane@acme.org")]
    public async Task Mistyped_domains_get_a_suggestion(string email, string suggestion)
    {
        var result = await Verify(email);

        result.Appended["suggestion"].ShouldBe(suggestion);
    }

    [Theory]
    [InlineData("jane@gmail.com")]
    [InlineData("jane@gmx.com")]
    [InlineData("jane@mail.com")]
    [InlineData("jane@live.ca")]
    [InlineData("jane@me.com")]
    [InlineData("jane@aol.com")]
    [InlineData("jane@acme.com")]
    [InlineData("jane@acme.co")]
    [InlineData("jane@example.org")]
    [InlineData("jane@cox.com")]
    [InlineData("jane@mailinator.com")]
    public async Task Intended_domains_get_no_suggestion(string email)
    {
        var result = await Verify(email);

        result.Appended["suggestion"].ShouldBeNull();
    }

    [Fact]
    public async Task A_domain_with_no_top_level_domain_is_invalid_with_a_suggestion()
    {
        var result = await Verify("jane@gmail");

        result.Outcome.ShouldBe(Outcome.Failure);
        result.Appended["suggestion"].ShouldBe("jane@gmail.com");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task A_blank_address_is_skipped(string? email)
    {
        (await Verify(email)).Outcome.ShouldBe(Outcome.Skip);
    }

    [Fact]
    public async Task An_email_field_is_read_from_what_was_sent()
    {
        var field = new FieldValue("email", "Jane@GMIAL.com", "jane@gmial.com", "jane@gmial.com", valid: true);

        var result = await Verify(field);

        result.Appended["normalized"].ShouldBe("jane@gmial.com");
        result.Appended["suggestion"].ShouldBe("jane@gmail.com");
    }

    [Fact]
    public async Task The_mail_server_is_not_looked_up_unless_asked()
    {
        var result = await Verify("jane@example.com");

        _mx.Lookups.ShouldBeEmpty();
        result.Appended["mx_found"].ShouldBeNull();
    }

    [Theory]
    [InlineData(true)]
    [InlineData("true")]
    [InlineData("yes")]
    public async Task A_domain_with_a_mail_server_is_a_success_when_checked(object checkMx)
    {
        _mx.Domains["example.com"] = true;

        var result = await Verify("jane@example.com", checkMx);

        result.Outcome.ShouldBe(Outcome.Success);
        result.Appended["mx_found"].ShouldBe(true);
        _mx.Lookups.ShouldBe(["example.com"]);
    }

    [Fact]
    public async Task A_boolean_field_asks_for_the_lookup()
    {
        _mx.Domains["example.com"] = true;

        var result = await Verify("jane@example.com", new FieldValue("boolean", "yes", "true", true, valid: true));

        result.Appended["mx_found"].ShouldBe(true);
    }

    [Fact]
    public async Task A_domain_without_a_mail_server_is_a_failure_when_checked()
    {
        _mx.Domains["no-mail.example"] = false;

        var result = await Verify("jane@no-mail.example", "true");

        result.Outcome.ShouldBe(Outcome.Failure);
        result.Reason.ShouldBe("Email domain has no mail server");
        result.Appended["mx_found"].ShouldBe(false);
    }

    [Fact]
    public async Task A_failed_lookup_is_an_error_that_still_appends_what_is_known()
    {
        var result = await Verify("jane@unreachable.example", "true");

        result.Outcome.ShouldBe(Outcome.Error);
        result.Reason.ShouldNotBeNull().ShouldContain("unreachable.example");
        result.Appended["normalized"].ShouldBe("jane@unreachable.example");
        result.Appended["mx_found"].ShouldBeNull();
    }

    [Fact]
    public async Task Invalid_and_disposable_addresses_are_never_looked_up()
    {
        await Verify("jane@", "true");
        await Verify("jane@mailinator.com", "true");

        _mx.Lookups.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("gmail.com", "gmial.com", 1)]
    [InlineData("gmail.com", "gmail.com", 0)]
    [InlineData("hotmail.com", "hotmial.com", 1)]
    [InlineData("yahoo.com", "yaho.com", 1)]
    [InlineData("gmail.com", "gnail.con", 2)]
    [InlineData("abc", "xyz", 3)]
    public void Distance_counts_a_swap_of_neighbours_as_one_edit(string a, string b, int distance)
    {
        DomainTypos.Distance(a, b, limit: 5).ShouldBe(distance);
    }

    [Fact]
    public void The_shipped_lists_hold_a_useful_number_of_domains()
    {
        DomainLists.Free.Count.ShouldBeGreaterThanOrEqualTo(60);
        DomainLists.Disposable.Count.ShouldBeGreaterThanOrEqualTo(60);
        DomainLists.Free.ShouldNotContain(d => DomainLists.Disposable.Contains(d));
    }

    [Fact]
    public void The_descriptor_is_an_add_on_with_a_price_and_no_credentials()
    {
        var descriptor = new EmailVerify().Descriptor;

        descriptor.Id.ShouldBe("email.verify");
        descriptor.Class.ShouldBe(IntegrationClass.AddOn);
        descriptor.CostPerTransaction.ShouldBeGreaterThan(0m);
        descriptor.Credentials.ShouldBeEmpty();
    }

    [Fact]
    public async Task Every_appended_field_is_declared()
    {
        var declared = new EmailVerify().Descriptor.ResponseVariables.Select(v => v.Name).ToHashSet();

        (await Verify("jane@gmial.com")).Appended.Keys.ShouldBe(declared, ignoreOrder: true);
        (await Verify("jane@")).Appended.Keys.ShouldBe(declared, ignoreOrder: true);
    }

    [Fact]
    public async Task The_conformance_samples_give_their_expected_outcomes_and_values()
    {
        foreach (var sample in new EmailVerify().Samples)
        {
            var result = await Verify(sample.Inputs["email"]);

            result.Outcome.ShouldBe(sample.ExpectedOutcome, sample.Name);
            foreach (var (name, expected) in sample.ExpectedAppended)
            {
                (result.Appended[name] is bool b ? (b ? "true" : "false") : result.Appended[name]?.ToString()).ShouldBe(expected, $"{sample.Name}: {name}");
            }
        }
    }

    private sealed class FakeMailExchange : IMailExchangeLookup
    {
        public Dictionary<string, bool> Domains { get; } = [];

        public List<string> Lookups { get; } = [];

        public Task<bool> HasMailExchangeAsync(string domain, CancellationToken cancellationToken)
        {
            Lookups.Add(domain);
            return Domains.TryGetValue(domain, out var found)
                ? Task.FromResult(found)
                : throw new DnsResponseException(DnsResponseCode.ServerFailure);
        }
    }
}
