using Microsoft.AspNetCore.Mvc;
using Positions.Api.Shared;
using Positions.Api.Statements;
using Positions.Api.Web;
using Wolverine.Http;

namespace Positions.Api.Positions;

public sealed record ShiftEnd(Stance Stance, DateOrInstant SaidAt, string StatementId);

public sealed record Shift(string Actor, string Topic, ShiftKind Kind, DateOrInstant At, ShiftEnd From, ShiftEnd To);

/// <summary>Where a page of shifts ended: the sort key of its last item.</summary>
public sealed record ShiftCursor(DateTimeOffset At, string Actor, string Topic, string StatementId);

public static class ShiftsEndpoint
{
    /// <summary>Shifts as now known, newest first (ties: actor, topic, the later statement's id).</summary>
    [WolverineGet("/shifts")]
    [EndpointSummary("Full-flops and half-flips")]
    [EndpointDescription("Shifts (as now known) whose later statement was said in [from, to], newest first.")]
    [Tags("Positions")]
    [ProducesResponseType<Page<Shift>>(200)]
    [ProblemResponse(400)]
    public static async Task<IResult> Get(string? actor, string? topic, string? kind, string? from, string? to,
        string? limit, string? after, RevisionReader revisions, TimeProvider clock, CancellationToken ct)
    {
        var query = new QueryParameters();
        var actorId = query.Id("actor", actor);
        var topicId = query.Id("topic", topic);
        ShiftKind kindFilter = default;
        if (kind is not null)
            query.Errors.Check(KebabEnum<ShiftKind>.TryParse(kind, out kindFilter) && kindFilter != ShiftKind.NoFlip,
                "kind", "must be full-flop or half-flip");
        var lowerBound = query.LowerBound("from", from);
        var upperBound = query.UpperBound("to", to);
        query.CheckRange(lowerBound, upperBound);
        var pageSize = query.Limit(limit);
        var cursor = query.Cursor<ShiftCursor>(after);
        if (query.Invalid) return Problems.Invalid(query.Errors, StatusCodes.Status400BadRequest);

        var now = DateOrInstant.Truncate(clock.GetUtcNow());
        var counting = await revisions.CountingAsync(actorId, topicId, now, now, ct);
        var shifts = counting
            .GroupBy(c => (c.Actor, c.Topic))
            .SelectMany(timeline => Timeline.Shifts(timeline.Select(c => c.Entry).ToList())
                .Select(pair => ToShift(timeline.Key.Actor, timeline.Key.Topic, pair)))
            .Where(s => kind is null || s.Kind == kindFilter)
            .Where(s => (lowerBound is null || s.At.Start >= lowerBound) && (upperBound is null || s.At.Start <= upperBound))
            .OrderByDescending(s => s.At.Start)
            .ThenBy(s => s.Actor, StringComparer.Ordinal)
            .ThenBy(s => s.Topic, StringComparer.Ordinal)
            .ThenBy(s => s.To.StatementId, StringComparer.Ordinal)
            .SkipWhile(s => cursor is not null && !IsAfter(s, cursor))
            .Take(pageSize + 1)
            .ToList();

        return Results.Json(Page<Shift>.From(shifts, pageSize,
            s => new ShiftCursor(s.At.Start, s.Actor, s.Topic, s.To.StatementId)), PositionsJson.Options);
    }

    private static Shift ToShift(string actor, string topic, ShiftPair pair) => new(actor, topic, pair.Kind, pair.To.SaidAt,
        new ShiftEnd(pair.From.Stance, pair.From.SaidAt, pair.From.StatementId),
        new ShiftEnd(pair.To.Stance, pair.To.SaidAt, pair.To.StatementId));

    private static bool IsAfter(Shift shift, ShiftCursor cursor)
    {
        if (shift.At.Start != cursor.At) return shift.At.Start < cursor.At;
        var byActor = string.CompareOrdinal(shift.Actor, cursor.Actor);
        if (byActor != 0) return byActor > 0;
        var byTopic = string.CompareOrdinal(shift.Topic, cursor.Topic);
        if (byTopic != 0) return byTopic > 0;
        return string.CompareOrdinal(shift.To.StatementId, cursor.StatementId) > 0;
    }
}
