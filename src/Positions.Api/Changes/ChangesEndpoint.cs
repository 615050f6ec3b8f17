using Microsoft.AspNetCore.Mvc;
using Positions.Api.Positions;
using Positions.Api.Shared;
using Positions.Api.Web;
using Wolverine.Http;

namespace Positions.Api.Changes;

public sealed record ChangesAnswer(string Since, string Until, IReadOnlyList<LearnedItem> Items, ShiftChanges Shifts, string? Next);

public static class ChangesEndpoint
{
    /// <summary>The weekly "what did the record learn": every revision recorded in (since, until], and what it did to the shifts.</summary>
    [WolverineGet("/changes")]
    [EndpointSummary("What the record learned")]
    [EndpointDescription("Every statement recorded, corrected, retracted or sourced with recordedAt in (since, until], oldest first and paged; and the shifts known at until but not at since (appeared) and the reverse (vanished), on the first page.")]
    [Tags("Audit")]
    [ProducesResponseType<ChangesAnswer>(200)]
    [ProblemResponse(400)]
    public static async Task<IResult> Get(string? since, string? until, string? limit, string? after, ChangesReader changes,
        TimeProvider clock, CancellationToken ct)
    {
        var query = new QueryParameters();
        var time = TimeQuery.Read(query, null, until, clock);
        var from = query.LowerBound("since", since);
        if (since is null) query.Errors.Add("since", "is required: the instant after which to list what the record learned");
        query.Errors.Check(from is null || from <= time.KnownAt, "since", "must not lie after until");
        var pageSize = query.Limit(limit);
        var cursor = query.Cursor<LearnedCursor>(after);
        if (query.Invalid) return Problems.Invalid(query.Errors, StatusCodes.Status400BadRequest);

        var rows = await changes.ItemsAsync(from!.Value, time.KnownAt, cursor, pageSize + 1, ct);
        var page = Page<(LearnedItem Item, LearnedCursor Key)>.From(rows, pageSize, row => row.Key);
        // The shifts are the interval's, not a page's: the first page carries them.
        var shifts = cursor is null ? await changes.ShiftsAsync(from.Value, time.KnownAt, ct) : new ShiftChanges([], []);
        return Results.Json(new ChangesAnswer(DateOrInstant.FormatInstant(from.Value), time.KnownAtText,
            page.Items.Select(r => r.Item).ToList(), shifts, page.Next), PositionsJson.Options);
    }
}
