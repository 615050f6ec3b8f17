namespace Positions.Api.Storage;

/// <summary>
/// Which PostgreSQL the service uses: <c>ConnectionStrings:Positions</c> when set, otherwise a private cluster
/// under <c>Positions:DataDirectory</c>, started now and stopped when the host stops.
/// </summary>
public static class DatabaseChoice
{
    // Commands that only read configuration or generate code need no running database.
    private static readonly string[] CommandsWithoutDatabase = ["codegen", "describe", "help", "?", "version", "openapi"];

    public static async Task<string> ResolveAsync(WebApplicationBuilder builder, string[] args)
    {
        if (builder.Configuration.GetConnectionString("Positions") is { Length: > 0 } configured) return configured;
        if (args.Length > 0 && CommandsWithoutDatabase.Contains(args[0], StringComparer.OrdinalIgnoreCase))
            return "Host=localhost;Database=positions;Username=postgres";

        var dataDirectory = builder.Configuration["Positions:DataDirectory"] ?? ".positions-data";
        var cluster = await LocalPostgres.StartAsync(new LocalPostgresOptions(dataDirectory));
        builder.Services.AddHostedService(_ => new StopWhenHostStops(cluster));
        return cluster.ConnectionString;
    }

    private sealed class StopWhenHostStops(LocalPostgres cluster) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => cluster.StopAsync();
    }
}
