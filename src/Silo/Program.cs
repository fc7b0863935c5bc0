using Fleet.Api.Contracts.Json;
using Fleet.Grains;
using Fleet.Grains.Meters;
using Fleet.Grains.Security;
using Fleet.Grains.Telemetry;
using Fleet.Silo.Api;
using Fleet.Silo.Hosting;
using Fleet.Silo.Live;
using Fleet.Silo.Security;
using Fleet.Storage.Assignments;
using Fleet.Storage.Audit;
using Fleet.Storage.Boxes;
using Fleet.Storage.Energy;
using Fleet.Storage.Enrolment;
using Fleet.Storage.Experiments;
using Fleet.Storage.Export;
using Fleet.Storage.LowFrequency;
using Fleet.Storage.Migrations;
using Fleet.Storage.Retention;
using Fleet.Storage.Samples;
using Fleet.Storage.Series;
using Fleet.Storage.Tokens;
using Fleet.Trust.Certificates;
using Microsoft.AspNetCore.Authentication;
using Npgsql;
using OpenTelemetry.Metrics;
using Orleans.Configuration;

// Settings are read next to the binary, not from wherever `dotnet Fleet.Silo.dll` was started.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

// Loopback by default: a silo is exposed on a network only when someone asks for it (--urls, ASPNETCORE_URLS).
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:5080");
}

// Request bodies are small JSON documents; imports get their own, larger limits (RequestLimits).
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = RequestLimits.DefaultBodyBytes);
builder.Services.AddFleetRequestLimits();

// Settings: appsettings + environment (Fleet__*, ConnectionStrings__Fleet); never secrets in the repo.
builder.Services.AddOptions<FleetSiloOptions>().Bind(builder.Configuration.GetSection(FleetSiloOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<Fleet.Grains.Runners.RunnerOptions>().Bind(builder.Configuration.GetSection(Fleet.Grains.Runners.RunnerOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<MeterOptions>().Bind(builder.Configuration.GetSection(MeterOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
var options = builder.Configuration.GetSection(FleetSiloOptions.Section).Get<FleetSiloOptions>() ?? new FleetSiloOptions();
var connectionString = builder.Configuration.GetConnectionString("Fleet");
if (string.IsNullOrWhiteSpace(connectionString))
{
    Console.Error.WriteLine("fleet silo: no database: set ConnectionStrings__Fleet (e.g. Host=127.0.0.1;Port=5432;Username=fleet_app;Password=…;Database=fleet)");
    return 2;
}

// Trust: with the lab's certificates the cluster's ports speak mutual TLS and writers must sign;
// without them (development) the silo listens on loopback only and takes any local writer.
var tls = builder.Configuration.GetSection(TlsSettings.Section).Get<TlsSettings>() ?? new TlsSettings();
System.Security.Cryptography.X509Certificates.X509Certificate2? siloCertificate = null;
LabTrust? trust = null;
if (tls.IsConfigured)
{
    try
    {
        siloCertificate = PemFiles.LoadWithKey(
            tls.CertificateFile ?? throw new InvalidDataException("Fleet__Tls__CertificateFile is not set (fleet certs issue --silo NAME)"),
            tls.KeyFile ?? throw new InvalidDataException("Fleet__Tls__KeyFile is not set"));
        trust = new LabTrust(PemFiles.LoadCertificate(tls.CaFile ?? throw new InvalidDataException("Fleet__Tls__CaFile is not set (the lab's ca.crt)")));
        var identity = trust.Identify(siloCertificate, out var reason) ?? throw new InvalidDataException(reason);
        if (identity.Role != CertificateRole.Silo)
        {
            throw new InvalidDataException($"{tls.CertificateFile} is the certificate of {identity}, not of a silo (fleet certs issue --silo NAME)");
        }
    }
    catch (Exception error) when (error is InvalidDataException or FileNotFoundException)
    {
        Console.Error.WriteLine($"fleet silo: TLS: {error.Message}");
        return 2;
    }
}

// Storage: one data source for the process; the schema is migrated before Orleans starts.
builder.Services.AddSingleton(NpgsqlDataSource.Create(connectionString));
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<MigrationRunner>();
builder.Services.AddSingleton<SampleWriter>();
builder.Services.AddSingleton<IngestPositions>();
builder.Services.AddSingleton<BoxStore>();
builder.Services.AddSingleton<AssignmentStore>();
builder.Services.AddSingleton<EnergyQueries>();
builder.Services.AddSingleton<ExperimentStore>();
builder.Services.AddSingleton<SeriesQueries>();
builder.Services.AddSingleton<SampleReader>();
builder.Services.AddSingleton<LowFrequencyStore>();
builder.Services.AddSingleton<EnrolmentStore>();
builder.Services.AddSingleton<TokenStore>();
builder.Services.AddSingleton<AuditLog>();
builder.Services.AddSingleton<Fleet.Storage.Runs.RunLogStore>();
builder.Services.AddSingleton<Fleet.Storage.Runs.RunSampleStore>();
builder.Services.AddSingleton<Fleet.Storage.Runs.RunnerEnrolmentStore>();
builder.Services.AddSingleton<Fleet.Silo.Runs.SocketIdentificationService>();
builder.Services.AddSingleton(new ImportSigner(siloCertificate));
if (trust is not null)
{
    builder.Services.AddSingleton(trust);
    builder.Services.AddSingleton<IWriterGate, LabWriterGate>();
}
else
{
    builder.Services.AddSingleton<IWriterGate, OpenWriterGate>();
}

builder.Services.AddHostedService<MigrationService>();
builder.Services.AddSingleton<RawRetention>();
builder.Services.AddHostedService<RawRetentionService>();
builder.Services.AddSingleton<LiveView>();

// Metrics for Prometheus at /metrics: Fleet's meter, Orleans' own, the runtime and ASP.NET Core.
builder.Services.AddSingleton<FleetMetrics>();
builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
    .AddMeter(FleetMetrics.MeterName)
    .AddMeter("Microsoft.Orleans")
    .AddRuntimeInstrumentation()
    .AddAspNetCoreInstrumentation()
    .AddPrometheusExporter());

builder.UseOrleans(silo =>
{
    silo.Configure<ClusterOptions>(o =>
    {
        o.ClusterId = options.ClusterId;
        o.ServiceId = options.ServiceId;
    });
    // Failure detection is tunable (Orleans__Membership__ProbeTimeout, …): tests and small labs
    // want a dead silo declared in seconds, not Orleans' production defaults.
    silo.Services.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection("Orleans:Membership"));
    // Agents may call meters' ingest and health only; everything else is the HTTP API's.
    silo.AddIncomingGrainCallFilter<ClientCallFilter>();
    if (siloCertificate is not null && trust is not null)
    {
        ClusterTls.Configure(silo, siloCertificate, trust);
    }

    silo.AddAdoNetGrainStorage(FleetStorage.Name, o =>
    {
        o.Invariant = "Npgsql";
        o.ConnectionString = connectionString;
    });
    if (options.Clustering == ClusteringMode.AdoNet)
    {
        if (trust is null)
        {
            // Development without TLS: nothing but this host may reach the silo and gateway ports.
            silo.ConfigureEndpoints(System.Net.IPAddress.Loopback, options.SiloPort, options.GatewayPort);
        }
        else
        {
            silo.ConfigureEndpoints(options.SiloPort, options.GatewayPort);
        }

        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = "Npgsql";
            o.ConnectionString = connectionString;
        });
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = "Npgsql";
            o.ConnectionString = connectionString;
        });
    }
    else
    {
        silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
        silo.UseInMemoryReminderService();
    }
});

// The HTTP contract's JSON (Fleet.Api.Contracts): snake_case, UTC times, source-generated metadata.
// Endpoints return the contract's records; OpenAPI describes them from the same metadata.
builder.Services.ConfigureHttpJsonOptions(o => FleetJson.Configure(o.SerializerOptions));
// A body or query value that does not bind (bad JSON, socket=abc) throws BadHttpRequestException,
// which ApiExceptionMiddleware answers with a JSON error; by default only Development does that.
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddOpenApi(o => o.AddSchemaTransformer(OpenApiTimes.DescribeAsync));

// Who calls (a token, or the local admin in development) and what their role lets them do.
builder.Services.AddAuthentication(ApiTokenHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, ApiTokenHandler>(ApiTokenHandler.SchemeName, null);
builder.Services.AddAuthorization(ApiRoles.AddPolicies);
builder.Services.AddHostedService(services => new DevelopmentModeWarning(options.IsDevelopment, trust is null, services.GetRequiredService<ILogger<DevelopmentModeWarning>>()));

var app = builder.Build();
app.UseMiddleware<ApiExceptionMiddleware>();
app.UseStatusCodePages(ApiStatusCodePages.WriteAsync);
app.UseMiddleware<JsonOnlyWrites>();
app.UseRouting();
app.UseAuthentication();
app.UseMiddleware<AuditWrites>();
app.UseAuthorization();
app.UseRateLimiter();

app.MapGet("/healthz", () => Results.Text("ok"));
var metrics = app.MapPrometheusScrapingEndpoint();
if (!options.OpenMetrics)
{
    metrics.RequireAuthorization(ApiRoles.Metrics);
}

var openApi = app.MapOpenApi("/openapi/v1.json");
if (!options.OpenOpenApi)
{
    openApi.RequireAuthorization(ApiRoles.Viewer);
}

var api = app.MapGroup("/api");
ApiRoles.RequireRoles(api);
api.MapBoxes();
api.MapMachines();
api.MapExperiments();
api.MapSubmissions();
api.MapRunners();
api.MapSilos();
api.MapLive();
api.MapEnergy();
api.MapSeries();
api.MapExport();
api.MapImport();
api.MapTokens();
api.MapAgents();
api.MapAudit();

await app.RunAsync().ConfigureAwait(false);
return 0;
