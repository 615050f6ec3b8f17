using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Positions.Api.Shared;
using Positions.Api.Web;
using Wolverine.Http;

namespace Positions.Api.Webhooks;

public enum DeliveryState { Pending, Delivered, GivenUp }

/// <summary>One try at a delivery: when it began and ended, the receiver's status code, or what went wrong.</summary>
public sealed record DeliveryAttempt(int Number, DateTimeOffset At, DateTimeOffset? FinishedAt, int? Status, string? Error);

/// <summary>A shift sent to one subscription: the body exactly as POSTed, and every attempt so far.</summary>
public sealed record Delivery(Guid Id, Guid Subscription, long EventId, DateTimeOffset CreatedAt, DeliveryState State,
    DateTimeOffset? DeliveredAt, IReadOnlyList<DeliveryAttempt> Attempts, JsonElement Body);

public static class DeliveriesEndpoint
{
    [Authorize]
    [ProblemResponse(401)]
    [WolverineGet(SubscriptionEndpoints.Path + "/{id}/deliveries")]
    [EndpointSummary("A webhook subscription's deliveries, with every attempt")]
    [EndpointDescription("Newest first: each delivery's body as sent, its state (pending, delivered, given-up) and every attempt (time, status code, error). An attempt with neither status nor error was cut short (the service stopped mid-delivery) and is made again. Needs an API key.")]
    [Tags("Webhooks")]
    [ProducesResponseType<Page<Delivery>>(200)]
    [ProblemResponse(400)]
    [ProblemResponse(404)]
    public static async Task<IResult> Get(string id, string? limit, string? after, NpgsqlDataSource database, CancellationToken ct)
    {
        var query = new QueryParameters();
        var pageSize = query.Limit(limit);
        var cursor = query.Cursor<CreatedCursor>(after);
        if (query.Invalid) return Problems.Invalid(query.Errors, StatusCodes.Status400BadRequest);
        if (!Guid.TryParse(id, out var subscriptionId) || await SubscriptionStore.FindAsync(database, subscriptionId, ct) is null)
            return SubscriptionEndpoints.Unknown(id);

        var page = await PageAsync(database, subscriptionId, cursor, pageSize + 1, ct);
        return Results.Json(Page<Delivery>.From(page, pageSize, d => new CreatedCursor(d.CreatedAt, d.Id)), PositionsJson.Options);
    }

    /// <summary>Newest first, before <paramref name="after"/>, each with its attempts in order (one query).</summary>
    private static async Task<List<Delivery>> PageAsync(NpgsqlDataSource database, Guid subscription, CreatedCursor? after, int take,
        CancellationToken ct)
    {
        await using var command = database.CreateCommand($"""
            select d.id, d.event_id, d.created_at, d.delivered_at, d.gave_up_at, d.body,
                   (select coalesce(json_agg(json_build_object('number', a.number, 'at', a.started_at, 'finishedAt', a.finished_at,
                                                               'status', a.status, 'error', a.error) order by a.number), '[]')
                    from {WebhookTables.Attempts} a where a.delivery_id = d.id)
            from {WebhookTables.Deliveries} d
            where d.subscription_id = $1 and ($2::timestamptz is null or (d.created_at, d.id) < ($2, $3))
            order by d.created_at desc, d.id desc limit $4
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = subscription });
        CreatedCursor.Bind(command, after);
        command.Parameters.Add(new NpgsqlParameter { Value = take });
        var page = new List<Delivery>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var attempts = JsonSerializer.Deserialize<List<DeliveryAttempt>>(reader.GetString(6), PositionsJson.Options)!;
            var state = !reader.IsDBNull(3) ? DeliveryState.Delivered : !reader.IsDBNull(4) ? DeliveryState.GivenUp : DeliveryState.Pending;
            page.Add(new Delivery(reader.GetGuid(0), subscription, reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2), state,
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3), attempts,
                BodyOf(reader.GetString(5))));
        }
        return page;
    }

    private static JsonElement BodyOf(string json)
    {
        using var body = JsonDocument.Parse(json);
        return body.RootElement.Clone();
    }
}
