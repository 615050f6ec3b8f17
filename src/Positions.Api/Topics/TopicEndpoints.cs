using Marten;
using Microsoft.AspNetCore.Mvc;
using Positions.Api.Shared;
using Positions.Api.Web;
using Wolverine.Http;

namespace Positions.Api.Topics;

public static class TopicEndpoints
{
    [WolverineGet("/topics")]
    [EndpointSummary("List topics")]
    [EndpointDescription("Every topic, ordered by id, paged with limit and after.")]
    [Tags("Registries")]
    [ProducesResponseType<Page<Topic>>(200)]
    [ProblemResponse(400)]
    public static async Task<IResult> List(IQuerySession session, string? limit, string? after, CancellationToken ct)
    {
        var query = new QueryParameters();
        var pageSize = query.Limit(limit);
        var from = query.Cursor<string[]>(after)?.FirstOrDefault() ?? "";
        if (query.Invalid) return Problems.Invalid(query.Errors, StatusCodes.Status400BadRequest);

        var topics = await session.QueryAsync<Topic>("where id > ? order by id limit ?", ct, from, pageSize + 1);
        return Results.Json(Page<Topic>.From(topics, pageSize, t => new[] { t.Id }), PositionsJson.Options);
    }

    [WolverineGet("/topics/{id}")]
    [EndpointSummary("Get a topic")]
    [EndpointDescription("One topic with its question and parent.")]
    [Tags("Registries")]
    [ProducesResponseType<Topic>(200)]
    [ProblemResponse(404)]
    public static async Task<IResult> Get(string id, IQuerySession session, CancellationToken ct) =>
        Slug.IsValid(id) && await session.LoadAsync<Topic>(id, ct) is { } topic
            ? Results.Json(topic, PositionsJson.Options)
            : Problems.NotFound($"No topic '{id}'.");
}
