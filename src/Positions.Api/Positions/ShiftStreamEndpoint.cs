using System.Text.Json;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Mvc;
using Positions.Api.Shared;
using Positions.Api.Statements;
using Positions.Api.Web;
using Wolverine.Http;

namespace Positions.Api.Positions;

public static class ShiftStreamEndpoint
{
    public const string Path = "/shifts/stream";

    /// <summary>A comment this often keeps proxies from closing a quiet stream.</summary>
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    [DisableRequestTimeout]
    [WolverineGet(Path)]
    [EndpointSummary("Shifts as they happen (server-sent events)")]
    [EndpointDescription("text/event-stream: an 'event: shift' whenever a write makes a shift appear or change, data shaped like a /shifts item, id the global sequence of the write's event. Filters as /shifts (actor, topic, kind, firm). Last-Event-ID (header or ?lastEventId=) replays every shift after it from the record; a comment every 15 s keeps the connection open.")]
    [Tags("Positions")]
    [ProducesResponseType(typeof(string), 200, "text/event-stream")]
    [ProblemResponse(400)]
    public static async Task<IResult> Get(string? actor, string? topic, string? kind, string? firm, string? lastEventId,
        HttpRequest request, ShiftFeed feed, CancellationToken ct)
    {
        var query = new QueryParameters();
        var filter = ShiftsEndpoint.ReadFilter(query, actor, topic, kind, null, null, firm);
        var resumeText = request.Headers["Last-Event-ID"].FirstOrDefault() ?? lastEventId;
        long resume = 0;
        if (resumeText is not null)
            query.Errors.Check(long.TryParse(resumeText, out resume) && resume > 0, "lastEventId", "must be an id this stream sent");
        FeedCursor? resumeAfter = null;
        if (!query.Invalid && resumeText is not null)
            query.Errors.Check((resumeAfter = await feed.CursorOfAsync(resume, ct)) is not null, "lastEventId", "names no event this stream sent");
        if (query.Invalid) return Problems.Invalid(query.Errors, StatusCodes.Status400BadRequest);
        return new ShiftStream(feed, filter, resumeAfter);
    }

    private sealed class ShiftStream(ShiftFeed feed, ShiftsTable.Filter filter, FeedCursor? resumeAfter) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            var (response, ct) = (context.Response, context.RequestAborted);
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Accel-Buffering"] = "no"; // nginx: pass each event on at once
            var (items, last, subscription) = await feed.SubscribeAsync(ct);
            using var _ = subscription;
            try
            {
                await response.WriteAsync(": shifts as they happen\n\n", ct);
                await response.Body.FlushAsync(ct);
                if (resumeAfter is { } after)
                    await foreach (var item in feed.ReplayAsync(after, last, ct)) await WriteAsync(response, item, ct);
                while (!ct.IsCancellationRequested)
                {
                    using var quiet = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    quiet.CancelAfter(KeepAlive);
                    try
                    {
                        if (!await items.WaitToReadAsync(quiet.Token)) return;
                        while (items.TryRead(out var item)) await WriteAsync(response, item, ct);
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                    {
                        await response.WriteAsync(": keep-alive\n\n", ct);
                        await response.Body.FlushAsync(ct);
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // The client went away.
            }
        }

        private async Task WriteAsync(HttpResponse response, FeedItem item, CancellationToken ct)
        {
            if (!filter.Matches(item.Shift)) return;
            await response.WriteAsync($"id: {item.EventId}\nevent: shift\ndata: {JsonSerializer.Serialize(item.Shift, PositionsJson.Options)}\n\n", ct);
            await response.Body.FlushAsync(ct);
        }
    }
}
