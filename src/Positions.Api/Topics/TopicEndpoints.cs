using Marten;
using Positions.Api.Shared;
using Wolverine.Http;

namespace Positions.Api.Topics;

public static class TopicEndpoints
{
    [WolverineGet("/topics")]
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
    public static async Task<IResult> Get(string id, IQuerySession session, CancellationToken ct) =>
        Slug.IsValid(id) && await session.LoadAsync<Topic>(id, ct) is { } topic
            ? Results.Json(topic, PositionsJson.Options)
            : Problems.NotFound($"No topic '{id}'.");
}
