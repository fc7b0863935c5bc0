var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();

// Liveness only for now: the grains, storage and API arrive with the cluster core.
app.MapGet("/healthz", () => Results.Text("ok"));

await app.RunAsync().ConfigureAwait(false);
