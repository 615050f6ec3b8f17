using System.Diagnostics;
using System.Net;
using Positions.Api.Tests.Integration;

namespace Positions.Api.Tests.Resilience;

/// <summary>
/// Webhook deliveries are kept in Wolverine's durable inbox: a service killed mid-delivery (SIGKILL, nothing runs on
/// the way down) loses none. Its restart takes the unfinished ones over once the dead instance's heartbeat is stale,
/// and sends them again under the same delivery id.
/// </summary>
public class WebhookRestartTests
{
    private const string Secret = "a-long-random-secret-for-tests";

    [Fact]
    public async Task a_service_killed_mid_delivery_loses_nothing_and_every_copy_carries_the_same_delivery_id()
    {
        await using var database = await TestDatabase.StartAsync();
        var settings = new Dictionary<string, string>
        {
            ["Positions__Webhooks__AllowedHosts"] = "127.0.0.1",
            ["Positions__Webhooks__CrashTakeOverSeconds"] = "5",
            // Longer than the test needs: the hanging attempt ends with the service.
            ["Positions__Webhooks__TimeoutSeconds"] = "60",
        };
        var crashed = false;
        var hang = new TaskCompletionSource(); // never answered
        // Before the crash: every first attempt fails, every later one hangs. After: everything is taken.
        await using var receiver = new WebhookReceiver(Secret, (_, attempt) =>
            Volatile.Read(ref crashed) ? new Reply(200) : attempt == 1 ? new Reply(500) : new Reply(200, After: hang.Task));

        var first = await ServiceProcess.StartAsync(database.ConnectionString, environment: settings);
        using var client = first.Client();
        var (actor, topic) = (await Given.ActorAsync(client), await Given.TopicAsync(client));
        var created = await client.PostJsonAsync("/subscriptions", new { url = receiver.Url, secret = Secret, actor });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var subscription = (string)created.Json["id"]!;

        await client.PostJsonAsync("/statements", Given.Statement($"r1-{actor}", [actor], topic, "opposes", "2025-01-01"));
        await client.PostJsonAsync("/statements", Given.Statement($"r2-{actor}", [actor], topic, "supports", "2025-02-01"));
        await receiver.WaitForAsync(r => r.Any(d => d.Attempt == 2), TimeSpan.FromSeconds(30)); // now hanging
        // A second shift just before the crash: its delivery is somewhere between the feed and the receiver.
        await client.PostJsonAsync("/statements", Given.Statement($"r3-{actor}", [actor], topic, "opposes", "2025-03-01"));
        await first.KillAsync();
        var killedAt = Stopwatch.StartNew();
        Volatile.Write(ref crashed, true);

        await using var second = await ServiceProcess.StartAsync(database.ConnectionString, environment: settings);
        var shifts = new[] { $"r2-{actor}", $"r3-{actor}" };
        var received = await receiver.WaitForAsync(r => shifts.All(to => r.Any(d => d.AnsweredWith == 200 && ShiftTo(d) == to)),
            TimeSpan.FromSeconds(90));
        Figures.Report($"webhooks: SIGKILL mid-delivery, all {shifts.Length} shifts delivered {killedAt.Elapsed.TotalSeconds:0.0} s after it " +
            $"(take-over after 5 s), {received.Count} requests for {received.Select(d => d.DeliveryId).Distinct().Count()} deliveries");

        Assert.All(received, d => Assert.True(d.SignatureHolds));
        // One delivery per shift; every copy of one is the same bytes under the same id.
        var byId = received.GroupBy(d => d.DeliveryId).ToList();
        Assert.Equal(shifts.Length, byId.Count);
        Assert.All(byId, copies => Assert.Single(copies.Select(c => Convert.ToBase64String(c.Body)).Distinct()));
        Assert.Equal(shifts.Order(), byId.Select(copies => ShiftTo(copies.First())).Order());

        using var after = second.Client();
        var deliveries = await WebhookDeliveries.DeliveredAsync(after, subscription, shifts.Length, TimeSpan.FromSeconds(30));
        var cutShort = deliveries.Single(d => (string)d["body"]!["data"]!["to"]!["statementId"]! == $"r2-{actor}")!["attempts"]!.AsArray();
        Assert.Equal(500, (int)cutShort[0]!["status"]!);
        // The attempt the crash cut short shows as begun and never finished.
        Assert.True(cutShort[1]!["status"] is null && cutShort[1]!["error"] is null && cutShort[1]!["finishedAt"] is null);
        Assert.Equal(200, (int)cutShort[^1]!["status"]!);
    }

    private static string ShiftTo(ReceivedDelivery delivery) => (string)delivery.Json["data"]!["to"]!["statementId"]!;
}
