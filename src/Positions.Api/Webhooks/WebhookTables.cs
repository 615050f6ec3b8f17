using Weasel.Postgresql.Tables;

namespace Positions.Api.Webhooks;

/// <summary>
/// Subscriptions, the deliveries made for them (one per subscription and feed row, its body fixed when it is made so
/// every retry sends the same bytes), every attempt at one, and how far the dispatcher has read the feed.
/// </summary>
public static class WebhookTables
{
    public const string Subscriptions = "public.positions_webhook_subscriptions";
    public const string Deliveries = "public.positions_webhook_deliveries";
    public const string Attempts = "public.positions_webhook_attempts";
    public const string DispatchCursor = "public.positions_webhook_dispatch_cursor";

    public static IEnumerable<Table> Definitions()
    {
        var subscriptions = new Table(Subscriptions);
        subscriptions.AddColumn("id", "uuid").AsPrimaryKey();
        subscriptions.AddColumn("url", "text").NotNull();
        subscriptions.AddColumn("secret", "text").NotNull();
        subscriptions.AddColumn("actor", "text");
        subscriptions.AddColumn("topic", "text");
        subscriptions.AddColumn("kind", "text");
        subscriptions.AddColumn("firm", "boolean");
        subscriptions.AddColumn("created_at", "timestamptz").NotNull();
        subscriptions.AddColumn("created_by", "text").NotNull();
        yield return subscriptions;

        var deliveries = new Table(Deliveries);
        deliveries.AddColumn("id", "uuid").AsPrimaryKey();
        deliveries.AddColumn("subscription_id", "uuid").NotNull()
            .ForeignKeyTo(Subscriptions, "id", "fk_positions_webhook_deliveries_subscription", Weasel.Core.CascadeAction.Cascade, Weasel.Core.CascadeAction.NoAction);
        deliveries.AddColumn("feed_position", "bigint").NotNull();
        deliveries.AddColumn("event_id", "bigint").NotNull();
        deliveries.AddColumn("body", "text").NotNull();
        deliveries.AddColumn("created_at", "timestamptz").NotNull();
        deliveries.AddColumn("delivered_at", "timestamptz");
        deliveries.AddColumn("gave_up_at", "timestamptz");
        // A feed row is delivered to a subscription once: a second dispatcher's insert of it does nothing.
        deliveries.Indexes.Add(new IndexDefinition("ux_positions_webhook_deliveries_row")
            { Columns = ["subscription_id", "feed_position"], IsUnique = true });
        deliveries.Indexes.Add(new IndexDefinition("ix_positions_webhook_deliveries_newest")
            { Columns = ["subscription_id", "created_at", "id"] });
        yield return deliveries;

        var attempts = new Table(Attempts);
        attempts.AddColumn("delivery_id", "uuid").AsPrimaryKey()
            .ForeignKeyTo(Deliveries, "id", "fk_positions_webhook_attempts_delivery", Weasel.Core.CascadeAction.Cascade, Weasel.Core.CascadeAction.NoAction);
        attempts.AddColumn("number", "integer").AsPrimaryKey();
        attempts.AddColumn("started_at", "timestamptz").NotNull();
        attempts.AddColumn("finished_at", "timestamptz");
        attempts.AddColumn("status", "integer");
        attempts.AddColumn("error", "text");
        yield return attempts;

        var cursor = new Table(DispatchCursor);
        cursor.AddColumn<int>("id").AsPrimaryKey();
        cursor.AddColumn("recorded_at", "timestamptz").NotNull();
        cursor.AddColumn("position", "bigint").NotNull();
        yield return cursor;
    }
}
