using Marten;
using Microsoft.AspNetCore.Mvc;
using Positions.Api.Actors;
using Positions.Api.Hosting;
using Positions.Api.Shared;
using Positions.Api.Storage;
using Positions.Api.Topics;
using Positions.Api.Web;
using Wolverine.Http;

namespace Positions.Api.Positions;

public sealed record ActorPositions(string Actor, string AsOf, string KnownAt, IReadOnlyList<Position> Positions);

public sealed record ActorTopicTimeline(string Actor, string Topic, string AsOf, string KnownAt, Position? Current,
    IReadOnlyList<HistoryEntry> History);

public static class ActorPositionsEndpoints
{
    [WolverineGet("/actors/{id}/positions")]
    [EndpointSummary("Every current position of an actor")]
    [EndpointDescription("The actor's stance on each topic as of asOf (valid time) and as known at knownAt (transaction time), with since, previous and lastShift.")]
    [Tags("Positions")]
    [ProducesResponseType<ActorPositions>(200)]
    [ProblemResponse(400)]
    [ProblemResponse(404)]
    public static async Task<IResult> GetPositions(string id, string? asOf, string? knownAt, RevisionReader revisions,
        ReadDatabase reads, HttpResponse response, PositionsMetrics metrics, TimeProvider clock, CancellationToken ct)
    {
        var query = new QueryParameters();
        var asked = TimeQuery.Read(query, asOf, knownAt, clock);
        if (query.Invalid) return Problems.Invalid(query.Errors, StatusCodes.Status400BadRequest);
        if (!Slug.IsValid(id)) return NoActor(id);

        return await reads.ReadAsync(asked, response, (connection, time) => ReadPositionsAsync(connection, id, time, revisions, metrics, ct), ct)
               ?? NoActor(id);
    }

    /// <summary>The answer at this time, from the cache when it holds it; null when the database knows no such actor.</summary>
    private static async Task<IResult?> ReadPositionsAsync(Npgsql.NpgsqlConnection connection, string id, TimeQuery time,
        RevisionReader revisions, PositionsMetrics metrics, CancellationToken ct)
    {
        var answers = revisions.Answers;
        if (answers.Keeps(time))
        {
            if (await revisions.ActorHeadAsync(connection, id, ct) is not { } head) return null;
            var hit = answers.TryGet(id, time, head, out var cached);
            metrics.CacheLookup(hit);
            if (hit) return new ActorPositionsAnswer(id, time, cached!);
        }

        if (await revisions.ActorTimelinesAsync(connection, id, time.AsOf, time.KnownAt, countRows: answers.Keeps(time), ct) is not { } read)
            return null;
        var positions = ActorPositionsAnswer.Serialize(
            read.Timelines.Select(timeline => Timeline.Current(timeline.Name, timeline.Entries)!).ToList());
        answers.Store(id, time, read, positions);
        return new ActorPositionsAnswer(id, time, positions);
    }

    [WolverineGet("/actors/{id}/positions/{topic}")]
    [EndpointSummary("One position with its history")]
    [EndpointDescription("The actor's current stance on the topic, the run before it and the last shift, plus every statement that counts, ordered by saidAt, each with its shift kind.")]
    [Tags("Positions")]
    [ProducesResponseType<ActorTopicTimeline>(200)]
    [ProblemResponse(400)]
    [ProblemResponse(404)]
    public static async Task<IResult> GetTimeline(string id, string topic, string? asOf, string? knownAt,
        IQuerySession session, RevisionReader revisions, ReadDatabase reads, HttpResponse response, TimeProvider clock,
        CancellationToken ct)
    {
        var query = new QueryParameters();
        var asked = TimeQuery.Read(query, asOf, knownAt, clock);
        if (query.Invalid) return Problems.Invalid(query.Errors, StatusCodes.Status400BadRequest);
        if (!Slug.IsValid(id) || await session.LoadAsync<Actor>(id, ct) is null) return NoActor(id);
        if (!Slug.IsValid(topic) || await session.LoadAsync<Topic>(topic, ct) is null) return Problems.NotFound($"No topic '{topic}'.");

        await using var read = await reads.OpenAsync(asked, response, ct);
        var entries = (await revisions.TimelinesAsync(read.Connection, id, topic, read.Time.AsOf, read.Time.KnownAt, ct)
            .SingleOrDefaultAsync(ct))?.Entries ?? [];
        return Results.Json(new ActorTopicTimeline(id, topic, read.Time.AsOfText, read.Time.KnownAtText,
            Timeline.Current(topic, entries), Timeline.History(entries)), PositionsJson.Options);
    }

    private static IResult NoActor(string id) => Problems.NotFound($"No actor '{id}'.");
}
