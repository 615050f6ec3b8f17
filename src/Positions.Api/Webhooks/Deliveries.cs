using System.Text.Json;
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
        await using var command = database.CreateCommand($$"""
            select d.id, d.event_id, d.created_at, d.delivered_at, d.gave_up_at, d.body,
                   coalesce(array_agg(a.number order by a.number) filter (where a.number is not null), '{}'),
                   coalesce(array_agg(a.started_at order by a.number) filter (where a.number is not null), '{}'),
                   coalesce(array_agg(a.finished_at order by a.number) filter (where a.number is not null), '{}'),
                   coalesce(array_agg(a.status order by a.number) filter (where a.number is not null), '{}'),
                   coalesce(array_agg(a.error order by a.number) filter (where a.number is not null), '{}')
            from {{WebhookTables.Deliveries}} d left join {{WebhookTables.Attempts}} a on a.delivery_id = d.id
            where d.subscription_id = $1 and ($2::timestamptz is null or (d.created_at, d.id) < ($2, $3))
            group by d.id order by d.created_at desc, d.id desc limit $4
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = subscription });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)after?.CreatedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = after?.Id ?? Guid.Empty });
        command.Parameters.Add(new NpgsqlParameter { Value = take });
        var page = new List<Delivery>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var numbers = reader.GetFieldValue<int[]>(6);
            var started = reader.GetFieldValue<DateTimeOffset[]>(7);
            var finished = reader.GetFieldValue<DateTimeOffset?[]>(8);
            var statuses = reader.GetFieldValue<int?[]>(9);
            var errors = reader.GetFieldValue<string?[]>(10);
            var attempts = numbers.Select((n, i) => new DeliveryAttempt(n, started[i], finished[i], statuses[i], errors[i])).ToList();
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
