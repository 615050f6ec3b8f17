using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Positions.Api.Positions;
using Positions.Api.Shared;
using Positions.Api.Storage;
using Wolverine.Marten;

namespace Positions.Api.Webhooks;

/// <summary>What a receiver gets: <c>{ "id": "&lt;delivery id&gt;", "event": "shift", "data": { a /shifts item } }</c>.</summary>
public sealed record WebhookBody(Guid Id, string Event, Shift Data);

/// <summary>
/// Turns the live feed (<see cref="ShiftFeedTable"/>) into deliveries. Every <see cref="Every"/>, on whichever instance
/// takes <see cref="DispatchLock"/> for that turn, one transaction reads the feed rows after the dispatcher's cursor,
/// up to the instant every write has committed by, makes a delivery for each subscription whose filters a row passes,
/// queues a <see cref="DeliverWebhook"/> for each in Wolverine's durable outbox, and moves the cursor. Deliveries,
/// messages and cursor commit together or not at all, so a row is neither skipped nor queued twice, whatever crashes.
/// </summary>
public sealed class WebhookDispatcher(IServiceProvider services, IHostApplicationLifetime lifetime, ILogger<WebhookDispatcher> logger)
    : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromMilliseconds(250);
    public const long DispatchLock = 7_401_000_004;
    private const int RowsPerTurn = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Wolverine takes messages only once the host has started (it starts after this service would).
        var started = new TaskCompletionSource();
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        await using (stoppingToken.Register(() => started.TrySetCanceled()))
            try
            {
                await started.Task;
            }
            catch (TaskCanceledException)
            {
                return;
            }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A full turn means more rows are waiting: go on at once.
                while (await DispatchAsync(stoppingToken) == RowsPerTurn) { }
                await Task.Delay(Every, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Whatever went wrong, the turn rolled back and the next one reads the same rows: this loop must not
                // stop the service (a database outage, a subscription deleted mid-turn).
                if (Shared.ExceptionToProblem.IsDatabaseUnavailable(e) || e is Marten.Exceptions.MartenCommandException or PostgresException)
                    logger.LogWarning("Webhook deliveries could not be dispatched ({Reason}); trying again", e.Message);
                else logger.LogError(e, "Webhook deliveries could not be dispatched; trying again");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
            }
        }
    }

    /// <summary>Subscribing takes the same lock, so a turn never moves past rows that a subscription being added should get.</summary>
    public static NpgsqlCommand TakeLock(NpgsqlConnection connection, bool wait) =>
        new(wait ? $"select pg_advisory_xact_lock({DispatchLock})" : $"select pg_try_advisory_xact_lock({DispatchLock})", connection);

    /// <summary>One turn; the number of feed rows it read.</summary>
    private async Task<int> DispatchAsync(CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<IMartenOutbox>();
        var session = outbox.Session!;
        await session.BeginTransactionAsync(ct);
        var connection = (NpgsqlConnection)session.Connection!;
        await using (var take = TakeLock(connection, wait: false))
            if (await take.ExecuteScalarAsync(ct) is not true) return 0; // another instance has this turn
        // No one to deliver to: nothing to read or write either. A subscription gets only rows after it, so the cursor
        // need not have moved meanwhile.
        var subscriptions = await SubscriptionStore.AllAsync(connection, ct);
        if (subscriptions.Count == 0) return 0;
        if (await ReplicaWatermark.CompleteThroughAsync(connection, ct) is not { } through) return 0;
        var rows = await ShiftFeedTable.AfterAsync(connection,
            Max(await CursorAsync(connection, ct), new FeedCursor(subscriptions.Min(s => s.CreatedAt), long.MaxValue)),
            through, RowsPerTurn, ct);

        var deliveries = (from row in rows
            from subscription in subscriptions
            where row.RecordedAt > subscription.CreatedAt && subscription.Filter().Matches(row.Shift)
            select (Id: Guid.CreateVersion7(), Subscription: subscription.Id, Row: row)).ToList();
        foreach (var id in await InsertAsync(connection, deliveries, ct)) await outbox.SendAsync(new DeliverWebhook(id));

        // Fewer rows than asked for: every row through `through` is done.
        var done = rows.Count < RowsPerTurn ? new FeedCursor(through, long.MaxValue) : new FeedCursor(rows[^1].RecordedAt, rows[^1].Position);
        session.QueueSqlCommand($"""
            insert into {WebhookTables.DispatchCursor} as d (id, recorded_at, position) values (1, ?, ?)
            on conflict (id) do update set recorded_at = excluded.recorded_at, position = excluded.position
            where (d.recorded_at, d.position) < (excluded.recorded_at, excluded.position)
            """, done.RecordedAt, done.Position);
        await session.SaveChangesAsync(ct);
        if (deliveries.Count > 0) logger.LogDebug("Queued {Count} webhook deliveries", deliveries.Count);
        return rows.Count;
    }

    private static FeedCursor Max(FeedCursor? a, FeedCursor b) =>
        a is not null && (a.RecordedAt, a.Position).CompareTo((b.RecordedAt, b.Position)) > 0 ? a : b;

    private static async Task<FeedCursor?> CursorAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select recorded_at, position from {WebhookTables.DispatchCursor} where id = 1", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new FeedCursor(reader.GetFieldValue<DateTimeOffset>(0), reader.GetInt64(1)) : null;
    }

    /// <summary>The deliveries not made before, with the bodies they will send; their ids.</summary>
    private static async Task<List<Guid>> InsertAsync(NpgsqlConnection connection,
        List<(Guid Id, Guid Subscription, FeedItem Row)> deliveries, CancellationToken ct)
    {
        if (deliveries.Count == 0) return [];
        await using var command = new NpgsqlCommand($"""
            insert into {WebhookTables.Deliveries} (id, subscription_id, feed_position, event_id, body, created_at)
            select d.*, clock_timestamp()
            from unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::bigint[], $5::text[]) as d (id, subscription_id, feed_position, event_id, body)
            -- A subscription deleted since this turn read it gets none.
            where exists (select from {WebhookTables.Subscriptions} s where s.id = d.subscription_id)
            on conflict (subscription_id, feed_position) do nothing
            returning id
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = deliveries.Select(d => d.Id).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = deliveries.Select(d => d.Subscription).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = deliveries.Select(d => d.Row.Position).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = deliveries.Select(d => d.Row.EventId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = deliveries.Select(d => JsonSerializer.Serialize(new WebhookBody(d.Id, "shift", d.Row.Shift), PositionsJson.Options)).ToArray(),
        });
        var made = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) made.Add(reader.GetGuid(0));
        return made;
    }
}
