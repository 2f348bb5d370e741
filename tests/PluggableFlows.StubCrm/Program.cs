// The stub CRM the load test delivers to: POST /leads → 200 {"result":"accepted","id":"<n>"}. It does as little as it can
// (no logging, no body parsing beyond draining it) so the measured time is the engine's, not the stub's.
// Run: dotnet PluggableFlows.StubCrm.dll --urls http://127.0.0.1:5090
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
var app = builder.Build();

long accepted = 0;
app.MapPost("/leads", async (HttpContext context) =>
{
    await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
    var id = Interlocked.Increment(ref accepted);
    context.Response.ContentType = "application/json";
    await context.Response.WriteAsync($$"""{"result":"accepted","id":"{{id}}"}""", context.RequestAborted);
});
app.MapGet("/leads/count", () => Interlocked.Read(ref accepted));

await app.RunAsync();
