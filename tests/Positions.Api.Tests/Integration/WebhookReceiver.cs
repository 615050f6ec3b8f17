using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Positions.Api.Tests.Integration;

/// <summary>
/// What a receiver saw of one request: the delivery id it was sent under, the body, whether its signature held, and
/// the status it was answered with (null when the answer waits: a receiver that hangs).
/// </summary>
public sealed record ReceivedDelivery(string? DeliveryId, byte[] Body, bool SignatureHolds, int Attempt, int? AnsweredWith)
{
    public JsonNode Json => JsonNode.Parse(Body)!;
}

/// <summary>What the receiver answers: a status code, a Location for redirects, or a wait first (a receiver that hangs).</summary>
public sealed record Reply(int Status, string? Location = null, Task? After = null);

/// <summary>
/// A webhook receiver on a real socket (HttpListener on 127.0.0.1), as a subscriber would run one: it checks each
/// request's signature with its own HMAC-SHA256 of the raw body, and answers as the test tells it, per delivery id
/// and attempt (1 for the first request under an id).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _secret;
    private readonly Func<string?, int, Reply> _answer;
    private readonly ConcurrentQueue<ReceivedDelivery> _received = new();
    private readonly ConcurrentDictionary<string, int> _attempts = new();
    private readonly Task _serving;

    public WebhookReceiver(string secret, Func<string?, int, Reply> answer, string host = "127.0.0.1")
    {
        _secret = secret;
        _answer = answer;
        var port = FreePort();
        Url = $"http://{host}:{port}/hooks/positions";
        _listener.Prefixes.Add($"http://{host}:{port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string Url { get; }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public IReadOnlyList<ReceivedDelivery> Received => [.. _received];

    public async Task<IReadOnlyList<ReceivedDelivery>> WaitForAsync(Func<IReadOnlyList<ReceivedDelivery>, bool> enough, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!enough(Received))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"The receiver got {Received.Count} requests, not what the test waits for, within {within}.");
            await Task.Delay(100);
        }
        return Received;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        var bytes = body.ToArray();
        var id = context.Request.Headers["Positions-Delivery"];
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(_secret), bytes));
        var holds = context.Request.Headers["Positions-Signature"] == expected;
        var attempt = _attempts.AddOrUpdate(id ?? "", 1, (_, n) => n + 1);
        var reply = _answer(id, attempt);
        _received.Enqueue(new ReceivedDelivery(id, bytes, holds, attempt, reply.After is null ? reply.Status : null));
        try
        {
            if (reply.After is { } after) await after;
            context.Response.StatusCode = reply.Status;
            if (reply.Location is not null) context.Response.RedirectLocation = reply.Location;
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            // The sender went away (the service was killed) before the answer.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Close();
        await _serving;
    }
}

/// <summary>What the service says of a subscription's deliveries, for tests on both sides of the wire.</summary>
public static class WebhookDeliveries
{
    /// <summary>
    /// The subscription's deliveries once <paramref name="count"/> of them are delivered, as the API lists them (a
    /// receiver's answer is recorded an instant after the receiver sends it).
    /// </summary>
    public static async Task<List<JsonNode>> DeliveredAsync(HttpClient client, string subscription, int count, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var page = JsonNode.Parse(await client.GetStringAsync($"/subscriptions/{subscription}/deliveries"))!;
            var items = page["items"]!.AsArray().Select(d => d!).ToList();
            if (items.Count(d => (string)d["state"]! == "delivered") >= count) return items;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{items.Count} deliveries, not {count} delivered, within {within}.");
            await Task.Delay(100);
        }
    }
}
