using Npgsql;
using Positions.Api.Storage;
using Positions.Benchmarks.Service;

namespace Positions.Benchmarks.Baseline;

/// <summary>
/// The database shared by the service and the baselines: a private cluster in a temp folder (run by the same
/// LocalPostgres the service embeds, with production settings: fsync on) or the one given by --connection.
/// Baseline tables live in the schema <c>bench</c>, apart from the service's.
/// </summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly LocalPostgres? _cluster;
    private readonly string? _dataDirectory;
    private readonly bool _keepData;
    private readonly IDisposable? _cleanup;

    private BenchDatabase(string connectionString, LocalPostgres? cluster, string? dataDirectory, bool keepData)
    {
        ConnectionString = connectionString;
        _cluster = cluster;
        _dataDirectory = dataDirectory;
        _keepData = keepData;
        if (cluster is not null) _cleanup = Cleanup.Register(() => cluster.StopAsync().GetAwaiter().GetResult());
        DataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 100 }.ConnectionString);
    }

    public string ConnectionString { get; }
    public NpgsqlDataSource DataSource { get; }
    public string Description => _cluster is null ? "given by --connection" : $"private cluster in {_dataDirectory}";

    public static async Task<BenchDatabase> OpenAsync(BenchOptions options)
    {
        BenchDatabase db;
        if (options.Connection is { } given)
            db = new BenchDatabase(given, null, null, true);
        else
        {
            var folder = Path.Combine(Path.GetTempPath(), $"positions-bench-{Environment.ProcessId}");
            var cluster = await LocalPostgres.StartAsync(new LocalPostgresOptions(folder));
            db = new BenchDatabase(cluster.ConnectionString, cluster, folder, options.KeepData);
        }
        await db.ExecuteAsync("""
            create schema if not exists bench;
            drop table if exists bench.import_copy, bench.bare_statements, bench.bare_positions;
            create table bench.import_copy (line jsonb not null);
            create table bench.bare_statements (id text primary key, body jsonb not null, recorded_at timestamptz not null default now());
            create table bench.bare_positions (id text primary key, body jsonb not null);
            """);
        return db;
    }

    public async Task ExecuteAsync(string sql, int timeoutSeconds = 600)
    {
        await using var command = DataSource.CreateCommand(sql);
        command.CommandTimeout = timeoutSeconds;
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        command.CommandTimeout = 600;
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Fresh planner statistics after a bulk load, for the service's tables and the baselines' alike.</summary>
    public Task AnalyzeAsync() => ExecuteAsync("analyze", 1800);

    public async Task<string> ServerVersionAsync() => await ScalarAsync<string>("show server_version");

    /// <summary>The settings that decide most of a write-heavy figure, for the results file.</summary>
    public async Task<string> SettingsAsync() => await ScalarAsync<string>(
        "select string_agg(name || ' ' || current_setting(name), ', ' order by name) from pg_settings " +
        "where name in ('shared_buffers', 'fsync', 'synchronous_commit', 'max_connections', 'work_mem')");

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        _cleanup?.Dispose();
        if (_cluster is null) return;
        await _cluster.StopAsync();
        if (!_keepData && _dataDirectory is not null) Directory.Delete(_dataDirectory, recursive: true);
    }
}
