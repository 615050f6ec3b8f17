using System.Net;
using System.Text.Json.Nodes;
using Alba;

namespace Positions.Api.Tests.Integration;

/// <summary>A host of its own, on a database of its own, that may call 127.0.0.1: no other test's instance takes its deliveries.</summary>
public sealed class WebhookApp : IAsyncLifetime
{
    private TestDatabase? _database;
    public IAlbaHost Host { get; private set; } = null!;
    public string ConnectionString => _database!.ConnectionString;

    public static readonly (string, string)[] Settings =
        [("Positions:Webhooks:AllowedHosts", "127.0.0.1"), ("Positions:Webhooks:TimeoutSeconds", "2"), ("Positions:Limits:RateLimiting", "false")];

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.StartAsync();
        Host = await HostFactory.StartAsync(_database.ConnectionString, Settings);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}

public class WebhookTests(WebhookApp app) : IClassFixture<WebhookApp>
{
    private const string Secret = "a-long-random-secret-for-tests";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task subscribing_needs_a_key_and_an_allowed_host_and_no_answer_shows_the_secret()
    {
        using var client = app.Host.Client();
        using var anonymous = app.Host.Client(key: null);
        var actor = await Given.ActorAsync(client);
        var good = new { url = "http://127.0.0.1:9/hook", secret = Secret, actor, topic = (string?)null, kind = "full-flop", firm = true };

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostJsonAsync("/subscriptions", good)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetJsonAsync("/subscriptions")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync($"/subscriptions/{Guid.NewGuid()}")).StatusCode);

        var bad = await client.PostJsonAsync("/subscriptions",
            new { url = "https://hooks.example.org/x", secret = "short", actor = "no-such-actor", topic = "NOT A SLUG", kind = "no-flip" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.Status);
        var errors = bad.Json["errors"]!;
        Assert.Contains("'hooks.example.org' is not one this service may call", (string)errors["url"]![0]!);
        Assert.All(new[] { "secret", "actor", "topic", "kind" }, field => Assert.NotNull(errors[field]));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostRawAsync("/subscriptions", "{\"url\": \"http://127.0.0.1/\", \"firm\": \"yes\"}")).Status);
        var ftp = await client.PostJsonAsync("/subscriptions", new { url = "ftp://127.0.0.1/x", secret = Secret });
        Assert.Contains("http or https", (string)ftp.Json["errors"]!["url"]![0]!);

        var created = await client.PostJsonAsync("/subscriptions", good);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var id = (string)created.Json["id"]!;
        Assert.Equal($"/subscriptions/{id}", created.Response.Headers.Location?.ToString());
        Assert.Equal(actor, (string)created.Json["actor"]!);
        Assert.Equal("full-flop", (string)created.Json["kind"]!);
        Assert.Equal(PositionsApp.WriterName, (string)created.Json["createdBy"]!);

        var one = await client.GetJsonAsync($"/subscriptions/{id}");
        var all = await client.GetJsonAsync("/subscriptions?limit=1000");
        Assert.Equal(id, (string)one.Json["id"]!);
        Assert.Contains(all.Json["items"]!.AsArray(), s => (string)s!["id"]! == id);
        foreach (var answer in new[] { created, one, all }) Assert.DoesNotContain(Secret, answer.Json.ToJsonString());
        Assert.Empty((await client.GetJsonAsync($"/subscriptions/{id}/deliveries")).Json["items"]!.AsArray());

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/subscriptions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetJsonAsync($"/subscriptions/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetJsonAsync($"/subscriptions/{id}/deliveries")).Status);
        var again = await client.DeleteAsync($"/subscriptions/{id}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task a_shift_reaches_its_subscriber_signed_and_a_failed_attempt_is_made_again_under_the_same_id()
    {
        using var client = app.Host.Client();
        await using var receiver = new WebhookReceiver(Secret, (_, attempt) => new Reply(attempt == 1 ? 500 : 204));
        var (followed, other, topic) = (await Given.ActorAsync(client), await Given.ActorAsync(client), await Given.TopicAsync(client));
        var subscription = await SubscribeAsync(client, new { url = receiver.Url, secret = Secret, actor = followed });

        // The other actor's shift is fed first: had it matched, it would be queued no later than the followed one's.
        await ShiftAsync(client, other, topic);
        var to = await ShiftAsync(client, followed, topic);

        var received = await receiver.WaitForAsync(r => r.Any(d => d.AnsweredWith == 204), Within);
        Assert.All(received, d => Assert.True(d.SignatureHolds, "the signature is the HMAC-SHA256 of the raw body with the secret"));
        Assert.Equal([1, 2], received.Select(d => d.Attempt));
        var (first, second) = (received[0], received[1]);
        Assert.Equal(first.DeliveryId, second.DeliveryId);
        Assert.Equal(first.Body, second.Body);
        Assert.Equal(first.DeliveryId, (string)first.Json["id"]!);
        Assert.Equal("shift", (string)first.Json["event"]!);
        Assert.Equal(followed, (string)first.Json["data"]!["actor"]!);
        Assert.Equal(to, (string)first.Json["data"]!["to"]!["statementId"]!);
        Assert.Equal("full-flop", (string)first.Json["data"]!["kind"]!);

        var delivery = Assert.Single(await DeliveredAsync(client, subscription, count: 1));
        Assert.Equal(first.DeliveryId, (string)delivery["id"]!);
        Assert.Equal("delivered", (string)delivery["state"]!);
        Assert.True(JsonNode.DeepEquals(first.Json, delivery["body"]));
        var attempts = delivery["attempts"]!.AsArray();
        Assert.Equal([500, 204], attempts.Select(a => (int)a!["status"]!));
        Assert.Contains("500", (string)attempts[0]!["error"]!);
        Assert.Null(attempts[1]!["error"]);
        Assert.Single(receiver.Received.Select(d => d.DeliveryId).Distinct());
    }

    [Fact]
    public async Task a_redirect_is_not_followed_and_a_deleted_subscription_gets_nothing_more()
    {
        using var client = app.Host.Client();
        // "localhost" is not on the allow-list (127.0.0.1 is): the service must never reach it, even when sent there.
        await using var elsewhere = new WebhookReceiver(Secret, (_, _) => new Reply(200), host: "localhost");
        await using var receiver = new WebhookReceiver(Secret, (_, attempt) => attempt == 1 ? new Reply(307, elsewhere.Url) : new Reply(200));
        await using var deleted = new WebhookReceiver(Secret, (_, _) => new Reply(200));
        var (actor, topic) = (await Given.ActorAsync(client), await Given.TopicAsync(client));
        var subscription = await SubscribeAsync(client, new { url = receiver.Url, secret = Secret, actor });
        var gone = await SubscribeAsync(client, new { url = deleted.Url, secret = Secret, actor });
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/subscriptions/{gone}")).StatusCode);

        await ShiftAsync(client, actor, topic);
        await receiver.WaitForAsync(r => r.Any(d => d.AnsweredWith == 200), Within);

        Assert.Empty(elsewhere.Received);
        Assert.Empty(deleted.Received);
        var attempts = Assert.Single(await DeliveredAsync(client, subscription, count: 1))["attempts"]!.AsArray();
        Assert.Equal(307, (int)attempts[0]!["status"]!);
        Assert.Equal($"redirect to {elsewhere.Url} not followed", (string)attempts[0]!["error"]!);
        Assert.Equal(200, (int)attempts[1]!["status"]!);
    }

    [Fact]
    public async Task a_receiver_that_does_not_answer_in_time_gets_the_delivery_again()
    {
        using var client = app.Host.Client();
        await using var receiver = new WebhookReceiver(Secret,
            (_, attempt) => attempt == 1 ? new Reply(200, After: Task.Delay(TimeSpan.FromSeconds(10))) : new Reply(200));
        var (actor, topic) = (await Given.ActorAsync(client), await Given.TopicAsync(client));
        var subscription = await SubscribeAsync(client, new { url = receiver.Url, secret = Secret, actor });

        await ShiftAsync(client, actor, topic);

        var attempts = Assert.Single(await DeliveredAsync(client, subscription, count: 1))["attempts"]!.AsArray();
        Assert.Equal("no answer within 2 s", (string)attempts[0]!["error"]!);
        Assert.Null(attempts[0]!["status"]);
        Assert.Equal(200, (int)attempts[1]!["status"]!);
    }

    [Fact]
    public async Task two_instances_dispatching_from_one_database_make_each_delivery_once()
    {
        await using var other = await HostFactory.StartAsync(app.ConnectionString, WebhookApp.Settings);
        using var client = app.Host.Client();
        using var otherClient = other.Client();
        await using var receiver = new WebhookReceiver(Secret, (_, _) => new Reply(200));
        var topic = await Given.TopicAsync(client);
        var actors = new List<string>();
        for (var i = 0; i < 12; i++) actors.Add(await Given.ActorAsync(client));
        var subscription = await SubscribeAsync(client, new { url = receiver.Url, secret = Secret, topic });

        // Half the shifts written through each instance, all at once: both dispatch, one turn at a time.
        await Task.WhenAll(actors.Select((actor, i) => ShiftAsync(i % 2 == 0 ? client : otherClient, actor, topic)));

        var deliveries = await DeliveredAsync(client, subscription, count: actors.Count);
        Assert.Equal(actors.Order(), deliveries.Select(d => (string)d["body"]!["data"]!["actor"]!).Order());
        await Task.Delay(WebhookDispatcherTurns);
        Assert.Equal(actors.Count, receiver.Received.Select(d => d.DeliveryId).Distinct().Count());
        Assert.Equal(actors.Count, (await client.GetJsonAsync($"/subscriptions/{subscription}/deliveries")).Json["items"]!.AsArray().Count);
    }

    /// <summary>A few of the dispatcher's turns (250 ms each): time for a duplicate to appear, were one made.</summary>
    private static readonly TimeSpan WebhookDispatcherTurns = TimeSpan.FromSeconds(1.5);

    private static Task<List<JsonNode>> DeliveredAsync(HttpClient client, string subscription, int count) =>
        WebhookDeliveries.DeliveredAsync(client, subscription, count, Within);

    private static async Task<string> SubscribeAsync(HttpClient client, object subscription)
    {
        var created = await client.PostJsonAsync("/subscriptions", subscription);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return (string)created.Json["id"]!;
    }

    /// <summary>Opposes, then supports: one full-flop. Returns the later statement's id.</summary>
    private static async Task<string> ShiftAsync(HttpClient client, string actor, string topic)
    {
        Assert.Equal(HttpStatusCode.Created,
            (await client.PostJsonAsync("/statements", Given.Statement($"a-{actor}", [actor], topic, "opposes", "2025-01-01"))).Status);
        Assert.Equal(HttpStatusCode.Created,
            (await client.PostJsonAsync("/statements", Given.Statement($"b-{actor}", [actor], topic, "supports", "2025-02-01"))).Status);
        return $"b-{actor}";
    }
}
