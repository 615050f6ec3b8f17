using Npgsql;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace Positions.Api.Webhooks;

/// <summary>Send one delivery (its body and receiver are in the database), kept in Wolverine's durable inbox until done.</summary>
public sealed record DeliverWebhook(Guid DeliveryId);

public static class DeliverWebhookHandler
{
    public const string Queue = "webhooks";

    /// <summary>
    /// When our own database fails us mid-attempt, or the service stops during one, the message waits and comes again,
    /// for as long as that lasts (never to the dead letters: the receiver is not to blame). Should the store be gone
    /// already, the message stays in the inbox and another instance, or this one restarted, takes it over.
    /// </summary>
    public static void Configure(HandlerChain chain) =>
        chain.OnException<NpgsqlException>().Or<Marten.Exceptions.MartenException>().Or<TimeoutException>().Or<OperationCanceledException>()
            .ScheduleRetryIndefinitely(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10));

    /// <summary>
    /// A failed attempt is not an error of this service: it is recorded, and the same delivery is sent to this queue
    /// again, scheduled for later. Wolverine stores the scheduled message durably, so a restart keeps it and its backoff.
    /// </summary>
    public static async Task<OutgoingMessages> Handle(DeliverWebhook message, WebhookSender sender, CancellationToken ct) =>
        await sender.SendAsync(message.DeliveryId, ct) is { } retryAfter ? [message.DelayedFor(retryAfter)] : [];
}
