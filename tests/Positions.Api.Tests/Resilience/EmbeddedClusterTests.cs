using System.Net;
using Positions.Api.Storage;
using Positions.Api.Tests.Integration;

namespace Positions.Api.Tests.Resilience;

/// <summary>
/// The one-shot commands on the embedded database: they share the cluster of a running service instead of
/// stopping it, and still clean up a cluster left over by a service that was killed.
/// </summary>
public class EmbeddedClusterTests
{
    private static readonly Dictionary<string, string> NoConnectionString = new() { ["ConnectionStrings__Positions"] = "" };

    [Fact]
    public async Task a_command_shares_the_cluster_of_a_running_service_and_cleans_up_one_whose_service_was_killed()
    {
        var data = Path.Combine(Path.GetTempPath(), $"positions-embedded-{Guid.NewGuid():N}");
        var embedded = new Dictionary<string, string>(NoConnectionString) { ["Positions__DataDirectory"] = data };
        try
        {
            await using (var service = await ServiceProcess.StartAsync("", environment: embedded))
            {
                var seeded = await Cli.RunAsync("", ["seed"], embedded);

                Assert.True(seeded.ExitCode == 0, seeded.Errors);
                Assert.Matches(@"[1-9]\d* recorded, 0 unchanged", seeded.Output);
                using var client = service.Client();
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
                // The command wrote into the service's own database.
                Assert.Contains("full-flop", await client.GetStringAsync("/actors/us/positions/ukraine-postwar-security-guarantees"));
                await service.KillAsync();
            }
            // The killed service's PostgreSQL still runs, owned by a process that is gone.
            Assert.True(File.Exists(Path.Combine(data, "postmaster.pid")));
            Assert.False(ClusterOwner.Read(data)!.IsAlive());

            var again = await Cli.RunAsync("", ["seed"], embedded);

            Assert.True(again.ExitCode == 0, again.Errors);
            Assert.Matches(@" 0 recorded, [1-9]\d* unchanged", again.Output);
            // The command stopped the left-over server, ran its own and stopped that too.
            Assert.False(File.Exists(Path.Combine(data, "postmaster.pid")));
        }
        finally
        {
            if (File.Exists(Path.Combine(data, "postmaster.pid")))
                await (await LocalPostgres.StartAsync(new LocalPostgresOptions(data))).StopAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task a_service_that_stops_hands_its_cluster_to_another_still_using_it()
    {
        var data = Path.Combine(Path.GetTempPath(), $"positions-embedded-{Guid.NewGuid():N}");
        var embedded = new Dictionary<string, string>(NoConnectionString) { ["Positions__DataDirectory"] = data };
        try
        {
            var first = await ServiceProcess.StartAsync("", environment: embedded);
            await using var second = await ServiceProcess.StartAsync("", environment: embedded);
            Assert.Contains(second.Output, l => l.Contains("of the service already running on it"));

            await first.StopAsync();
            await first.DisposeAsync();

            using var client = second.Client();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
            Assert.Equal(second.ProcessId, ClusterOwner.Read(data)!.ProcessId);
            await second.KillAsync();
        }
        finally
        {
            if (File.Exists(Path.Combine(data, "postmaster.pid")))
                await (await LocalPostgres.StartAsync(new LocalPostgresOptions(data))).StopAsync();
            Directory.Delete(data, recursive: true);
        }
    }
}
