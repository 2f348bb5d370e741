using PluggableFlows.Sdk;

namespace PluggableFlows.Plugins.Phone.Tests;

public sealed class PhoneVerifyTests
{
    private static async Task<IntegrationResult> Verify(object? phone, string? region = null)
    {
        var values = new Dictionary<string, object?> { ["phone"] = phone };
        if (region is not null)
        {
            values["region"] = region;
        }

        using var http = new HttpClient();
        return await new PhoneVerify().HandleAsync(new IntegrationContext(new IntegrationInput(values), http, TimeProvider.System),
            CancellationToken.None);
    }

    // What libphonenumber 9.0 really says: the North American plan does not tell mobiles from landlines.
    [Theory]
    [InlineData("(512) 789-1111", "fixed_line_or_mobile", "US", "+15127891111", "(512) 789-1111", 1)]
    [InlineData("512.789.1111", "fixed_line_or_mobile", "US", "+15127891111", "(512) 789-1111", 1)]
    [InlineData("1-800-555-1212", "toll_free", "US", "+18005551212", "(800) 555-1212", 1)]
    [InlineData("888 555 1212", "toll_free", "US", "+18885551212", "(888) 555-1212", 1)]
    [InlineData("900-555-1212", "premium_rate", "US", "+19005551212", "(900) 555-1212", 1)]
    [InlineData("500-555-0006", "personal_number", "US", "+15005550006", "(500) 555-0006", 1)]
    [InlineData("(416) 555-0199", "fixed_line_or_mobile", "CA", "+14165550199", "(416) 555-0199", 1)]
    [InlineData("+44 7400 123456", "mobile", "GB", "+447400123456", "07400 123456", 44)]
    [InlineData("+44 20 7946 0000", "fixed_line", "GB", "+442079460000", "020 7946 0000", 44)]
    [InlineData("+44 56 1234 5678", "voip", "GB", "+445612345678", "056 1234 5678", 44)]
    [InlineData("+44 800 123 4567", "toll_free", "GB", "+448001234567", "0800 123 4567", 44)]
    [InlineData("+33 6 12 34 56 78", "mobile", "FR", "+33612345678", "06 12 34 56 78", 33)]
    [InlineData("+61 2 9876 5432", "fixed_line", "AU", "+61298765432", "(02) 9876 5432", 61)]
    public async Task Valid_numbers_append_line_type_region_and_formats(string phone, string lineType, string region, string e164,
        string national, int callingCode)
    {
        var result = await Verify(phone);

        result.Outcome.ShouldBe(Outcome.Success);
        result.Appended["valid"].ShouldBe(true);
        result.Appended["line_type"].ShouldBe(lineType);
        result.Appended["region"].ShouldBe(region);
        result.Appended["e164"].ShouldBe(e164);
        result.Appended["national"].ShouldBe(national);
        result.Appended["country_calling_code"].ShouldBe(callingCode);
    }

    [Theory]
    [InlineData("555-123-4567")]
    [InlineData("123")]
    [InlineData("512-789-111")]
    [InlineData("not a phone")]
    [InlineData("+999 1234 5678")]
    public async Task Invalid_numbers_are_a_failure(string phone)
    {
        var result = await Verify(phone);

        result.Outcome.ShouldBe(Outcome.Failure);
        result.Reason.ShouldBe("Invalid phone number");
        result.Appended["valid"].ShouldBe(false);
        result.Appended["e164"].ShouldBeNull();
        result.Appended["line_type"].ShouldBe("unknown");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task A_blank_number_is_skipped(string? phone)
    {
        var result = await Verify(phone);

        result.Outcome.ShouldBe(Outcome.Skip);
    }

    [Fact]
    public async Task A_blank_phone_field_is_skipped()
    {
        var result = await Verify(new FieldValue("phone", "  ", "", null, valid: false));

        result.Outcome.ShouldBe(Outcome.Skip);
    }

    [Theory]
    [InlineData("07400 123456", "GB", "mobile", "+447400123456")]
    [InlineData("020 7946 0000", "gb", "fixed_line", "+442079460000")]
    [InlineData("06 12 34 56 78", "FR", "mobile", "+33612345678")]
    public async Task The_region_input_reads_national_numbers_of_that_country(string phone, string region, string lineType, string e164)
    {
        var result = await Verify(phone, region);

        result.Outcome.ShouldBe(Outcome.Success);
        result.Appended["line_type"].ShouldBe(lineType);
        result.Appended["e164"].ShouldBe(e164);
    }

    [Fact]
    public async Task A_national_UK_number_is_invalid_in_the_default_US_region()
    {
        var result = await Verify("07400 123456");

        result.Outcome.ShouldBe(Outcome.Failure);
    }

    [Fact]
    public async Task An_unknown_region_is_an_error_naming_it()
    {
        var result = await Verify("5127891111", "XX");

        result.Outcome.ShouldBe(Outcome.Error);
        result.Reason.ShouldNotBeNull().ShouldContain("'XX'");
    }

    [Fact]
    public async Task A_valid_phone_field_is_read_by_its_calling_code_and_normal_digits()
    {
        // As the engine's phone type parses "+44 7400 123456 m": normal is the national significant number.
        var field = new FieldValue("phone", "+44 7400 123456 m", "7400123456", "7400123456", valid: true,
            new Dictionary<string, object?> { ["country_code"] = "GB", ["country_calling_code"] = 44, ["type"] = "mobile" });

        var result = await Verify(field);

        result.Outcome.ShouldBe(Outcome.Success);
        result.Appended["e164"].ShouldBe("+447400123456");
        result.Appended["line_type"].ShouldBe("mobile");
    }

    [Fact]
    public async Task A_phone_field_with_an_extension_keeps_it_out_of_the_national_format()
    {
        var field = new FieldValue("phone", "512-789-1111 x23", "5127891111x23", "5127891111x23", valid: true,
            new Dictionary<string, object?> { ["country_code"] = "US", ["country_calling_code"] = 1, ["extension"] = "23" });

        var result = await Verify(field);

        result.Appended["national"].ShouldBe("(512) 789-1111");
        result.Appended["e164"].ShouldBe("+15127891111");
    }

    [Fact]
    public async Task An_invalid_phone_field_is_read_again_from_what_was_sent_in_the_given_region()
    {
        var field = new FieldValue("phone", "07400 123456", "07400 123456", null, valid: false,
            new Dictionary<string, object?> { ["country_calling_code"] = 1 });

        (await Verify(field)).Outcome.ShouldBe(Outcome.Failure);
        (await Verify(field, "GB")).Outcome.ShouldBe(Outcome.Success);
    }

    [Fact]
    public void The_descriptor_is_an_add_on_with_a_price_and_no_credentials()
    {
        var descriptor = new PhoneVerify().Descriptor;

        descriptor.Id.ShouldBe("phone.verify");
        descriptor.Class.ShouldBe(IntegrationClass.AddOn);
        descriptor.CostPerTransaction.ShouldBeGreaterThan(0m);
        descriptor.Credentials.ShouldBeEmpty();
    }

    [Fact]
    public async Task Every_appended_field_is_declared()
    {
        var declared = new PhoneVerify().Descriptor.ResponseVariables.Select(v => v.Name).ToHashSet();

        (await Verify("5127891111")).Appended.Keys.ShouldBeSubsetOf(declared);
        (await Verify("555-123-4567")).Appended.Keys.ShouldBeSubsetOf(declared);
    }

    [Fact]
    public async Task A_cancelled_call_throws_before_doing_anything()
    {
        using var http = new HttpClient();
        var context = new IntegrationContext(new IntegrationInput(new Dictionary<string, object?> { ["phone"] = "5127891111" }), http,
            TimeProvider.System);

        await Should.ThrowAsync<OperationCanceledException>(() => new PhoneVerify().HandleAsync(context, new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task The_conformance_samples_give_their_expected_outcomes_and_values()
    {
        foreach (var sample in new PhoneVerify().Samples)
        {
            var result = await Verify(sample.Inputs["phone"]);

            result.Outcome.ShouldBe(sample.ExpectedOutcome, sample.Name);
            foreach (var (name, expected) in sample.ExpectedAppended)
            {
                Text(result.Appended[name]).ShouldBe(expected, $"{sample.Name}: {name}");
            }
        }
    }

    private static string? Text(object? value) => value switch
    {
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value?.ToString(),
    };
}
