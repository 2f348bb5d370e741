namespace PluggableFlows.Engine.Tests.Fields;

public class EmailFieldTypeTests
{
    [Theory]
    [InlineData("john@example.com", "john@example.com", "john", "example.com", "example", "com")]
    [InlineData("  John.Doe@Gmail.COM ", "john.doe@gmail.com", "john.doe", "gmail.com", "gmail", "com")]
    [InlineData("USER+tag@Yahoo.com", "user+tag@yahoo.com", "user+tag", "yahoo.com", "yahoo", "com")]
    [InlineData("bob@mail.example.co.uk", "bob@mail.example.co.uk", "bob", "mail.example.co.uk", "mail.example.co", "uk")]
    [InlineData("first.last@sub.domain.io", "first.last@sub.domain.io", "first.last", "sub.domain.io", "sub.domain", "io")]
    [InlineData("a_b-c@my-company.org", "a_b-c@my-company.org", "a_b-c", "my-company.org", "my-company", "org")]
    [InlineData("o'brien@example.ie", "o'brien@example.ie", "o'brien", "example.ie", "example", "ie")]
    [InlineData("123@456.net", "123@456.net", "123", "456.net", "456", "net")]
    [InlineData("x@guerrillamail.com", "x@guerrillamail.com", "x", "guerrillamail.com", "guerrillamail", "com")]
    [InlineData("\tTAB@EXAMPLE.COM\n", "tab@example.com", "tab", "example.com", "example", "com")]
    public void Email_parses_addresses_into_parts(string raw, string normal, string user, string domain, string host, string tld)
    {
        var email = FieldTypes.Parse("email", raw);

        email.Valid.ShouldBeTrue();
        email.Normal.ShouldBe(normal);
        email.Value.ShouldBe(normal);
        email["user"].ShouldBe(user);
        email["domain"].ShouldBe(domain);
        email["host"].ShouldBe(host);
        email["tld"].ShouldBe(tld);
    }

    [Theory]
    [InlineData("a@gmail.com", true, false)]
    [InlineData("a@YAHOO.com", true, false)]
    [InlineData("a@hotmail.com", true, false)]
    [InlineData("a@outlook.com", true, false)]
    [InlineData("a@aol.com", true, false)]
    [InlineData("a@icloud.com", true, false)]
    [InlineData("a@mailinator.com", false, true)]
    [InlineData("a@guerrillamail.com", false, true)]
    [InlineData("a@10minutemail.com", false, true)]
    [InlineData("a@yopmail.com", false, true)]
    [InlineData("a@activeprospect.com", false, false)]
    [InlineData("a@mail.gmail.com", false, false)]
    public void Email_flags_free_and_disposable_providers(string raw, bool free, bool disposable)
    {
        var email = FieldTypes.Parse("email", raw);

        email["is_free"].ShouldBe(free);
        email["is_disposable"].ShouldBe(disposable);
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("a@b")]
    [InlineData("a@b.c")]
    [InlineData("@example.com")]
    [InlineData("a@")]
    [InlineData("a@example..com")]
    [InlineData(".a@example.com")]
    [InlineData("a.@example.com")]
    [InlineData("a..b@example.com")]
    [InlineData("a b@example.com")]
    [InlineData("a@-example.com")]
    [InlineData("a@example-.com")]
    [InlineData("a@@example.com")]
    [InlineData("a@example.c0m")]
    [InlineData("josé@example.com")]
    [InlineData("a@exa mple.com")]
    public void Email_rejects_malformed_addresses(string raw)
    {
        var email = FieldTypes.Parse("email", raw);

        email.Valid.ShouldBeFalse();
        email.Normal.ShouldBe(raw.Trim());
        email.Value.ShouldBeNull();
        email.Components.ShouldBeEmpty();
    }
}
