using Npgsql;
using Positions.Api.Positions;
using Positions.Api.Shared;
using Positions.Api.Statements;

namespace Positions.Api.Webhooks;

/// <summary>A receiver of shifts, as the API shows it: never with its secret.</summary>
public sealed record Subscription(Guid Id, string Url, string? Actor, string? Topic, ShiftKind? Kind, bool? Firm,
    DateTimeOffset CreatedAt, string CreatedBy)
{
    /// <summary>The shifts it receives: the same filters as <c>/shifts</c> and <c>/shifts/stream</c>.</summary>
    public ShiftsTable.Filter Filter() => new(Actor, Topic, Kind, null, null, Firm);
}

/// <summary>Where a page of subscriptions or deliveries ended: the sort key of its last item.</summary>
public sealed record CreatedCursor(DateTimeOffset CreatedAt, Guid Id)
{
    /// <summary>The next two parameters: the cursor's time (null for the first page) and id.</summary>
    public static void Bind(NpgsqlCommand command, CreatedCursor? after)
    {
        command.Parameters.Add(new NpgsqlParameter
            { Value = (object?)after?.CreatedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = after?.Id ?? Guid.Empty });
    }
}

/// <summary>The SQL of <see cref="WebhookTables.Subscriptions"/>.</summary>
public static class SubscriptionStore
{
    private const string Columns = "id, url, actor, topic, kind, firm, created_at, created_by";

    /// <summary>
    /// Stored with the database's clock: it receives the shifts recorded after it. The dispatcher's lock is held
    /// meanwhile, so no dispatch turn can pass that instant without seeing the subscription.
    /// </summary>
    public static async Task<Subscription> AddAsync(NpgsqlDataSource database, string url, string secret,
        ShiftsTable.Filter filter, string createdBy, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var take = WebhookDispatcher.TakeLock(connection, wait: true)) await take.ExecuteNonQueryAsync(ct);
        await using var command = new NpgsqlCommand($"""
            insert into {WebhookTables.Subscriptions} (id, url, secret, actor, topic, kind, firm, created_at, created_by)
            values ($1, $2, $3, $4, $5, $6, $7, clock_timestamp(), $8) returning {Columns}
            """, connection);
        foreach (var value in new object?[]
                 {
                     Guid.CreateVersion7(), url, secret, filter.Actor, filter.Topic,
                     filter.Kind is { } kind ? KebabEnum<ShiftKind>.Name(kind) : null, filter.Firm, createdBy,
                 })
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        Subscription subscription;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            subscription = Read(reader);
        }
        await transaction.CommitAsync(ct);
        return subscription;
    }

    public static async Task<Subscription?> FindAsync(NpgsqlDataSource database, Guid id, CancellationToken ct)
    {
        await using var command = database.CreateCommand($"select {Columns} from {WebhookTables.Subscriptions} where id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    /// <summary>Oldest first, after <paramref name="after"/>.</summary>
    public static async Task<List<Subscription>> PageAsync(NpgsqlDataSource database, CreatedCursor? after, int take, CancellationToken ct)
    {
        await using var command = database.CreateCommand($"""
            select {Columns} from {WebhookTables.Subscriptions}
            where $1::timestamptz is null or (created_at, id) > ($1, $2) order by created_at, id limit $3
            """);
        CreatedCursor.Bind(command, after);
        command.Parameters.Add(new NpgsqlParameter { Value = take });
        var page = new List<Subscription>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) page.Add(Read(reader));
        return page;
    }

    /// <summary>Every subscription, for the dispatcher (inside its transaction).</summary>
    public static async Task<List<Subscription>> AllAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select {Columns} from {WebhookTables.Subscriptions}", connection);
        var all = new List<Subscription>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) all.Add(Read(reader));
        return all;
    }

    /// <summary>Deletes it with its deliveries; the ones still queued find nothing to send.</summary>
    public static async Task<bool> DeleteAsync(NpgsqlDataSource database, Guid id, CancellationToken ct)
    {
        await using var command = database.CreateCommand($"delete from {WebhookTables.Subscriptions} where id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    private static Subscription Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.IsDBNull(4) ? null : KindOf(reader.GetString(4)),
        reader.IsDBNull(5) ? null : reader.GetBoolean(5),
        reader.GetFieldValue<DateTimeOffset>(6), reader.GetString(7));

    private static ShiftKind KindOf(string name) =>
        KebabEnum<ShiftKind>.TryParse(name, out var kind) ? kind : throw new InvalidOperationException($"Unknown shift kind '{name}'.");
}
