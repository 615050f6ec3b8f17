using Marten;
using Microsoft.AspNetCore.Mvc;
using Positions.Api.Shared;
using Positions.Api.Web;
using Wolverine.Http;

namespace Positions.Api.Actors;

public static class ActorEndpoints
{
    [WolverineGet("/actors")]
    [EndpointSummary("List actors")]
    [EndpointDescription("Every registered actor and every country (ISO 3166-1 alpha-2, lower case), ordered by id, paged with limit and after.")]
    [Tags("Registries")]
    [ProducesResponseType<Page<Actor>>(200)]
    [ProblemResponse(400)]
    public static async Task<IResult> List(IQuerySession session, string? kind, string? limit, string? after, CancellationToken ct)
    {
        var query = new QueryParameters();
        var pageSize = query.Limit(limit);
        var from = query.Cursor<string[]>(after)?.FirstOrDefault() ?? "";
        ActorKind parsedKind = default;
        if (kind is not null)
            query.Errors.Check(KebabEnum<ActorKind>.TryParse(kind, out parsedKind), "kind", KebabEnum<ActorKind>.Expected);
        if (query.Invalid) return Problems.Invalid(query.Errors, StatusCodes.Status400BadRequest);

        var actors = kind is null
            ? await session.QueryAsync<Actor>("where id > ? order by id limit ?", ct, from, pageSize + 1)
            : await session.QueryAsync<Actor>("where id > ? and data ->> 'kind' = ? order by id limit ?", ct,
                from, KebabEnum<ActorKind>.Name(parsedKind), pageSize + 1);
        return Results.Json(Page<Actor>.From(actors, pageSize, a => new[] { a.Id }), PositionsJson.Options);
    }

    [WolverineGet("/actors/{id}")]
    [EndpointSummary("Get an actor")]
    [EndpointDescription("One actor; countries answer with their English name.")]
    [Tags("Registries")]
    [ProducesResponseType<Actor>(200)]
    [ProblemResponse(404)]
    public static async Task<IResult> Get(string id, IQuerySession session, CancellationToken ct) =>
        Slug.IsValid(id) && await session.LoadAsync<Actor>(id, ct) is { } actor
            ? Results.Json(actor, PositionsJson.Options)
            : Problems.NotFound($"No actor '{id}'.");
}
