using Npgsql;

namespace Positions.Api.Storage;

/// <summary>The database the service uses, and how to name it to a person (never with its password).</summary>
public sealed record ChosenDatabase(string ConnectionString, string Description);

/// <summary>
/// Which PostgreSQL the service uses: <c>ConnectionStrings:Positions</c> when set, otherwise a private cluster
/// under <c>Positions:DataDirectory</c>, started now and stopped when the host stops (or, when a running service
/// already owns that cluster, shared with it and left running).
/// </summary>
public static class DatabaseChoice
{
    // Commands that only read configuration or generate code need no running database.
    private static readonly string[] CommandsWithoutDatabase = ["codegen", "describe", "help", "?", "version", "openapi"];

    public const string DefaultDataDirectory = ".positions-data";

    public static async Task<ChosenDatabase> ResolveAsync(WebApplicationBuilder builder, string[] args)
    {
        if (builder.Configuration.GetConnectionString("Positions") is { Length: > 0 } configured)
        {
            var named = new NpgsqlConnectionStringBuilder(configured);
            return new ChosenDatabase(configured, $"PostgreSQL at {Hosts(named)}, database {named.Database}");
        }
        if (args.Length > 0 && CommandsWithoutDatabase.Contains(args[0], StringComparer.OrdinalIgnoreCase))
            return new ChosenDatabase("Host=localhost;Database=positions;Username=postgres", "none (this command needs no database)");

        var dataDirectory = builder.Configuration["Positions:DataDirectory"] ?? DefaultDataDirectory;
        var cluster = await LocalPostgres.StartAsync(new LocalPostgresOptions(dataDirectory));
        builder.Services.AddHostedService(_ => new StopWhenHostStops(cluster));
        var how = cluster.Owned ? "embedded PostgreSQL" : "embedded PostgreSQL of the service already running on it";
        return new ChosenDatabase(cluster.ConnectionString, $"{how}, data in {cluster.DataDirectory}");
    }

    private sealed class StopWhenHostStops(LocalPostgres cluster) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => cluster.StopAsync();
    }

    /// <summary>host:port, for each host a multi-host connection string names (a host may carry its own port).</summary>
    private static string Hosts(NpgsqlConnectionStringBuilder named) => string.Join(", ",
        (named.Host ?? "localhost").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(host => host.Contains(':') ? host : $"{host}:{named.Port}"));
}
