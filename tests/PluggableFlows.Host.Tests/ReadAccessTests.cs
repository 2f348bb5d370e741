using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using PluggableFlows.Host.Api;
using static PluggableFlows.Host.Tests.LeadServerFixture;

namespace PluggableFlows.Host.Tests;

/// <summary>The read APIs show leads' personal data: an admin key when one is set, this machine only when not.</summary>
[Collection(LeadServerCollection.Name)]
public sealed class ReadAccessTests(LeadServerFixture server)
{
    private const string AdminKey = "admin-key-for-tests";

    [Fact]
    public async Task With_an_admin_key_set_the_read_apis_need_it_and_health_does_not()
    {
        var (app, address) = await StartAsync(new Dictionary<string, string?>
        {
            ["PluggableFlows:FlowsPath"] = Path.Combine(server.Root, "scripts", "flows"),
            ["PluggableFlows:DataPath"] = Path.Combine(server.Root, "data-admin"),
            ["PluggableFlows:AdminApiKey"] = AdminKey,
        });
        await using (app)
        {
            using var client = CreateClient(address);

            (await client.GetAsync("/events")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            (await client.GetAsync("/leads/x")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            (await Get(client, "/events", new AuthenticationHeaderValue("Bearer", "wrong"))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            (await Get(client, "/events", new AuthenticationHeaderValue("Bearer", AdminKey))).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await Get(client, "/events", Basic("API", AdminKey))).StatusCode.ShouldBe(HttpStatusCode.OK);
            using var withHeader = new HttpRequestMessage(HttpMethod.Get, "/events");
            withHeader.Headers.Add("X-Api-Key", AdminKey);
            (await client.SendAsync(withHeader)).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await client.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task Without_an_admin_key_a_caller_from_another_machine_is_refused_with_the_reason()
    {
        var filter = new ReadAccess(Options.Create(new LeadServerOptions()));
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("192.0.2.10");
        context.Response.Body = new MemoryStream();
        (await filter.AllowAsync(context)).ShouldBeFalse();
        context.Response.StatusCode.ShouldBe(StatusCodes.Status403Forbidden);
        context.Response.Body.Position = 0;
        (await new StreamReader(context.Response.Body).ReadToEndAsync()).ShouldContain("AdminApiKey");
    }

    [Fact]
    public async Task Without_an_admin_key_a_caller_on_this_machine_is_served()
    {
        using var response = await server.Client.GetAsync("/events?limit=1");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static async Task<HttpResponseMessage> Get(HttpClient client, string path, AuthenticationHeaderValue authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = authorization;
        return await client.SendAsync(request);
    }
}
