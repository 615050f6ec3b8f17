using System.Collections.Concurrent;
using System.Net;
using Npgsql;
using Positions.Api.Storage;
using Positions.Api.Tests.Integration;

namespace Positions.Api.Tests.Resilience;

/// <summary>
/// Reads from a real streaming standby (<c>pg_basebackup -R</c> into a second local cluster) with
/// <c>Positions:ReadFromReplicas</c>: an answer a standby serves is exact for the knownAt it states, even with its
/// replay paused or writes in flight; a read at a knownAt the standby has not reached goes to the primary; the answers
/// catch up when replay resumes; and the replica-lag metric shows the lag.
/// </summary>
public class ReadReplicaTests
{
    [Fact]
    public async Task a_standby_answers_exactly_as_known_at_the_instant_it_states_and_catches_up()
    {
        await using var replicated = await ReplicatedCluster.StartAsync();
        await using var service = await ServiceProcess.StartAsync(replicated.BothHosts,
            environment: new Dictionary<string, string> { ["Positions__ReadFromReplicas"] = "true" });
        // The primary alone, for the answers a standby's must equal.
        await using var onPrimary = await ServiceProcess.StartAsync(replicated.Primary);
        using var client = service.Client();
        using var primary = onPrimary.Client();
        var (actor, topic) = (await Given.ActorAsync(client), await Given.TopicAsync(client));

        var first = await client.PostJsonAsync("/statements", Given.Statement(PositionsApp.UniqueId("r"), [actor], topic, "supports", "2025-01-01"));
        var firstAt = Instant(first.Json["recordedAt"]);
        // Replay running: answers as known "now" come from the standby, and soon include the write. (Until the standby
        // has the actor, the primary answers: only a standby's answer shows that it caught up.)
        var caughtUp = await EventuallyAsync(async () =>
        {
            var read = await client.GetJsonAsync($"/actors/{actor}/positions");
            return ServedBy(read) == "standby" && Instant(read.Json["knownAt"]) >= firstAt ? read : null;
        });
        Assert.Equal("supports", Stance(caughtUp, topic));

        await replicated.PauseReplayAsync();
        var second = await client.PostJsonAsync("/statements", Given.Statement(PositionsApp.UniqueId("r"), [actor], topic, "opposes", "2025-02-01"));
        Assert.Equal(HttpStatusCode.Created, second.Status);
        var secondAt = Instant(second.Json["recordedAt"]);

        // The paused standby answers as known at an instant before the write, says so, and is exact for it.
        var stale = await client.GetJsonAsync($"/actors/{actor}/positions");
        Assert.Equal("standby", ServedBy(stale));
        var knownAt = (string)stale.Json["knownAt"]!;
        Assert.True(Instant(knownAt) < secondAt, $"a standby whose replay is paused answered as known at {knownAt}, after the write at {secondAt:O}");
        Assert.Equal("supports", Stance(stale, topic));
        Assert.Equal(Positions(await primary.GetJsonAsync($"/actors/{actor}/positions?knownAt={knownAt}")), Positions(stale));
        var staleTopic = await client.GetJsonAsync($"/topics/{topic}/positions");
        Assert.True(Instant(staleTopic.Json["knownAt"]) < secondAt);
        var staleTimeline = await client.GetJsonAsync($"/actors/{actor}/positions/{topic}");
        Assert.True(Instant(staleTimeline.Json["knownAt"]) < secondAt);
        Assert.Single(staleTimeline.Json["history"]!.AsArray());

        // Read-your-writes: at the write's own recordedAt the standby cannot answer, so the primary does.
        var own = await client.GetJsonAsync($"/actors/{actor}/positions?knownAt={second.Json["recordedAt"]}");
        Assert.Equal(("primary", "opposes"), (ServedBy(own), Stance(own, topic)));
        Assert.Equal(2, (await client.GetJsonAsync($"/actors/{actor}/positions/{topic}?knownAt={second.Json["recordedAt"]}"))
            .Json["history"]!.AsArray().Count);

        // The lag shows in the metrics, at least as long as replay has been paused.
        await Task.Delay(TimeSpan.FromSeconds(1));
        await client.GetJsonAsync($"/actors/{actor}/positions");
        Assert.True(MetricsTests.Value(await MetricsTests.ScrapeAsync(client), "positions_replica_lag_seconds") >= 1);

        await replicated.ResumeReplayAsync();
        var resumed = await EventuallyAsync(async () =>
        {
            var read = await client.GetJsonAsync($"/actors/{actor}/positions");
            return Instant(read.Json["knownAt"]) >= secondAt ? read : null;
        });
        Assert.Equal("opposes", Stance(resumed, topic));
    }

    [Fact]
    public async Task answers_from_a_standby_while_writers_run_equal_the_primarys_as_known_at_their_instant()
    {
        await using var replicated = await ReplicatedCluster.StartAsync();
        await using var service = await ServiceProcess.StartAsync(replicated.BothHosts,
            environment: new Dictionary<string, string> { ["Positions__ReadFromReplicas"] = "true" });
        using var client = service.Client();
        var actors = new[] { await Given.ActorAsync(client), await Given.ActorAsync(client) };
        var topics = new[] { await Given.TopicAsync(client), await Given.TopicAsync(client) };

        // Writers on both actors (one statement in four held jointly) while a reader samples the standby's answers.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(4));
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            using var writer = service.Client();
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var holders = n % 4 == 0 ? actors : [actors[(w + n) % 2]];
                var stance = (n % 3) switch { 0 => "supports", 1 => "opposes", _ => "neutral" };
                var saidAt = new DateOnly(2020, 1, 1).AddDays(n * 4 + w).ToString("yyyy-MM-dd");
                var written = await writer.PostJsonAsync("/statements", Given.Statement($"rw{w}-{n}-{actors[0]}", holders, topics[n % 2], stance, saidAt));
                Assert.Equal(HttpStatusCode.Created, written.Status);
            }
        })).ToArray();
        var samples = new ConcurrentBag<(string Actor, string KnownAt, string Positions)>();
        var reader = Task.Run(async () =>
        {
            using var sampler = service.Client();
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var read = await sampler.GetJsonAsync($"/actors/{actors[n % 2]}/positions");
                // The primary answers what a standby cannot (an actor it has not replayed yet): as known now, which a
                // write still in flight may change; only a standby's answer is exact for the instant it states.
                if (ServedBy(read) == "standby") samples.Add((actors[n % 2], (string)read.Json["knownAt"]!, Positions(read)));
            }
        });
        await Task.WhenAll([.. writers, reader]);

        await using var onPrimary = await ServiceProcess.StartAsync(replicated.Primary);
        using var primary = onPrimary.Client();
        Assert.True(samples.Count > 20, $"only {samples.Count} samples");
        Assert.True(samples.Select(s => s.Positions).Distinct().Count() > 2, "the samples never saw the writes move");
        foreach (var (actor, knownAt, positions) in samples)
            Assert.Equal(Positions(await primary.GetJsonAsync($"/actors/{actor}/positions?knownAt={knownAt}")), positions);
    }

    private static DateTimeOffset Instant(System.Text.Json.Nodes.JsonNode? value) => Instant((string)value!);

    private static DateTimeOffset Instant(string value) => DateTimeOffset.Parse(value, System.Globalization.CultureInfo.InvariantCulture);

    private static string? Stance(Answer read, string topic) =>
        (string?)read.Json["positions"]!.AsArray().SingleOrDefault(p => (string?)p!["topic"] == topic)?["stance"];

    private static string? ServedBy(Answer read) =>
        read.Response.Headers.TryGetValues(ReadDatabase.ServedByHeader, out var values) ? values.Single() : null;

    private static string Positions(Answer read) => read.Json["positions"]!.ToJsonString();

    private static async Task<Answer> EventuallyAsync(Func<Task<Answer?>> attempt)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(50))
            if (await attempt() is { } answer) return answer;
        throw new TimeoutException("The standby's answers did not catch up within 30 s.");
    }

    /// <summary>A private primary cluster and a hot standby streaming from it (<c>pg_basebackup -R</c>).</summary>
    private sealed class ReplicatedCluster : IAsyncDisposable
    {
        private readonly TestDatabase _primary;
        private readonly string _standbyDirectory;
        private readonly int _standbyPort;

        private ReplicatedCluster(TestDatabase primary, string standbyDirectory, int standbyPort)
        {
            (_primary, _standbyDirectory, _standbyPort) = (primary, standbyDirectory, standbyPort);
        }

        public string Primary => _primary.ConnectionString;

        /// <summary>Both hosts in Npgsql's multi-host syntax: the service finds which is the primary.</summary>
        public string BothHosts
        {
            get
            {
                var primary = new NpgsqlConnectionStringBuilder(Primary);
                return new NpgsqlConnectionStringBuilder(Primary)
                {
                    Host = $"{primary.Host}:{primary.Port},127.0.0.1:{_standbyPort}", ApplicationName = null,
                }.ConnectionString;
            }
        }

        private string Standby => new NpgsqlConnectionStringBuilder(Primary) { Port = _standbyPort, ApplicationName = null }.ConnectionString;

        public static async Task<ReplicatedCluster> StartAsync()
        {
            var primary = await TestDatabase.StartLocalAsync();
            var port = new NpgsqlConnectionStringBuilder(primary.ConnectionString).Port;
            var standby = Path.Combine(Path.GetTempPath(), "positions-standby-" + Guid.NewGuid().ToString("N")[..12]);
            var standbyPort = ServiceProcess.FreePort();
            await LocalPostgres.RunToolAsync("pg_basebackup", ["-h", "127.0.0.1", "-p", $"{port}", "-U", "postgres", "-D", standby, "-R", "-X", "stream", "--checkpoint=fast"]);
            // A hot standby needs at least the primary's max_connections (the test clusters' 200).
            await LocalPostgres.RunToolAsync("pg_ctl", ["-D", standby, "-l", Path.Combine(standby, "server.log"), "-w", "-t", "60",
                "-o", $"-p {standbyPort} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c hot_standby=on -c max_connections=200", "start"]);
            return new ReplicatedCluster(primary, standby, standbyPort);
        }

        public Task PauseReplayAsync() => OnStandbyAsync("select pg_wal_replay_pause()", waitFor: "select pg_get_wal_replay_pause_state() = 'paused'");

        public Task ResumeReplayAsync() => OnStandbyAsync("select pg_wal_replay_resume()", waitFor: "select pg_get_wal_replay_pause_state() = 'not paused'");

        private async Task OnStandbyAsync(string sql, string waitFor)
        {
            await using var connection = new NpgsqlConnection(Standby);
            await connection.OpenAsync();
            await using (var command = new NpgsqlCommand(sql, connection)) await command.ExecuteNonQueryAsync();
            await using var check = new NpgsqlCommand(waitFor, connection);
            while (!(bool)(await check.ExecuteScalarAsync())!) await Task.Delay(20);
        }

        public async ValueTask DisposeAsync()
        {
            await LocalPostgres.RunToolAsync("pg_ctl", ["-D", _standbyDirectory, "-m", "immediate", "-w", "stop"]);
            Directory.Delete(_standbyDirectory, recursive: true);
            await _primary.DisposeAsync();
        }
    }
}
