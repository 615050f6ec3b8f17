using System.Diagnostics;
using Npgsql;
using Positions.Api.Storage;
using Positions.Api.Tests.Integration;

namespace Positions.Api.Tests.Resilience;

/// <summary>
/// Background work (the table statistics upkeep, the live feed of shifts) has exactly one owner among three instances
/// on one database, and moves on to another when the owner is killed with SIGKILL, doing nothing twice.
/// </summary>
public class BackgroundOwnerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task when_the_owner_is_killed_another_instance_takes_the_background_work_over_within_seconds()
    {
        await using var database = await TestDatabase.StartAsync();
        var instances = new List<ServiceProcess>();
        try
        {
            // Each instance names its connections, so that the lock's holder tells which instance owns the work.
            for (var i = 0; i < 3; i++)
                instances.Add(await ServiceProcess.StartAsync(
                    new NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = $"instance {i}" }.ConnectionString));
            await using var watcher = new NpgsqlConnection(database.ConnectionString);
            await watcher.OpenAsync(TestContext.Current.CancellationToken);

            var first = await WaitForOwnerAsync(watcher, except: null);
            var owner = instances[first];
            var vacuumedBefore = await LastVacuumAsync(watcher);
            var clock = Stopwatch.StartNew();
            await owner.KillAsync();
            var second = await WaitForOwnerAsync(watcher, except: first);
            var takeover = clock.Elapsed;
            output.WriteLine($"background work taken over by instance {second} {takeover.TotalSeconds:F2} s after SIGKILL of instance {first}");

            Assert.NotEqual(first, second);
            Assert.True(takeover < TimeSpan.FromSeconds(5), $"takeover took {takeover.TotalSeconds:F1} s");
            // The new owner does the work at once: the statistics upkeep vacuums the revisions.
            for (var i = 0; i < 50 && await LastVacuumAsync(watcher) == vacuumedBefore; i++) await Task.Delay(100);
            Assert.NotEqual(vacuumedBefore, await LastVacuumAsync(watcher));

            // And the live feed goes on without the dead instance, each shift in it once: one made through a survivor
            // reaches a subscriber on the other.
            var survivors = instances.Where((_, i) => i != first).ToList();
            using var writes = survivors[0].Client();
            var (actor, topic) = (await Given.ActorAsync(writes), await Given.TopicAsync(writes));
            await using var stream = await ServerSentEvents.OpenAsync(survivors[1].Client(), $"/shifts/stream?actor={actor}");
            await writes.PostJsonAsync("/statements", Given.Statement($"o1-{actor}", [actor], topic, "opposes", "2025-01-01"));
            await writes.PostJsonAsync("/statements", Given.Statement($"o2-{actor}", [actor], topic, "supports", "2025-02-01"));
            Assert.Equal($"o2-{actor}", (string)(await stream.NextEventAsync(TimeSpan.FromSeconds(10))).Data!["to"]!["statementId"]!);
            await Task.Delay(TimeSpan.FromSeconds(1)); // more turns of the owner: none may append it again
            await using var count = new NpgsqlCommand(
                $"select count(*) from {Api.Positions.ShiftFeedTable.Name} where actor = $1", watcher) { Parameters = { new() { Value = actor } } };
            Assert.Equal(1L, (long)(await count.ExecuteScalarAsync())!);
        }
        finally
        {
            foreach (var instance in instances) await instance.DisposeAsync();
        }
    }

    /// <summary>The index of the instance holding the owner lock (from its connection's application name).</summary>
    private static async Task<int> WaitForOwnerAsync(NpgsqlConnection watcher, int? except)
    {
        for (var i = 0; i < 200; i++)
        {
            await using var command = new NpgsqlCommand("""
                select a.application_name from pg_locks l join pg_stat_activity a on a.pid = l.pid
                where l.locktype = 'advisory' and l.granted and ((l.classid::bigint << 32) | l.objid::bigint) = $1
                """, watcher) { Parameters = { new() { Value = BackgroundOwner.OwnerLock } } };
            var holders = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync())
                while (await reader.ReadAsync()) holders.Add(reader.GetString(0));
            Assert.True(holders.Count <= 1, $"two owners at once: {string.Join(", ", holders)}");
            if (holders is [var name] && int.Parse(name["instance ".Length..]) is var index && index != except) return index;
            await Task.Delay(25);
        }
        throw new TimeoutException("no instance took the background work");
    }

    private static async Task<DateTime?> LastVacuumAsync(NpgsqlConnection watcher)
    {
        await using var command = new NpgsqlCommand("select last_vacuum from pg_stat_user_tables where relname = 'positions_revisions'", watcher);
        return await command.ExecuteScalarAsync() as DateTime?;
    }
}
