using System.Globalization;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Positions.Api.Positions;
using Positions.Api.Shared;
using Positions.Api.Topics;
using Positions.Api.Web;
using Wolverine.Http;

namespace Positions.Api.Series;

public sealed record TopicSeries(string Topic, string KnownAt, IReadOnlyList<string> Steps, IReadOnlyList<ActorSeries> Actors);

public static class TopicSeriesEndpoint
{
    /// <summary>
    /// Every actor's position on the topic at the end of each step, as known at knownAt: one read of the topic's
    /// timelines up to the last step, folded per actor in one pass (<see cref="ActorSeries.Of"/>), not a read per step.
    /// </summary>
    [WolverineGet("/topics/{id}/series")]
    [EndpointSummary("A topic's positions over time")]
    [EndpointDescription("Each actor's score on the topic as of the end of every day, week (ISO, ending Sunday), month or year that meets [from, to], as known at knownAt; null where it had none, with whether its run was provisional. At most 1000 steps.")]
    [Tags("Positions")]
    [ProducesResponseType<TopicSeries>(200)]
    [ProblemResponse(400)]
    [ProblemResponse(404)]
    public static async Task<IResult> Get(string id, string? from, string? to, string? step, string? knownAt,
        IQuerySession session, RevisionReader revisions, NpgsqlDataSource database, TimeProvider clock, CancellationToken ct)
    {
        var query = new QueryParameters();
        var time = TimeQuery.Read(query, null, knownAt, clock);
        var first = from is null ? null : Day(query, "from", from);
        if (from is null) query.Errors.Add("from", "is required: the day the series begins (2025-01-01)");
        var last = to is null ? DateOnly.FromDateTime(time.Now.UtcDateTime) : Day(query, "to", to);
        Step stepKind = Step.Month;
        if (step is not null)
            query.Errors.Check(KebabEnum<Step>.TryParse(step, out stepKind), "step", "must be day, week, month or year");
        if (first is { } f && last is { } l)
        {
            query.Errors.Check(f <= l, "from", "must not be after to");
            if (f <= l && SeriesSteps.Count(f, l, stepKind) is var count && count > SeriesSteps.MaxSteps)
                query.Errors.Add("step", $"gives {count} steps from {SeriesSteps.Name(f)} to {SeriesSteps.Name(l)}; at most {SeriesSteps.MaxSteps}: take a longer step or a shorter range");
        }
        if (query.Invalid) return Problems.Invalid(query.Errors, StatusCodes.Status400BadRequest);
        if (!Slug.IsValid(id) || await session.LoadAsync<Topic>(id, ct) is null) return Problems.NotFound($"No topic '{id}'.");

        var ends = SeriesSteps.Ends(first!.Value, last!.Value, stepKind).ToList();
        var endInstants = ends.Select(e => DateOrInstant.FromDate(e).EndInclusive).ToList();
        await using var connection = await database.OpenConnectionAsync(ct);
        var actors = await revisions.TimelinesAsync(connection, null, id, endInstants[^1], time.KnownAt, ct)
            .Select(timeline => ActorSeries.Of(timeline.Actor, timeline.Entries, endInstants))
            .ToListAsync(ct);
        return Results.Json(new TopicSeries(id, time.KnownAtText, ends.Select(SeriesSteps.Name).ToList(), actors), PositionsJson.Options);
    }

    private static DateOnly? Day(QueryParameters query, string name, string text)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return day;
        query.Errors.Add(name, "must be a date (2025-08-26)");
        return null;
    }
}
