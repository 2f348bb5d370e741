using System.Text;
using System.Text.Json;
using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.TrustedForm.Tests;

public sealed class TrustedFormVerifyTests
{
    private const string CertId = "0123456789abcdef0123456789abcdef01234567";
    private const string CertUrl = "https://cert.trustedform.com/" + CertId;
    private const string Key = "tf-live-key-s3cr3t-98765";

    private readonly TrustedFormVerify _integration = new();

    private static IntegrationInput Input(object? certUrl = null, string? key = Key, string? baseUrl = null, string? reference = null)
    {
        var values = new Dictionary<string, object?> { ["cert_url"] = certUrl ?? CertUrl };
        if (baseUrl is not null)
        {
            values["base_url"] = baseUrl;
        }

        if (reference is not null)
        {
            values["reference"] = reference;
        }

        return new IntegrationInput(values, key is null ? null : new Dictionary<string, string> { ["api_key"] = key });
    }

    private IntegrationResult Answer(int status, string body, IntegrationInput? input = null)
    {
        input ??= Input();
        var request = _integration.BuildRequest(input);
        return _integration.ParseResponse(input, request, new IntegrationResponse { StatusCode = status, Body = body, ContentType = "application/json" });
    }

    private static string Certificate(string outcome, string? reason = null) => JsonSerializer.Serialize(new
    {
        outcome,
        reason,
        cert = new { cert_id = CertId, created_at = "2025-03-01T06:58:00-05:00", expires_at = "2025-05-30T11:58:00Z", age_seconds = 120 },
    });

    [Fact]
    public void The_request_posts_to_the_certificate_with_basic_auth_as_user_API()
    {
        var request = _integration.BuildRequest(Input(reference: "lead-42"));

        request.Method.ShouldBe("POST");
        request.Url.ShouldBe(new Uri(CertUrl));
        request.ContentType.ShouldBe("application/json");
        JsonDocument.Parse(request.Body!).RootElement.GetProperty("reference").GetString().ShouldBe("lead-42");
        var authorization = request.Headers.Single(h => h.Key == "Authorization").Value;
        authorization.ShouldStartWith("Basic ");
        Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..])).ShouldBe("API:" + Key);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000/" + CertId)]
    [InlineData("http://127.0.0.1:5000/", "http://127.0.0.1:5000/" + CertId)]
    [InlineData("https://stub.example/trustedform/", "https://stub.example/trustedform/" + CertId)]
    public void The_base_url_replaces_TrustedForms_own(string baseUrl, string url)
    {
        _integration.BuildRequest(Input(baseUrl: baseUrl)).Url.ShouldBe(new Uri(url));
    }

    [Theory]
    [InlineData("https://cert.trustedform.com/0123456789ABCDEF0123456789abcdef01234567")]
    [InlineData("http://cert.trustedform.com/0123456789abcdef0123456789abcdef01234567?shared_token=x")]
    [InlineData("https://ping.trustedform.com/0123456789abcdef0123456789abcdef01234567")]
    public void The_certificate_id_is_read_from_any_form_of_certificate_url(string url)
    {
        _integration.Validate(Input(url)).ShouldBeNull();
        _integration.BuildRequest(Input(url)).Url.AbsolutePath.ShouldBe("/" + CertId);
    }

    [Fact]
    public void A_trustedform_url_field_gives_its_certificate_id()
    {
        var field = new FieldValue("trustedform_url", CertUrl.ToUpperInvariant(), CertUrl, CertUrl, valid: true,
            new Dictionary<string, object?> { ["cert_id"] = CertId });

        _integration.BuildRequest(Input(field)).Url.ShouldBe(new Uri(CertUrl));
    }

    [Theory]
    [InlineData("", "No TrustedForm certificate URL")]
    [InlineData("https://example.com/0123456789abcdef0123456789abcdef01234567", "not a TrustedForm certificate URL")]
    [InlineData("https://cert.trustedform.com/1234", "not a TrustedForm certificate URL")]
    public void A_missing_or_foreign_url_is_skipped(string url, string reason)
    {
        _integration.Validate(new IntegrationInput(new Dictionary<string, object?> { ["cert_url"] = url })).ShouldNotBeNull().ShouldContain(reason);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://stub.example")]
    public void A_base_url_that_is_not_http_is_skipped_with_a_reason(string baseUrl)
    {
        _integration.Validate(Input(baseUrl: baseUrl)).ShouldNotBeNull().ShouldContain("base_url");
    }

    [Fact]
    public void A_valid_certificate_is_a_success_appending_its_age_and_dates()
    {
        var result = Answer(200, Certificate("success"));

        result.Outcome.ShouldBe(Outcome.Success);
        result.Appended["status"].ShouldBe("valid");
        result.Appended["age_seconds"].ShouldBe(120L);
        result.Appended["created_at"].ShouldBe("2025-03-01T11:58:00Z");
        result.Appended["expires_at"].ShouldBe("2025-05-30T11:58:00Z");
        result.Appended["cert_id"].ShouldBe(CertId);
    }

    // The status mapping is the spec: what TrustedForm answered → the step's outcome, status and reason.
    [Theory]
    [InlineData(200, "success", Outcome.Success, "valid", null)]
    [InlineData(200, "SUCCESS", Outcome.Success, "valid", null)]
    [InlineData(200, "expired", Outcome.Failure, "expired", "TrustedForm certificate expired: Certificate too old")]
    [InlineData(200, "failure", Outcome.Failure, "unknown", "TrustedForm could not verify the certificate: Certificate too old")]
    [InlineData(200, "not_found", Outcome.Failure, "unknown", "TrustedForm could not verify the certificate: Certificate too old")]
    [InlineData(201, "success", Outcome.Success, "valid", null)]
    public void Certificate_outcomes_map_to_step_outcomes(int status, string outcome, Outcome expected, string certStatus, string? reason)
    {
        var result = Answer(status, Certificate(outcome, outcome.Equals("success", StringComparison.OrdinalIgnoreCase) ? null : "Certificate too old"));

        result.Outcome.ShouldBe(expected);
        result.Appended["status"].ShouldBe(certStatus);
        result.Reason.ShouldBe(reason);
    }

    [Theory]
    [InlineData(404, """{"message":"Certificate not found"}""", Outcome.Failure, "unknown")]
    [InlineData(404, "", Outcome.Failure, "unknown")]
    [InlineData(410, "", Outcome.Failure, "expired")]
    [InlineData(400, """{"message":"Invalid certificate id"}""", Outcome.Failure, "unknown")]
    [InlineData(422, "<html>nope</html>", Outcome.Failure, "unknown")]
    public void Provider_rejections_are_failures_with_a_status(int status, string body, Outcome expected, string certStatus)
    {
        var result = Answer(status, body);

        result.Outcome.ShouldBe(expected);
        result.Appended["status"].ShouldBe(certStatus);
        result.Appended["cert_id"].ShouldBe(CertId);
        result.Reason.ShouldNotBeNullOrWhiteSpace();
    }

    [Theory]
    [InlineData(401, "TrustedForm rejected the API key")]
    [InlineData(403, "TrustedForm rejected the API key")]
    [InlineData(429, "rate limit")]
    [InlineData(500, "HTTP 500")]
    [InlineData(502, "HTTP 502")]
    [InlineData(503, "HTTP 503")]
    [InlineData(302, "HTTP 302")]
    public void Call_failures_are_errors(int status, string reason)
    {
        var result = Answer(status, """{"message":"whatever"}""");

        result.Outcome.ShouldBe(Outcome.Error);
        result.Reason.ShouldNotBeNull().ShouldContain(reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not json")]
    [InlineData("{\"outcome\":")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"outcome\":42}")]
    [InlineData("null")]
    [InlineData("<html><body>Service Unavailable</body></html>")]
    public void A_malformed_200_body_is_an_error(string body)
    {
        var result = Answer(200, body);

        result.Outcome.ShouldBe(Outcome.Error);
    }

    [Theory]
    [InlineData("""{"outcome":"success","cert":"oops"}""")]
    [InlineData("""{"outcome":"success","cert":{"age_seconds":"120","created_at":12,"expires_at":"someday","cert_id":"short"}}""")]
    [InlineData("""{"outcome":"success","cert":{"age_seconds":-5}}""")]
    [InlineData("""{"outcome":"success","cert":{"age_seconds":1e300}}""")]
    public void Odd_certificate_details_are_left_out_rather_than_thrown_on(string body)
    {
        var result = Answer(200, body);

        result.Outcome.ShouldBe(Outcome.Success);
        result.Appended["age_seconds"].ShouldBeNull();
        result.Appended["created_at"].ShouldBeNull();
        result.Appended["cert_id"].ShouldBe(CertId);
    }

    [Fact]
    public void A_missing_api_key_is_an_error_naming_the_credential()
    {
        var input = Input(key: null);

        var request = _integration.BuildRequest(input);
        var result = _integration.ParseResponse(input, request, new IntegrationResponse { StatusCode = 200, Body = Certificate("success") });

        request.Headers.ShouldNotContain(h => h.Key == "Authorization");
        result.Outcome.ShouldBe(Outcome.Error);
        result.Reason.ShouldNotBeNull().ShouldContain("api_key");
    }

    [Fact]
    public void The_key_never_appears_in_a_reason_even_when_the_provider_echoes_it()
    {
        var result = Answer(400, $$"""{"message":"Key {{Key}} is not allowed to claim"}""");
        var expired = Answer(200, Certificate("expired", "expired for " + Key));

        result.Reason.ShouldNotBeNull().ShouldNotContain(Key);
        expired.Reason.ShouldNotBeNull().ShouldNotContain(Key);
    }

    [Fact]
    public void Every_appended_field_is_declared_and_the_descriptor_is_byoc()
    {
        var descriptor = _integration.Descriptor;
        var declared = descriptor.ResponseVariables.Select(v => v.Name).ToHashSet();

        Answer(200, Certificate("success")).Appended.Keys.ShouldBe(declared, ignoreOrder: true);
        Answer(404, "").Appended.Keys.ShouldBe(declared, ignoreOrder: true);
        descriptor.Class.ShouldBe(IntegrationClass.Byoc);
        descriptor.CostPerTransaction.ShouldBe(0m);
        descriptor.Credentials.ShouldHaveSingleItem().ShouldBe(new CredentialDescriptor("api_key", descriptor.Credentials[0].Description, Required: true));
    }

    [Fact]
    public void The_conformance_samples_give_their_expected_outcomes_and_values()
    {
        foreach (var sample in _integration.Samples)
        {
            var input = new IntegrationInput(sample.Inputs.ToDictionary(p => p.Key, p => (object?)p.Value), sample.Credentials);
            _integration.Validate(input).ShouldBeNull(sample.Name);

            var result = _integration.ParseResponse(input, _integration.BuildRequest(input), sample.Response!);

            result.Outcome.ShouldBe(sample.ExpectedOutcome, sample.Name);
            foreach (var (name, expected) in sample.ExpectedAppended)
            {
                Convert.ToString(result.Appended[name], System.Globalization.CultureInfo.InvariantCulture).ShouldBe(expected, $"{sample.Name}: {name}");
            }
        }
    }
}
