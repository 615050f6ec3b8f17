using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Positions.Api.Storage;
using Positions.Api.Tests.Integration;

namespace Positions.Api.Tests.Resilience;

/// <summary>
/// R4: PostgreSQL crashes (<c>pg_ctl stop -m immediate</c>) under a steady write and read load, and comes back.
/// While it is away the service answers 503 problem+json with Retry-After and never holds a request past its
/// timeout; it recovers without a restart; no acknowledged write is lost.
/// </summary>
[Collection(ResilienceCollection.Name)]
public class DatabaseOutageTests
{
    [Fact]
    public async Task a_database_crash_under_load_gives_503s_then_recovers_and_loses_no_acknowledged_write()
    {
        var directory = Path.Combine(Path.GetTempPath(), "positions-outage-" + Guid.NewGuid().ToString("N")[..8]);
        // Durable settings: a test cluster acknowledges commits before they reach the WAL, which a crash then loses.
        await using var cluster = await LocalPostgres.StartAsync(new LocalPostgresOptions(directory, ForTests: false));
        await using var host = await HostFactory.StartAsync(cluster.ConnectionString, ("Positions:Limits:RateLimiting", "false"));
        var (actor, topic) = (await Given.ActorAsync(host.Client()), await Given.TopicAsync(host.Client()));

        var acknowledged = new ConcurrentBag<string>();
        var outcomes = new ConcurrentBag<(HttpStatusCode Status, TimeSpan Took, bool ProblemWithRetryAfter, TimeSpan At)>();
        var clock = Stopwatch.StartNew();
        var stop = TimeSpan.FromSeconds(16);
        var crashedAt = TimeSpan.Zero;
        var restartedAt = TimeSpan.Zero;

        async Task LoadAsync(int worker)
        {
            var client = host.Client();
            for (var i = 0; clock.Elapsed < stop; i++)
            {
                var started = clock.Elapsed;
                var id = $"o{worker}-{i}-{actor}";
                var answer = i % 3 == 2
                    ? await client.GetJsonAsync($"/actors/{actor}/positions")
                    : await client.PostJsonAsync("/statements", Given.Statement(id, [actor], topic, i % 2 == 0 ? "supports" : "opposes", "2025-01-01"));
                if (answer.Status == HttpStatusCode.Created) acknowledged.Add(id);
                outcomes.Add((answer.Status, clock.Elapsed - started,
                    answer.Response.Content.Headers.ContentType?.MediaType == "application/problem+json" && answer.Response.Headers.RetryAfter is not null,
                    started));
                if (answer.Status == HttpStatusCode.ServiceUnavailable) await Task.Delay(100);
            }
        }

        var load = Enumerable.Range(0, 6).Select(w => Task.Run(() => LoadAsync(w))).ToList();
        await Task.Delay(TimeSpan.FromSeconds(3));
        crashedAt = clock.Elapsed;
        await cluster.CrashAsync();
        await Task.Delay(TimeSpan.FromSeconds(4));
        await cluster.StartServerAsync();
        restartedAt = clock.Elapsed;
        await Task.WhenAll(load);

        var all = outcomes.ToList();
        Assert.All(all, o => Assert.Contains(o.Status, new[] { HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        Assert.Contains(all, o => o.Status == HttpStatusCode.ServiceUnavailable);
        Assert.All(all.Where(o => o.Status == HttpStatusCode.ServiceUnavailable), o => Assert.True(o.ProblemWithRetryAfter));
        Assert.True(all.Max(o => o.Took) < TimeSpan.FromSeconds(30), $"a request took {all.Max(o => o.Took)}");
        var firstSuccessAfterRestart = all.Where(o => o.At >= restartedAt && o.Status != HttpStatusCode.ServiceUnavailable).Min(o => (TimeSpan?)o.At);
        Assert.True(firstSuccessAfterRestart is not null && firstSuccessAfterRestart - restartedAt < TimeSpan.FromSeconds(30),
            $"no success within 30 s of the restart (first at {firstSuccessAfterRestart - restartedAt})");

        var client = host.Client();
        foreach (var id in acknowledged)
            Assert.Equal(HttpStatusCode.OK, (await client.GetJsonAsync($"/statements/{id}")).Status);
        var fold = await EventFold.OfActorAsync(client, actor);
        Assert.True(fold.StatementCount >= acknowledged.Count);
        Figures.Report($"R4: {all.Count} requests, crash at {crashedAt.TotalSeconds:0.0} s, restart at {restartedAt.TotalSeconds:0.0} s, " +
                          $"{all.Count(o => o.Status == HttpStatusCode.ServiceUnavailable)} × 503, slowest {all.Max(o => o.Took).TotalSeconds:0.00} s, " +
                          $"first success {(firstSuccessAfterRestart - restartedAt)?.TotalSeconds:0.00} s after restart, {acknowledged.Count} acknowledged writes all present.");
        Directory.Delete(directory, recursive: true);
    }
}
