using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Positions.Api.Storage;

/// <summary>How to run a private PostgreSQL cluster from the server binaries installed on this machine.</summary>
public sealed record LocalPostgresOptions(string DataDirectory, bool ForTests = false, string Database = "positions");

/// <summary>
/// A private PostgreSQL cluster started from the local server binaries: the embedded default of the service and
/// the fallback database of the tests when no Docker engine answers. PostgreSQL refuses to run as root, so when
/// we are root every server command runs as the <c>postgres</c> OS user.
/// </summary>
public sealed class LocalPostgres : IAsyncDisposable
{
    private readonly string _binDirectory;
    private readonly string _dataDirectory;
    private readonly string _serverSettings;
    private readonly int _port;
    private bool _stopped;

    private LocalPostgres(string binDirectory, string dataDirectory, string serverSettings, int port, string database, bool owned)
    {
        _binDirectory = binDirectory;
        _dataDirectory = dataDirectory;
        _serverSettings = serverSettings;
        Owned = owned;
        _port = port;
        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = port, Database = database, Username = "postgres",
            ApplicationName = ClusterOwner.ForThisProcess(port).ApplicationName,
        }.ConnectionString;
    }

    public string ConnectionString { get; }

    /// <summary>The folder PostgreSQL keeps its data in, as an absolute path.</summary>
    public string DataDirectory => _dataDirectory;

    /// <summary>False when another live process runs this server: then we use it and leave it running.</summary>
    public bool Owned { get; }

    public static async Task<LocalPostgres> StartAsync(LocalPostgresOptions options, CancellationToken ct = default)
    {
        var bin = PostgresBinaries.Find() ?? throw new PostgresNotFoundException();
        var data = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(data);
        if (RunningAsRoot) await RunAsync("chown", ["-R", "postgres:postgres", data], ct);

        if (!File.Exists(Path.Combine(data, "PG_VERSION")))
        {
            string[] initArgs = ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C"];
            await RunServerToolAsync(bin, "initdb", options.ForTests ? [.. initArgs, "--no-sync"] : initArgs, ct);
        }

        if (File.Exists(Path.Combine(data, "postmaster.pid")))
        {
            // A running service owns this server: share it rather than pull it from under the service.
            if (ClusterOwner.Read(data) is { } owner && owner.IsAlive())
            {
                var shared = new LocalPostgres(bin, data, "", owner.Port, options.Database, owned: false);
                await shared.EnsureDatabaseAsync(options.Database, ct);
                return shared;
            }
            // Its owner is gone. While another live process still uses it, this one takes it over; otherwise it was left
            // over by a process that was killed: stop it, so that we can start our own.
            if (ClusterOwner.Read(data) is { } dead && await LiveUserOtherThanUsAsync(dead.Port, options.Database) is not null)
            {
                ClusterOwner.ForThisProcess(dead.Port).Write(data);
                var adopted = new LocalPostgres(bin, data, "", dead.Port, options.Database, owned: true);
                await adopted.EnsureDatabaseAsync(options.Database, ct);
                return adopted;
            }
            await RunServerToolAsync(bin, "pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"], ct, failOnError: false);
        }

        var port = FreePort();
        var settings = $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200";
        if (options.ForTests) settings += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        var cluster = new LocalPostgres(bin, data, settings, port, options.Database, owned: true);
        await cluster.StartServerAsync(ct);
        ClusterOwner.ForThisProcess(port).Write(data);
        await cluster.EnsureDatabaseAsync(options.Database, ct);
        return cluster;
    }

    /// <summary>Stops the server the way a crash would (<c>-m immediate</c>: no checkpoint, clients cut off).</summary>
    public Task CrashAsync() =>
        RunServerToolAsync(_binDirectory, "pg_ctl", ["-D", _dataDirectory, "-m", "immediate", "-w", "stop"], CancellationToken.None);

    /// <summary>Starts the server again on the same port, after <see cref="CrashAsync"/>.</summary>
    public Task StartServerAsync(CancellationToken ct = default) =>
        RunServerToolAsync(_binDirectory, "pg_ctl",
            ["-D", _dataDirectory, "-o", _serverSettings, "-l", Path.Combine(_dataDirectory, "server.log"), "-w", "-t", "60", "start"], ct);

    /// <summary>
    /// Stops the server if this process owns it (it started it, or took it over) and no other live process uses it;
    /// if one does, that one becomes the owner and the server keeps running.
    /// </summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        if (ClusterOwner.Read(_dataDirectory) is not { } owner || !owner.IsThisProcess()) return;
        if (await LiveUserOtherThanUsAsync(_port, new NpgsqlConnectionStringBuilder(ConnectionString).Database!) is { } heir)
        {
            heir.Write(_dataDirectory);
            return;
        }
        await RunServerToolAsync(_binDirectory, "pg_ctl", ["-D", _dataDirectory, "-m", "fast", "-w", "stop"],
            CancellationToken.None, failOnError: false);
        ClusterOwner.Remove(_dataDirectory);
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    /// <summary>Another live Positions process connected to the server on this port, or null (also when it does not answer).</summary>
    private static async Task<ClusterOwner?> LiveUserOtherThanUsAsync(int port, string database)
    {
        var self = ClusterOwner.ForThisProcess(port).ApplicationName;
        try
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder
            {
                Host = "127.0.0.1", Port = port, Database = database, Username = "postgres", Pooling = false, Timeout = 5,
            }.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("""
                select distinct application_name from pg_stat_activity
                where backend_type = 'client backend' and application_name like 'positions %' and application_name <> $1
                """, connection) { Parameters = { new() { Value = self } } };
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                if (ClusterOwner.FromApplicationName(reader.GetString(0), port) is { } other && other.IsAlive())
                    return other;
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return null;
        }
    }


    private async Task EnsureDatabaseAsync(string database, CancellationToken ct)
    {
        var admin = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres" };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = $1", connection);
        exists.Parameters.AddWithValue(database);
        if (await exists.ExecuteScalarAsync(ct) is not null) return;
        // CREATE DATABASE takes no parameters; the name is our own configuration, quoted as an identifier.
        await using var create = new NpgsqlCommand($"create database \"{database.Replace("\"", "\"\"")}\"", connection);
        await create.ExecuteNonQueryAsync(ct);
    }

    private static bool RunningAsRoot => Environment.UserName == "root";

    /// <summary>Runs one of the server's tools (pg_basebackup, pg_ctl, psql) as an OS user the server accepts.</summary>
    public static Task RunToolAsync(string tool, string[] args, CancellationToken ct = default) =>
        RunServerToolAsync(PostgresBinaries.Find() ?? throw new PostgresNotFoundException(), tool, args, ct);

    private static Task RunServerToolAsync(string bin, string tool, string[] args, CancellationToken ct, bool failOnError = true)
    {
        var executable = Path.Combine(bin, tool);
        return RunningAsRoot
            ? RunAsync("runuser", ["-u", "postgres", "--", executable, .. args], ct, failOnError, tool)
            : RunAsync(executable, args, ct, failOnError, tool);
    }

    private static async Task RunAsync(string file, string[] args, CancellationToken ct, bool failOnError = true, string? name = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (failOnError && process.ExitCode != 0)
            throw new InvalidOperationException(
                $"{name ?? Path.GetFileName(file)} failed ({process.ExitCode}): {await error}{await output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Where the PostgreSQL server binaries are: PATH first, then Debian's versioned folders.</summary>
public static class PostgresBinaries
{
    public static string? Find()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(dir => File.Exists(Path.Combine(dir, "pg_ctl")) && File.Exists(Path.Combine(dir, "initdb")));
        if (onPath is not null) return Path.GetDirectoryName(ResolveLink(Path.Combine(onPath, "pg_ctl")));

        const string debianRoot = "/usr/lib/postgresql";
        if (!Directory.Exists(debianRoot)) return null;
        return Directory.GetDirectories(debianRoot)
            .Select(dir => Path.Combine(dir, "bin"))
            .Where(bin => File.Exists(Path.Combine(bin, "pg_ctl")))
            .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var v) ? v : 0)
            .FirstOrDefault();
    }

    private static string ResolveLink(string path) =>
        new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
}

public sealed class PostgresNotFoundException() : Exception(
    "Positions needs PostgreSQL and found no server binaries (initdb, pg_ctl) on PATH or under /usr/lib/postgresql. " +
    "Choose one way out: install PostgreSQL (Debian/Ubuntu: `apt-get install -y postgresql`) and run again; " +
    "or point the service at a database you have with the connection string " +
    "`ConnectionStrings__Positions=\"Host=...;Database=positions;Username=...;Password=...\"`; " +
    "or start PostgreSQL and the service together with `docker compose up`.");
