using System.Net.Sockets;
using Positions.Api.Storage;
using Testcontainers.PostgreSql;

namespace Positions.Api.Tests.Integration;

/// <summary>
/// A real, empty PostgreSQL for one test run: a Testcontainers container when a Docker engine answers, otherwise a
/// private cluster from the local server binaries (the same launcher as the service's embedded default).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly Func<ValueTask> _dispose;

    private TestDatabase(string connectionString, string kind, Func<ValueTask> dispose)
    {
        ConnectionString = connectionString;
        Kind = kind;
        _dispose = dispose;
    }

    public string ConnectionString { get; }
    public string Kind { get; }

    public static async Task<TestDatabase> StartAsync()
    {
        if (await DockerAnswersAsync())
        {
            var container = new PostgreSqlBuilder("postgres:15-alpine").Build();
            await container.StartAsync();
            return new TestDatabase(container.GetConnectionString(), "testcontainers", container.DisposeAsync);
        }
        return await StartLocalAsync();
    }

    /// <summary>A private cluster from the local server binaries, whether or not Docker answers (a standby's primary).</summary>
    public static async Task<TestDatabase> StartLocalAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "positions-tests-" + Guid.NewGuid().ToString("N")[..12]);
        var cluster = await LocalPostgres.StartAsync(new LocalPostgresOptions(directory, ForTests: true));
        return new TestDatabase(cluster.ConnectionString, "local cluster", async () =>
        {
            await cluster.StopAsync();
            Directory.Delete(directory, recursive: true);
        });
    }

    public ValueTask DisposeAsync() => _dispose();

    /// <summary>Testcontainers without an engine throws only after a while: ask the socket first.</summary>
    private static async Task<bool> DockerAnswersAsync()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (host is not null && !host.StartsWith("unix://")) return true;
        var path = host?["unix://".Length..] ?? "/var/run/docker.sock";
        if (!File.Exists(path)) return false;
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path)).WaitAsync(TimeSpan.FromSeconds(2));
            return true;
        }
        catch (Exception e) when (e is SocketException or TimeoutException)
        {
            return false;
        }
    }
}
