using System.Net;
using static PluggableFlows.Host.Tests.LeadServerFixture;

namespace PluggableFlows.Host.Tests;

/// <summary>Per-source keys: HTTP Basic (user API) or X-Api-Key, from the environment or a secret file.</summary>
[Collection(LeadServerCollection.Name)]
public sealed class AuthenticationTests(LeadServerFixture server)
{
    private static HttpContent Lead() => Json("""{"first_name":"Ada"}""");

    [Theory]
    [InlineData("vendor", EnvKey)]
    [InlineData("web", FileKey)]
    public async Task X_Api_Key_header_authenticates(string source, string key)
    {
        using var response = await server.Client.SendAsync(Submit(Lead(), source, key));

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("vendor", "API", EnvKey)]
    [InlineData("web", "API", FileKey)]
    [InlineData("vendor", "api", EnvKey)]
    public async Task Basic_with_user_API_and_the_key_as_password_authenticates(string source, string user, string key)
    {
        using var request = Submit(Lead(), source, key: null);
        request.Headers.Authorization = Basic(user, key);
        using var response = await server.Client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Wrong_key_is_401_with_no_detail()
    {
        using var response = await server.Client.SendAsync(Submit(Lead(), key: EnvKey + "x"));

        await ShouldBeUnauthorized(response);
    }

    [Fact]
    public async Task Another_sources_key_is_401()
    {
        using var response = await server.Client.SendAsync(Submit(Lead(), source: "web", key: EnvKey));

        await ShouldBeUnauthorized(response);
    }

    [Fact]
    public async Task Missing_key_is_401()
    {
        using var response = await server.Client.SendAsync(Submit(Lead(), key: null));

        await ShouldBeUnauthorized(response);
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("")]
    public async Task Basic_with_another_user_is_401(string user)
    {
        using var request = Submit(Lead(), key: null);
        request.Headers.Authorization = Basic(user, EnvKey);
        using var response = await server.Client.SendAsync(request);

        await ShouldBeUnauthorized(response);
    }

    [Fact]
    public async Task Basic_with_a_malformed_credential_is_401()
    {
        using var request = Submit(Lead(), key: null);
        request.Headers.TryAddWithoutValidation("Authorization", "Basic not-base64!");
        using var response = await server.Client.SendAsync(request);

        await ShouldBeUnauthorized(response);
    }

    [Fact]
    public async Task Source_without_an_api_key_is_refused_unless_anonymous_sources_are_allowed()
    {
        using var response = await server.Client.SendAsync(Submit(Lead(), source: "open", key: null));

        await ShouldBeUnauthorized(response);
    }

    [Fact]
    public async Task Unauthorized_requests_are_refused_before_the_body_is_read()
    {
        using var response = await server.Client.SendAsync(Submit(Bytes("{"u8.ToArray(), "text/plain"), key: "wrong"));

        await ShouldBeUnauthorized(response);
    }

    private static async Task ShouldBeUnauthorized(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ShouldHaveSingleItem().Scheme.ShouldBe("Basic");
        (await response.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
    }
}
