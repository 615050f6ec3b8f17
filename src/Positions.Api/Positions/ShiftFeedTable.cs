using Npgsql;
using Positions.Api.Storage;
using Weasel.Postgresql.Tables;

namespace Positions.Api.Positions;

/// <summary>A shift that a write made appear or change, with the global sequence of that write's event.</summary>
public sealed record FeedItem(DateTimeOffset RecordedAt, long Position, long EventId, Shift Shift);

/// <summary>Where a reader of the feed is: the transaction time and position of the last row it read.</summary>
public sealed record FeedCursor(DateTimeOffset RecordedAt, long Position);

/// <summary>
/// The live feed as the record: a row for every shift a write made appear or change (what its upsert of the shifts
/// model inserted or updated), written by that write in its own transaction, so nothing is computed twice and no
/// write is fed twice. Rows are read in transaction-time order, and only up to the instant through which every write
/// has committed (<see cref="ReplicaWatermark.CompleteThroughAsync"/>): a write in flight with an earlier time is never
/// skipped. Every instance relays them to its stream subscribers (<see cref="ShiftFeed"/>).
/// </summary>
public static class ShiftFeedTable
{
    public const string Name = "public.positions_shift_feed";

    public static Table Definition()
    {
        var feed = new Table(Name);
        feed.AddColumn("position", "bigint").AsPrimaryKey().DefaultValueByExpression($"nextval('{Name}_position')");
        feed.AddColumn("recorded_at", "timestamptz").NotNull();
        feed.AddColumn("event_id", "bigint").NotNull();
        foreach (var (column, type) in ShiftsTable.ColumnTypes) feed.AddColumn(column, type).NotNull();
        feed.Indexes.Add(new IndexDefinition("ix_positions_shift_feed_order") { Columns = ["recorded_at", "position"] });
        feed.Indexes.Add(new IndexDefinition("ix_positions_shift_feed_event") { Columns = ["event_id"] });
        return feed;
    }

    public static Weasel.Postgresql.Sequence Sequence() => new($"{Name}_position");

    /// <summary>Rows after <paramref name="after"/> up to <paramref name="through"/>, in order (at most <paramref name="limit"/>).</summary>
    public static async Task<List<FeedItem>> AfterAsync(NpgsqlConnection connection, FeedCursor after, DateTimeOffset through, int limit,
        CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            select {ShiftsTable.ColumnList}, recorded_at, position, event_id from {Name}
            where (recorded_at, position) > ($1, $2) and recorded_at <= $3
            order by recorded_at, position limit $4
            """, connection);
        command.Parameters.Add(new() { Value = after.RecordedAt });
        command.Parameters.Add(new() { Value = after.Position });
        command.Parameters.Add(new() { Value = through });
        command.Parameters.Add(new() { Value = limit });
        var items = new List<FeedItem>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        var first = ShiftsTable.ColumnTypes.Count;
        while (await reader.ReadAsync(ct))
            items.Add(new FeedItem(reader.GetFieldValue<DateTimeOffset>(first), reader.GetInt64(first + 1), reader.GetInt64(first + 2),
                ShiftsTable.Read(reader)));
        return items;
    }

    /// <summary>Where the last row an event id named stands, or null when none did.</summary>
    public static async Task<FeedCursor?> CursorOfAsync(NpgsqlDataSource database, long eventId, CancellationToken ct)
    {
        await using var command = database.CreateCommand(
            $"select recorded_at, position from {Name} where event_id = $1 order by recorded_at desc, position desc limit 1");
        command.Parameters.Add(new() { Value = eventId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new FeedCursor(reader.GetFieldValue<DateTimeOffset>(0), reader.GetInt64(1)) : null;
    }
}
