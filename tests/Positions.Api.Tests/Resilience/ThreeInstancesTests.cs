using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Positions.Api.Tests.Integration;

namespace Positions.Api.Tests.Resilience;

/// <summary>
/// Three instances on one PostgreSQL behind HAProxy (Debian package <c>haproxy</c>, configured by
/// <c>deploy/haproxy/positions.cfg</c>), one of them killed with SIGKILL and started again while writers and readers
/// keep going: every acknowledged write is on each of its streams once, reads through another instance see a write
/// at once, and the current-answer cache never answers stale.
/// </summary>
[Collection(IntegrationCollection.Name)]
public class ThreeInstancesTests(PositionsApp app)
{
    [Fact]
    public async Task a_killed_instance_loses_no_acknowledged_write_and_no_read_is_stale()
    {
        Assert.True(File.Exists("/usr/sbin/haproxy"), "needs HAProxy: apt-get install haproxy (.ci/run installs it)");
        var setup = app.Client();
        var actors = new[] { await Given.ActorAsync(setup), await Given.ActorAsync(setup), await Given.ActorAsync(setup) };
        var topic = await Given.TopicAsync(setup);
        var instances = new ServiceProcess?[3];
        for (var i = 0; i < 3; i++) instances[i] = await ServiceProcess.StartAsync(app.ConnectionString);
        var ports = instances.Select(i => i!.Address.Port).ToArray();
        var lbPort = ServiceProcess.FreePort();
        using var balancer = StartBalancer(lbPort, ports);
        try
        {
            using var viaBalancer = Client(lbPort);
            await WaitUntilAsync(async () => (await viaBalancer.GetAsync("/health/ready")).IsSuccessStatusCode);

            var acknowledged = new ConcurrentBag<(string Id, string[] Holders)>();
            var wrong = new ConcurrentBag<string>();
            using var stop = new CancellationTokenSource();
            // Writers through the balancer: each statement sent until acknowledged, with its id as idempotency key.
            var writers = Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
            {
                using var client = Client(lbPort);
                for (var n = 0; !stop.IsCancellationRequested; n++)
                {
                    var holders = n % 5 == 0 ? actors : [actors[(w + n) % 3]];
                    var id = $"lb{w}-{n}-{actors[0]}";
                    var body = Given.Statement(id, holders, topic, n % 2 == 0 ? "supports" : "opposes", "2024-06-01");
                    for (var attempt = 0; ; attempt++)
                    {
                        var answer = await TryPostAsync(client, body);
                        if (answer is HttpStatusCode.Created or HttpStatusCode.OK) break;
                        if (answer is not (null or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout))
                            wrong.Add($"{id}: {answer}");
                        if (attempt > 100) { wrong.Add($"{id}: never acknowledged"); break; }
                        await Task.Delay(50);
                    }
                    acknowledged.Add((id, holders));
                }
            })).ToArray();

            // Read-your-writes across instances, and the cache: a write through one instance, read at once through another.
            var reader = Task.Run(async () =>
            {
                var (actor, ownTopic) = (await Given.ActorAsync(setup), await Given.TopicAsync(setup));
                for (var n = 0; !stop.IsCancellationRequested; n++)
                {
                    var (from, to) = (instances[n % 3], instances[(n + 1) % 3]);
                    if (from is null || to is null) { await Task.Delay(20); continue; }
                    try
                    {
                        using var writeClient = from.Client();
                        using var readClient = to.Client();
                        var id = $"ryw{n}-{actor}";
                        var stance = n % 2 == 0 ? "supports" : "opposes";
                        var written = await writeClient.PostJsonAsync("/statements",
                            Given.Statement(id, [actor], ownTopic, stance, DateOnly.FromDateTime(new DateTime(2020, 1, 1)).AddDays(n).ToString("yyyy-MM-dd")));
                        if (written.Status != HttpStatusCode.Created) continue;
                        var positions = (await readClient.GetJsonAsync($"/actors/{actor}/positions")).Json["positions"]!.AsArray();
                        var current = positions.SingleOrDefault(p => (string?)p!["topic"] == ownTopic);
                        if ((string?)current?["statementId"] != id || (string?)current?["stance"] != stance)
                            wrong.Add($"stale answer after {id}: {current?.ToJsonString()}");
                    }
                    catch (HttpRequestException) { } // the instance was just killed
                }
            });

            await Task.Delay(3000);
            var killed = instances[1]!;
            instances[1] = null;
            await killed.KillAsync();
            await Task.Delay(1500);
            instances[1] = await ServiceProcess.StartAsync(app.ConnectionString, ports[1]);
            await Task.Delay(3000);
            await stop.CancelAsync();
            await Task.WhenAll(writers);
            await reader;

            Assert.Empty(wrong);
            Assert.True(acknowledged.Count > 30, $"only {acknowledged.Count} writes");
            foreach (var actor in actors)
            {
                var onStream = await StatementIdsOnStreamAsync(setup, actor);
                var expected = acknowledged.Where(w => w.Holders.Contains(actor)).Select(w => w.Id).Order().ToList();
                Assert.Equal(expected, onStream.Order().ToList()); // each once: no loss, no duplicate
            }
        }
        finally
        {
            foreach (var instance in instances) if (instance is not null) await instance.DisposeAsync();
            if (!balancer.HasExited) balancer.Kill();
        }
    }

    private static Process StartBalancer(int port, int[] instancePorts)
    {
        var start = new ProcessStartInfo("haproxy", ["-db", "-f", Path.Combine(Repository.Root, "deploy", "haproxy", "positions.cfg")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["POSITIONS_LB_PORT"] = port.ToString();
        for (var i = 0; i < 3; i++) start.Environment[$"POSITIONS_{i + 1}"] = $"127.0.0.1:{instancePorts[i]}";
        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static HttpClient Client(int port) => ServiceProcess.ClientFor(new Uri($"http://127.0.0.1:{port}"));

    private static async Task<HttpStatusCode?> TryPostAsync(HttpClient client, object body)
    {
        try
        {
            return (await client.PostJsonAsync("/statements", body)).Status;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task<List<string>> StatementIdsOnStreamAsync(HttpClient client, string actor)
    {
        var ids = new List<string>();
        string? after = null;
        do
        {
            var page = (await client.GetJsonAsync($"/actors/{actor}/events?limit=500" + (after is null ? "" : $"&after={after}"))).Json;
            ids.AddRange(page["items"]!.AsArray().Select(e => (string)e!["data"]!["statementId"]!));
            after = (string?)page["next"];
        } while (after is not null);
        return ids;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            try { if (await condition()) return; } catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException("the load balancer never saw a ready instance");
    }
}
