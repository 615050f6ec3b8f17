using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Positions.Api.Shared;
using Positions.Api.Statements;
using Positions.Api.Web;
using Wolverine.Http;

namespace Positions.Api.Positions;

public sealed record ShiftEnd(Stance Stance, DateOrInstant SaidAt, string StatementId);

/// <summary>A shift, provisional when none of the statements of the run it begins is firm, with their strongest attribution.</summary>
public sealed record Shift(string Actor, string Topic, ShiftKind Kind, DateOrInstant At, ShiftEnd From, ShiftEnd To,
    bool Provisional, Attribution Attribution);

/// <summary>Where a page of shifts ended: the sort key of its last item.</summary>
public sealed record ShiftCursor(DateTimeOffset At, string Actor, string Topic, string StatementId);

public static class ShiftsEndpoint
{
    /// <summary>Shifts as now known, newest first (ties: actor, topic, the later statement's id): one range of the shifts model.</summary>
    [WolverineGet("/shifts")]
    [EndpointSummary("Full-flops and half-flips")]
    [EndpointDescription("Shifts (as now known) whose later statement was said in [from, to], newest first; firm=true leaves out provisional ones (no firm statement in the run they begin), firm=false keeps only those.")]
    [Tags("Positions")]
    [ProducesResponseType<Page<Shift>>(200)]
    [ProblemResponse(400)]
    public static async Task<IResult> Get(string? actor, string? topic, string? kind, string? from, string? to,
        string? firm, string? limit, string? after, NpgsqlDataSource database, CancellationToken ct)
    {
        var query = new QueryParameters();
        var filter = ReadFilter(query, actor, topic, kind, from, to, firm);
        var pageSize = query.Limit(limit);
        var cursor = query.Cursor<ShiftCursor>(after);
        if (query.Invalid) return Problems.Invalid(query.Errors, StatusCodes.Status400BadRequest);

        var shifts = await ShiftsTable.PageAsync(database, filter, cursor, pageSize + 1, ct);
        return Results.Json(Page<Shift>.From(shifts, pageSize, CursorOf), PositionsJson.Options);
    }

    public static ShiftCursor CursorOf(Shift shift) => new(shift.At.Start, shift.Actor, shift.Topic, shift.To.StatementId);

    /// <summary>The filters of <c>GET /shifts</c> and its CSV, bad ones collected in <paramref name="query"/>.</summary>
    public static ShiftsTable.Filter ReadFilter(QueryParameters query, string? actor, string? topic, string? kind,
        string? from, string? to, string? firm)
    {
        bool? firmFilter = null;
        if (firm is not null && query.Errors.Check(bool.TryParse(firm, out var isFirm), "firm", "must be true or false"))
            firmFilter = isFirm;
        var actorId = query.Id("actor", actor);
        var topicId = query.Id("topic", topic);
        ShiftKind kindFilter = default;
        if (kind is not null)
            query.Errors.Check(KebabEnum<ShiftKind>.TryParse(kind, out kindFilter) && kindFilter != ShiftKind.NoFlip,
                "kind", "must be full-flop or half-flip");
        var lowerBound = query.LowerBound("from", from);
        var upperBound = query.UpperBound("to", to);
        query.CheckRange(lowerBound, upperBound);
        return new ShiftsTable.Filter(actorId, topicId, kind is null ? null : kindFilter, lowerBound, upperBound, firmFilter);
    }
}
