using System.Text.Json;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Positions.Api.Shared;
using Positions.Api.Statements;
using Positions.Api.Web;
using Wolverine.Http;

namespace Positions.Api.Actors;

public sealed record StreamEvent(long Version, long Sequence, string Type, string RecordedAt, string? RecordedBy, JsonElement Data);

public static class ActorEventsEndpoint
{
    /// <summary>The actor's raw stream, oldest first: the record itself, for audits that trust no projection.</summary>
    [WolverineGet("/actors/{id}/events")]
    [EndpointSummary("The actor's raw event stream")]
    [EndpointDescription("Every event on the actor's stream, oldest first, with its version, global sequence, type, recordedAt and data.")]
    [Tags("Audit")]
    [ProducesResponseType<Page<StreamEvent>>(200)]
    [ProblemResponse(400)]
    [ProblemResponse(404)]
    public static async Task<IResult> Get(string id, string? limit, string? after, IQuerySession session, CancellationToken ct)
    {
        var query = new QueryParameters();
        var pageSize = query.Limit(limit);
        var afterVersion = query.Cursor<long[]>(after)?.FirstOrDefault() ?? 0;
        if (query.Invalid) return Problems.Invalid(query.Errors, StatusCodes.Status400BadRequest);
        if (!Slug.IsValid(id) || await session.LoadAsync<Actor>(id, ct) is null) return Problems.NotFound($"No actor '{id}'.");

        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamKey == id && e.Version > afterVersion)
            .OrderBy(e => e.Version)
            .Take(pageSize + 1)
            .ToListAsync(ct);
        var items = events.Select(ToStreamEvent).ToList();
        return Results.Json(Page<StreamEvent>.From(items, pageSize, e => new[] { e.Version }), PositionsJson.Options);
    }

    private static StreamEvent ToStreamEvent(IEvent e) => new(
        e.Version, e.Sequence, e.EventTypeName, DateOrInstant.FormatInstant(e.Timestamp),
        (e.Data as IStatementEvent)?.RecordedBy, JsonSerializer.SerializeToElement(e.Data, e.Data.GetType(), PositionsJson.Options));
}
