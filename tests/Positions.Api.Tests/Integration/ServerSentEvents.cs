using System.Text.Json.Nodes;

namespace Positions.Api.Tests.Integration;

/// <summary>One event of a text/event-stream, or a comment line.</summary>
public sealed record ServerSentEvent(string? Id, string? Event, JsonNode? Data, string? Comment);

/// <summary>Reads a text/event-stream answer as a client would, event by event.</summary>
public sealed class ServerSentEvents : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private ServerSentEvents(HttpResponseMessage response, StreamReader reader) => (_response, _reader) = (response, reader);

    public static async Task<ServerSentEvents> OpenAsync(HttpClient client, string url, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new ServerSentEvents(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>The next event or comment, or a TimeoutException when none comes in time.</summary>
    public async Task<ServerSentEvent> NextAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        string? id = null, name = null, data = null;
        while (await _reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith(':')) return new ServerSentEvent(null, null, null, line[1..].Trim());
            if (line.Length == 0)
            {
                if (data is not null) return new ServerSentEvent(id, name, JsonNode.Parse(data), null);
                continue;
            }
            var (field, value) = line.IndexOf(':') is var colon and > 0 ? (line[..colon], line[(colon + 1)..].TrimStart()) : (line, "");
            switch (field)
            {
                case "id": id = value; break;
                case "event": name = value; break;
                case "data": data = value; break;
            }
        }
        throw new InvalidOperationException("The stream ended.");
    }

    /// <summary>The next event that is not a comment.</summary>
    public async Task<ServerSentEvent> NextEventAsync(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var next = await NextAsync(deadline - DateTime.UtcNow);
            if (next.Comment is null) return next;
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
