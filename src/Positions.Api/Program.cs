using JasperFx;
using Microsoft.AspNetCore.Authentication;
using Positions.Api.Auth;
using Positions.Api.Hosting;
using Positions.Api.Positions;
using Positions.Api.Shared;
using Positions.Api.Statements.Importing;
using Positions.Api.Statements.Writing;
using Positions.Api.Storage;
using Positions.Api.Web;
using Positions.Api.Webhooks;
using Wolverine;
using Wolverine.Http;

// A container's health check: no host, no database, just one request.
if (args is ["probe", var probeUrl]) return await HealthProbe.RunAsync(probeUrl);

var builder = WebApplication.CreateBuilder(args);
// The one-shot commands start the host for its database and schema but must not take the service's port.
var oneShot = args is ["seed", ..] or ["import", _, ..] or ["rebuild"] or ["migrate"];
// Migrating prepares the database for the instances; loading seeds is theirs to decide.
if (args is ["migrate"]) builder.Configuration["Positions:Seed"] = "false";
if (oneShot)
{
    builder.WebHost.UseUrls("http://127.0.0.1:0");
    // stdout carries the command's report; the log goes to stderr, warnings and worse only.
    builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning)
        .AddFilter("Positions", LogLevel.Warning);
}
else if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls("http://localhost:5080");
SecretRedaction.RedactForDescribe(builder.Configuration, args);

var database = await DatabaseChoice.ResolveAsync(builder, args);
var connectionString = database.ConnectionString;
builder.Services.AddSingleton(database);
builder.Services.AddPositionsStore(connectionString, builder.Configuration.GetValue("Positions:ReadFromReplicas", false));
builder.AddPositionsTelemetry();
builder.Services.AddHostedService<ReadModelsUpgrade>();
// One clock for every instance: the database's (transaction times are read from it; "now" follows it).
builder.Services.AddSingleton<DatabaseClock>();
builder.Services.AddSingleton<TimeProvider>(services => services.GetRequiredService<DatabaseClock>());
builder.Services.AddHostedService<DatabaseClockSync>();
builder.Services.AddSingleton<ShiftFeed>();
builder.Services.AddHostedService(services => services.GetRequiredService<ShiftFeed>());
builder.Services.AddSingleton<BackgroundOwner>();
builder.Services.AddHostedService(services => services.GetRequiredService<BackgroundOwner>());
// Registered before the seeds: hosted services stop in reverse order, so the writer drains after everyone using it.
builder.Services.AddSingleton<StatementWriter>();
builder.Services.AddHostedService(services => services.GetRequiredService<StatementWriter>());
builder.Services.AddSingleton<SeedLoader>();
builder.Services.AddSingleton<StatementImporter>();
builder.Services.AddSingleton<ReadModelRebuild>();
builder.Services.AddSingleton<EventPages>();
builder.Services.AddHostedService<SeedOnStartup>();
builder.Services.AddSingleton<WebhookSettings>();
builder.Services.AddSingleton<WebhookSender>();
if (!oneShot)
{
    // Deliveries are the service's to make: a one-shot command's writes are dispatched by the instances.
    builder.Services.AddHostedService<WebhookDispatcher>();
    builder.Services.AddHostedService<StartupBanner>();
}

builder.Services.ConfigureHttpJsonOptions(o => PositionsJson.Configure(o.SerializerOptions));
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemDetailsHygiene.Apply);
builder.Services.AddExceptionHandler<ExceptionToProblem>();

builder.Services.AddSingleton<ApiKeys>();
builder.Services.AddAuthentication(ApiKeyAuthentication.SchemeName)
    .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
builder.Services.AddAuthorization();
builder.Services.AddPositionsLimits(builder.Configuration, new Npgsql.NpgsqlConnectionStringBuilder(connectionString).MaxPoolSize);

builder.Host.UseWolverine(opts =>
{
    opts.ApplicationAssembly = typeof(Program).Assembly;
    // Endpoint adapters are generated ahead of time (`dotnet run -- codegen write`, Internal/Generated): a fast start
    // without a compiler. GeneratedCodeTests fails when the committed code no longer matches the endpoints.
    opts.CodeGeneration.TypeLoadMode = JasperFx.CodeGeneration.TypeLoadMode.Static;
    opts.Policies.AutoApplyTransactions();
    // Webhook deliveries live in the durable inbox (PostgreSQL, beside Marten's tables) from the dispatcher's
    // transaction until a receiver takes them: kept across restarts, retried on the schedule their handler sets.
    opts.PublishMessage<DeliverWebhook>().ToLocalQueue(DeliverWebhookHandler.Queue);
    opts.LocalQueue(DeliverWebhookHandler.Queue).UseDurableInbox().MaximumParallelMessages(8);
    // A one-shot command sends no messages and must not take over a dead instance's deliveries only to exit.
    if (oneShot) opts.Durability.Mode = DurabilityMode.MediatorOnly;
    // The deliveries a crashed instance held go to another (or to its restart) once its heartbeat is this old.
    var takeOver = WebhookSettings.CrashTakeOver(builder.Configuration);
    opts.Durability.StaleNodeTimeout = takeOver;
    opts.Durability.HealthCheckPollingTime = TimeSpan.FromTicks(Math.Min(opts.Durability.HealthCheckPollingTime.Ticks, takeOver.Ticks / 4));
});
builder.Services.AddWolverineHttp();
builder.Services.AddWebFront();

var app = builder.Build();
app.UseExceptionHandler();
// Answers the framework leaves without a body (405, 415, ...) become problem+json like every other error.
app.UseStatusCodePages();
app.UseWebFront();
app.UseMiddleware<BodySizeLimit>();
app.UseAuthentication();
app.UseRateLimiter();
app.UseRequestTimeouts();
app.UseAuthorization();

app.MapMetrics();

var requireKeyForReads = app.Configuration.GetValue("Positions:RequireKeyForReads", false);
app.MapWolverineEndpoints(opts =>
{
    opts.RejectUnparseableQueryValues = true;
    // Every write needs a key; reads too when so configured (a read that always needs one, such as the webhook
    // subscriptions, says [Authorize] itself). Set per endpoint, so a new write route can't be left open.
    // The 401 is documented with it, so a read that needs a key says so in the OpenAPI document as well.
    opts.ConfigureEndpoints(chain =>
    {
        if (!requireKeyForReads && chain.HttpMethods.All(m => m is "GET" or "HEAD")) return;
        chain.RequireAuthorization();
        chain.Metadata.WithMetadata(new ProblemResponseAttribute(StatusCodes.Status401Unauthorized));
    });
});

if (args is ["openapi", "-o", var openApiPath]) return await OpenApiFile.WriteAsync(app.Services, openApiPath);

if (args is ["seed", ..])
    return await RunOnceAsync(app, async services =>
    {
        var report = await services.GetRequiredService<SeedLoader>().LoadAsync(CancellationToken.None);
        Console.WriteLine($"Seeds: {report.Files} files, {report.Recorded} recorded, {report.Unchanged} unchanged, {report.Problems.Count} problems");
        return report.Problems.Count == 0 ? 0 : 1;
    });

if (args is ["import", _, ..]) return await RunOnceAsync(app, services => ImportCommand.RunAsync(services, args, app.Lifetime.ApplicationStopping));
if (args is ["rebuild"]) return await RunOnceAsync(app, services => RebuildCommand.RunAsync(services, app.Lifetime.ApplicationStopping));
// Starting the host is the migration: the schema is applied and read models of an earlier version are rebuilt
// (a Kubernetes Job runs it once before the instances start; they would do the same, one at a time).
if (args is ["migrate"]) return await RunOnceAsync(app, _ => Task.FromResult(0));

// With no command (only options such as --urls, or nothing) the service runs: no JasperFx command discovery, whose
// assembly scan prints a line per assembly. Commands (codegen, describe, resources, db-assert, help) go to JasperFx.
if (args.Length == 0 || args[0].StartsWith('-'))
{
    await app.RunAsync();
    return 0;
}
return await app.RunJasperFxCommands(args);

/// <summary>A one-shot command inside the started host (database, schema), which is stopped again however it ends.</summary>
static async Task<int> RunOnceAsync(WebApplication app, Func<IServiceProvider, Task<int>> command)
{
    await app.StartAsync();
    try
    {
        return await command(app.Services);
    }
    finally
    {
        await app.StopAsync();
    }
}

public partial class Program;
