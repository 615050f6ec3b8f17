using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Positions.Api.Actors;
using Positions.Api.Auth;
using Positions.Api.Positions;
using Positions.Api.Shared;
using Positions.Api.Statements;
using Positions.Api.Topics;
using Positions.Api.Web;
using Wolverine.Http;

namespace Positions.Api.Webhooks;

public sealed record Subscribe(string? Url, string? Secret, string? Actor, string? Topic, string? Kind, bool? Firm);

/// <summary>
/// Webhook subscriptions. Every route here needs a key, reads included ([Authorize] on each read: reads are
/// otherwise public): a subscription names where shifts are sent.
/// </summary>
public static class SubscriptionEndpoints
{
    public const string Path = "/subscriptions";

    [WolverinePost(Path)]
    [EndpointSummary("Subscribe a URL to shifts (webhook)")]
    [EndpointDescription("Each shift a write makes appear or change, matching the filters (as /shifts/stream), is POSTed to the URL as { id, event: 'shift', data } with the headers Positions-Delivery (the delivery id, the same on every retry) and Positions-Signature (sha256=hex HMAC-SHA256 of the raw body with the secret). Deliveries are kept in Wolverine's durable outbox and retried with backoff until a 2xx answer; redirects are not followed. The URL's host must be in Positions:Webhooks:AllowedHosts (none by default: 422). Needs an API key.")]
    [Tags("Webhooks")]
    [ProducesResponseType<Subscription>(201)]
    [ProblemResponse(400)]
    [ProblemResponse(413)]
    [ProblemResponse(422)]
    public static async Task<IResult> Post(Subscribe input, WebhookSettings settings, IQuerySession registries,
        NpgsqlDataSource database, ClaimsPrincipal user, CancellationToken ct)
    {
        if (input is null) return Problems.NoBody();
        var errors = new ValidationErrors();
        if (settings.Refusal(input.Url) is { } refusal) errors.Add("url", refusal);
        errors.Check(input.Secret is { Length: >= 16 and <= 256 }, "secret",
            "is required, 16 to 256 characters (a long random string: it signs every delivery)");
        if (input.Actor is not null && errors.Check(Slug.IsValid(input.Actor), "actor", Slug.Rule))
            errors.Check(await registries.LoadAsync<Actor>(input.Actor, ct) is not null, "actor", $"unknown actor '{input.Actor}'");
        if (input.Topic is not null && errors.Check(Slug.IsValid(input.Topic), "topic", Slug.Rule))
            errors.Check(await registries.LoadAsync<Topic>(input.Topic, ct) is not null, "topic", $"unknown topic '{input.Topic}'");
        ShiftKind kind = default;
        if (input.Kind is not null)
            errors.Check(KebabEnum<ShiftKind>.TryParse(input.Kind, out kind) && kind != ShiftKind.NoFlip, "kind", "must be full-flop or half-flip");
        if (errors.Any) return Problems.Invalid(errors);

        var filter = new ShiftsTable.Filter(input.Actor, input.Topic, input.Kind is null ? null : kind, null, null, input.Firm);
        var subscription = await SubscriptionStore.AddAsync(database, input.Url!, input.Secret!, filter, user.ClientName(), ct);
        return Results.Created($"{Path}/{subscription.Id}", subscription);
    }

    [Authorize]
    [ProblemResponse(401)]
    [WolverineGet(Path)]
    [EndpointSummary("List webhook subscriptions")]
    [EndpointDescription("Oldest first, without their secrets. Needs an API key.")]
    [Tags("Webhooks")]
    [ProducesResponseType<Page<Subscription>>(200)]
    [ProblemResponse(400)]
    public static async Task<IResult> List(string? limit, string? after, NpgsqlDataSource database, CancellationToken ct)
    {
        var query = new QueryParameters();
        var pageSize = query.Limit(limit);
        var cursor = query.Cursor<CreatedCursor>(after);
        if (query.Invalid) return Problems.Invalid(query.Errors, StatusCodes.Status400BadRequest);
        var page = await SubscriptionStore.PageAsync(database, cursor, pageSize + 1, ct);
        return Results.Json(Page<Subscription>.From(page, pageSize, s => new CreatedCursor(s.CreatedAt, s.Id)), PositionsJson.Options);
    }

    [Authorize]
    [ProblemResponse(401)]
    [WolverineGet(Path + "/{id}")]
    [EndpointSummary("One webhook subscription")]
    [EndpointDescription("Without its secret. Needs an API key.")]
    [Tags("Webhooks")]
    [ProducesResponseType<Subscription>(200)]
    [ProblemResponse(404)]
    public static async Task<IResult> Get(string id, NpgsqlDataSource database, CancellationToken ct) =>
        Guid.TryParse(id, out var subscriptionId) && await SubscriptionStore.FindAsync(database, subscriptionId, ct) is { } subscription
            ? Results.Json(subscription, PositionsJson.Options)
            : Unknown(id);

    [WolverineDelete(Path + "/{id}")]
    [EndpointSummary("Delete a webhook subscription")]
    [EndpointDescription("Deletes it and its deliveries; none is sent after. 204, or 404 when there is no such subscription. Needs an API key.")]
    [Tags("Webhooks")]
    [ProducesResponseType(204)]
    [ProblemResponse(404)]
    public static async Task<IResult> Delete(string id, NpgsqlDataSource database, CancellationToken ct) =>
        Guid.TryParse(id, out var subscriptionId) && await SubscriptionStore.DeleteAsync(database, subscriptionId, ct)
            ? Results.NoContent()
            : Unknown(id);

    public static IResult Unknown(string id) => Problems.NotFound($"No webhook subscription '{id}'.");
}
