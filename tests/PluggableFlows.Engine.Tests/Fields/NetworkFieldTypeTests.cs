namespace PluggableFlows.Engine.Tests.Fields;

public class NetworkFieldTypeTests
{
    [Theory]
    [InlineData("192.168.1.1", "192.168.1.1", true)]
    [InlineData(" 8.8.8.8 ", "8.8.8.8", true)]
    [InlineData("0.0.0.0", "0.0.0.0", true)]
    [InlineData("255.255.255.255", "255.255.255.255", true)]
    [InlineData("010.1.1.1", "10.1.1.1", true)]
    [InlineData("::1", "::1", false)]
    [InlineData("2001:DB8::1", "2001:db8::1", false)]
    [InlineData("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1", false)]
    [InlineData("::ffff:192.168.1.1", "::ffff:192.168.1.1", false)]
    public void Ip_parses_ipv4_and_ipv6(string raw, string normal, bool v4)
    {
        var ip = FieldTypes.Parse("ip", raw);

        ip.Valid.ShouldBeTrue();
        ip.Normal.ShouldBe(normal);
        ip["is_ipv4"].ShouldBe(v4);
        ip["is_ipv6"].ShouldBe(!v4);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("1.2")]
    [InlineData("1.2.3")]
    [InlineData("256.1.1.1")]
    [InlineData("1.2.3.4.5")]
    [InlineData("1..2.3")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("1234.1.1.1")]
    [InlineData("2001:db8::g")]
    [InlineData("localhost")]
    public void Ip_rejects_partial_and_malformed_addresses(string raw)
    {
        var ip = FieldTypes.Parse("ip", raw);

        ip.Valid.ShouldBeFalse();
        ip.Normal.ShouldBe(raw);
        ip["is_ipv4"].ShouldBeNull();
    }

    [Theory]
    [InlineData("example.com", "http://example.com/", "http", "example.com", 80, "/", null)]
    [InlineData("https://Example.com:8443/a/b?x=1&y=2", "https://example.com:8443/a/b?x=1&y=2", "https", "example.com", 8443, "/a/b", "x=1&y=2")]
    [InlineData("http://www.example.com/landing", "http://www.example.com/landing", "http", "www.example.com", 80, "/landing", null)]
    [InlineData("HTTPS://shop.example.co.uk/?q=1", "https://shop.example.co.uk/?q=1", "https", "shop.example.co.uk", 443, "/", "q=1")]
    [InlineData("localhost:3000/x", "http://localhost:3000/x", "http", "localhost", 3000, "/x", null)]
    [InlineData("www.example.com/a b", "http://www.example.com/a%20b", "http", "www.example.com", 80, "/a%20b", null)]
    [InlineData("http://127.0.0.1:8080/", "http://127.0.0.1:8080/", "http", "127.0.0.1", 8080, "/", null)]
    public void Url_parses_http_urls_and_adds_a_missing_scheme(
        string raw, string normal, string protocol, string host, int port, string path, string? query)
    {
        var url = FieldTypes.Parse("url", raw);

        url.Valid.ShouldBeTrue();
        url.Normal.ShouldBe(normal);
        url["protocol"].ShouldBe(protocol);
        url["host"].ShouldBe(host);
        url["port"].ShouldBe(port);
        url["path"].ShouldBe(path);
        url["query"].ShouldBe(query);
    }

    [Theory]
    [InlineData("ftp://example.com")]
    [InlineData("mailto:a@b.com")]
    [InlineData("javascript:alert(1)")]
    [InlineData("http://foo")]
    [InlineData("http://")]
    [InlineData("not a url")]
    [InlineData("http://exa mple.com")]
    public void Url_rejects_other_schemes_and_hosts_without_a_dot(string raw)
    {
        var url = FieldTypes.Parse("url", raw);

        url.Valid.ShouldBeFalse();
        url.Normal.ShouldBe(raw);
    }

    private const string CertId = "0123456789abcdef0123456789abcdef01234567";

    [Theory]
    [InlineData("https://cert.trustedform.com/" + CertId)]
    [InlineData("http://cert.trustedform.com/" + CertId)]
    [InlineData("https://ping.trustedform.com/" + CertId)]
    [InlineData("https://cert.trustedform.com/" + CertId + "?shared_token=abc")]
    [InlineData("HTTPS://CERT.TRUSTEDFORM.COM/0123456789ABCDEF0123456789ABCDEF01234567")]
    [InlineData("  https://cert.trustedform.com/" + CertId + "  ")]
    public void Trustedform_url_reads_the_certificate_id(string raw)
    {
        var url = FieldTypes.Parse("trustedform_url", raw);

        url.Valid.ShouldBeTrue();
        url.Normal.ShouldBe(raw.Trim());
        url["cert_id"].ShouldBe(CertId);
    }

    [Theory]
    [InlineData("https://cert.trustedform.com/123")]
    [InlineData("https://cert.trustedform.com/" + CertId + "0")]
    [InlineData("https://cert.trustedform.com/0123456789abcdef0123456789abcdef0123456g")]
    [InlineData("https://cert.example.com/" + CertId)]
    [InlineData("https://cert.trustedform.com.evil.com/" + CertId)]
    [InlineData("ftp://cert.trustedform.com/" + CertId)]
    [InlineData(CertId)]
    public void Trustedform_url_rejects_other_urls(string raw)
    {
        var url = FieldTypes.Parse("trustedform_url", raw);

        url.Valid.ShouldBeFalse();
        url["cert_id"].ShouldBeNull();
    }
}

public class TimeFieldTypeTests
{
    [Theory]
    [InlineData("2020-01-02T10:11:12Z", "2020-01-02T10:11:12Z")]
    [InlineData("2020-01-02T10:11:12.345Z", "2020-01-02T10:11:12Z")]
    [InlineData("2020-01-02T10:11:12-05:00", "2020-01-02T15:11:12Z")]
    [InlineData("2020-01-02T10:11:12+0100", "2020-01-02T09:11:12Z")]
    [InlineData("2020-01-02 10:11:12", "2020-01-02T10:11:12Z")]
    [InlineData("2020-01-02", "2020-01-02T00:00:00Z")]
    [InlineData("1/2/2020 10:00 PM", "2020-01-02T22:00:00Z")]
    [InlineData("Jan 2, 2020 10:00 AM", "2020-01-02T10:00:00Z")]
    [InlineData("Thu, 02 Jan 2020 10:11:12 GMT", "2020-01-02T10:11:12Z")]
    [InlineData("1577959872", "2020-01-02T10:11:12Z")]
    [InlineData("1577959872000", "2020-01-02T10:11:12Z")]
    public void Time_reads_iso_8601_and_common_text_as_utc(string raw, string normal)
    {
        var time = FieldTypes.Parse("time", raw);

        time.Valid.ShouldBeTrue();
        time.Normal.ShouldBe(normal);
        time.Value.ShouldBeOfType<DateTimeOffset>().Offset.ShouldBe(TimeSpan.Zero);
    }

    [Theory]
    [InlineData("2020")]
    [InlineData("12")]
    [InlineData("10:00")]
    [InlineData("now")]
    [InlineData("2020-13-45T99:00:00Z")]
    [InlineData("157795987")]
    public void Time_rejects_text_without_a_date(string raw)
    {
        var time = FieldTypes.Parse("time", raw);

        time.Valid.ShouldBeFalse();
        time.Value.ShouldBeNull();
    }
}
