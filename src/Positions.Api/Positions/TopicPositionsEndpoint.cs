using Microsoft.AspNetCore.Mvc;
using Positions.Api.Shared;
using Positions.Api.Storage;
using Positions.Api.Statements;
using Positions.Api.Web;
using Wolverine.Http;

namespace Positions.Api.Positions;

public sealed record ActorStance(string Actor, Stance Stance, int Score, string[] Conditions, DateOrInstant Since, string StatementId, bool Provisional, Attribution Attribution);

public sealed record TopicPositions(string Topic, string AsOf, string KnownAt, IReadOnlyList<ActorStance> Positions);

public static class TopicPositionsEndpoint
{
    [WolverineGet("/topics/{id}/positions")]
    [EndpointSummary("Every actor's stance on a topic")]
    [EndpointDescription("One entry per actor holding a position on the topic as of asOf and as known at knownAt, ordered by actor id, with since.")]
    [Tags("Positions")]
    [ProducesResponseType<TopicPositions>(200)]
    [ProblemResponse(400)]
    [ProblemResponse(404)]
    public static async Task<IResult> Get(string id, string? asOf, string? knownAt, RevisionReader revisions,
        ReadDatabase reads, HttpResponse response, TimeProvider clock, CancellationToken ct)
    {
        var query = new QueryParameters();
        var asked = TimeQuery.Read(query, asOf, knownAt, clock);
        if (query.Invalid) return Problems.Invalid(query.Errors, StatusCodes.Status400BadRequest);
        if (!Slug.IsValid(id)) return Problems.NotFound($"No topic '{id}'.");
        return await reads.ReadAsync<IResult>(asked, response, async (connection, time) =>
                   await revisions.TopicTimelinesAsync(connection, id, time.AsOf, time.KnownAt, ct) is { } timelines
                       ? Answer(id, time, timelines)
                       : null, ct)
               ?? Problems.NotFound($"No topic '{id}'.");
    }

    private static IResult Answer(string topic, TimeQuery time, IReadOnlyList<TimelineTail> timelines)
    {
        var positions = timelines
            .Select(timeline => (Actor: timeline.Name, Position: Timeline.Current(topic, timeline.Entries)!))
            .Select(p => new ActorStance(p.Actor, p.Position.Stance, p.Position.Score, p.Position.Conditions,
                p.Position.Since, p.Position.StatementId, p.Position.Provisional, p.Position.Attribution))
            .ToList();
        return Results.Json(new TopicPositions(topic, time.AsOfText, time.KnownAtText, positions), PositionsJson.Options);
    }
}
