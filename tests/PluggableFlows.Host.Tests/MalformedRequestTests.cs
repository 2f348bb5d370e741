using System.Net;
using System.Text;
using static PluggableFlows.Host.Tests.LeadServerFixture;

namespace PluggableFlows.Host.Tests;

/// <summary>Bodies the server cannot read get the right 4xx with a reason, and the server keeps serving.</summary>
[Collection(LeadServerCollection.Name)]
public sealed class MalformedRequestTests(LeadServerFixture server)
{
    public static TheoryData<string, byte[], string?, HttpStatusCode, string> Cases => new()
    {
        { "truncated JSON", """{"first_name":"Ada","email":"ada@exa"""u8.ToArray(), "application/json", HttpStatusCode.BadRequest, "Malformed JSON" },
        { "10,000-deep nesting", Deep(10_000), "application/json", HttpStatusCode.BadRequest, "depth of 64" },
        { "invalid UTF-8", [.. "{\"first_name\":\""u8, 0xC3, 0x28, .. "\"}"u8], "application/json", HttpStatusCode.BadRequest, "UTF-8" },
        { "invalid UTF-8 in a form", [.. "first_name="u8, 0xFF, 0xFE], "application/x-www-form-urlencoded", HttpStatusCode.BadRequest, "UTF-8" },
        { "duplicate keys", """{"first_name":"Ada","first_name":"Eve"}"""u8.ToArray(), "application/json", HttpStatusCode.BadRequest, "first_name" },
        { "a JSON array", """[{"first_name":"Ada"}]"""u8.ToArray(), "application/json", HttpStatusCode.BadRequest, "not an array" },
        { "a JSON string", "\"Ada\""u8.ToArray(), "application/json", HttpStatusCode.BadRequest, "not a string" },
        { "empty body", [], "application/json", HttpStatusCode.BadRequest, "no lead" },
        { "malformed XML", "<lead><first_name>Ada</lead>"u8.ToArray(), "application/xml", HttpStatusCode.BadRequest, "Malformed XML" },
        { "XML with a DTD", "<!DOCTYPE lead [<!ENTITY x \"y\">]><lead><first_name>&x;</first_name></lead>"u8.ToArray(), "application/xml", HttpStatusCode.BadRequest, "DTD" },
        { "deep XML", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("<a>", 100)) + string.Concat(Enumerable.Repeat("</a>", 100))), "text/xml", HttpStatusCode.BadRequest, "deeper than 64" },
        { "wrong content type", """{"first_name":"Ada"}"""u8.ToArray(), "text/plain", HttpStatusCode.UnsupportedMediaType, "text/plain" },
        { "a charset other than UTF-8", """{"first_name":"Ada"}"""u8.ToArray(), "application/json; charset=iso-8859-1", HttpStatusCode.UnsupportedMediaType, "iso-8859-1" },
        { "a body without a content type", """{"first_name":"Ada"}"""u8.ToArray(), null, HttpStatusCode.UnsupportedMediaType, "no Content-Type" },
        { "a 1 MB field", Encoding.UTF8.GetBytes($$"""{"first_name":"{{new string('x', 1024 * 1024)}}"}"""), "application/json", HttpStatusCode.RequestEntityTooLarge, "larger than" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Malformed_request_gets_its_4xx_with_a_reason_and_the_server_stays_healthy(string @case, byte[] body, string? contentType,
        HttpStatusCode expected, string reason)
    {
        using var request = Submit(Bytes(body, contentType));
        // As a well-behaved client of a server with a body limit does: wait for "100 Continue" before sending the
        // body, so a body the server refuses outright (413 on its Content-Length) is not written into a closed connection.
        request.Headers.ExpectContinue = true;
        using (var response = await server.Client.SendAsync(request))
        {
            response.StatusCode.ShouldBe(expected, @case);
            (await SubmitTests.Error(response)).ShouldContain(reason, Case.Insensitive, @case);
        }

        await ShouldStillServe();
    }

    [Fact]
    public async Task Body_over_the_limit_without_a_content_length_is_413()
    {
        using (var response = await server.Client.SendAsync(Submit(new ChunkedContent(new byte[2 * 1024 * 1024], "application/json"))))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        }

        await ShouldStillServe();
    }

    [Fact]
    public async Task Body_just_under_the_limit_is_accepted()
    {
        var body = Encoding.UTF8.GetBytes($$"""{"first_name":"Ada","comments":"{{new string('x', 1000 * 1000)}}"}""");
        using var response = await server.Client.SendAsync(Submit(Bytes(body, "application/json")));

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Nesting_up_to_the_limit_is_accepted()
    {
        using var response = await server.Client.SendAsync(Submit(Bytes(Deep(63), "application/json")));

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    private async Task ShouldStillServe()
    {
        using var response = await server.Client.SendAsync(Submit(Json("""{"first_name":"Ada"}""")));
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    // {"a":{"a":…{"a":1}…}} with `depth` objects.
    private static byte[] Deep(int depth) =>
        Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth));

    /// <summary>A body sent chunked, with no Content-Length, so the server only learns its size by reading it.</summary>
    private sealed class ChunkedContent : HttpContent
    {
        private readonly byte[] _body;

        public ChunkedContent(byte[] body, string contentType)
        {
            _body = body;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < _body.Length; offset += 16 * 1024)
            {
                await stream.WriteAsync(_body.AsMemory(offset, Math.Min(16 * 1024, _body.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
