// The stub CRM: stands in for every recipient of the sample flows and of the load test, answering as each does.
//   POST /leads                                                    → 200 {"result":"accepted","id":"<n>"} (the load test's CRM)
//   POST /servlet/servlet.WebToLead                                 → 200, an empty page (Salesforce Web-to-Lead)
//   POST /submissions/v3/integration/submit/{portal}/{form}         → 200 {"inlineMessage":…} (HubSpot Forms)
//   POST /web2campaign/AddToList                                    → 200, Five9's result page with F9errCode 0
//   POST /flows/{flow}/sources/{source}/submit                      → 201 {"outcome":"success",…} (a LeadConduit-style flow)
//   GET  /leads/count                                               → how many requests it has taken
// It does as little as it can (no logging, no body parsing beyond draining it) so the measured time is the engine's.
// Run: dotnet run --project tests/PluggableFlows.StubCrm -- --urls http://127.0.0.1:5090
//
// It shares the load test's two cores with the host and wrk, so it runs lean: socket completions inline (its handlers
// never block) and, in its runtimeconfig, no thread-pool spinning, as the host does (docs/server.md).
if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS")))
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
var app = builder.Build();

long taken = 0;

app.MapPost("/leads", (HttpContext context) =>
    AnswerAsync(context, StatusCodes.Status200OK, "application/json", id => $$"""{"result":"accepted","id":"{{id}}"}"""));

app.MapPost("/servlet/servlet.WebToLead", (HttpContext context) =>
    AnswerAsync(context, StatusCodes.Status200OK, "text/html", _ => ""));

app.MapPost("/submissions/v3/integration/submit/{portal}/{form}", (HttpContext context) =>
    AnswerAsync(context, StatusCodes.Status200OK, "application/json", _ => """{"inlineMessage":"Thanks for submitting the form."}"""));

app.MapPost("/web2campaign/AddToList", (HttpContext context) =>
    AnswerAsync(context, StatusCodes.Status200OK, "text/html", _ => """
        <HTML><BODY><FORM NAME="Five9Results">
        <INPUT TYPE="hidden" NAME="F9errCode" VALUE="0">
        <INPUT TYPE="hidden" NAME="F9errDesc" VALUE="The request was successfully processed">
        </FORM></BODY></HTML>
        """));

app.MapPost("/flows/{flow}/sources/{source}/submit", (HttpContext context) =>
    AnswerAsync(context, StatusCodes.Status201Created, "application/json",
        id => $$"""{"outcome":"success","reason":null,"lead":{"id":"stub-{{id}}"},"price":12.5}"""));

app.MapGet("/leads/count", () => Interlocked.Read(ref taken));

await app.RunAsync();

async Task AnswerAsync(HttpContext context, int status, string contentType, Func<long, string> body)
{
    await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
    var id = Interlocked.Increment(ref taken);
    context.Response.StatusCode = status;
    context.Response.ContentType = contentType;
    await context.Response.WriteAsync(body(id), context.RequestAborted);
}
