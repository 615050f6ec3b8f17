using System.Text.Json;
using Npgsql;
using Positions.Api.Changes;
using Positions.Api.Shared;
using Positions.Api.Storage;
using Weasel.Postgresql.Tables;

namespace Positions.Api.Positions;

/// <summary>A shift that a write made appear or change, with the global sequence of that write's event.</summary>
public sealed record FeedItem(long Position, long EventId, Shift Shift);

/// <summary>
/// The live feed as the record: one row per shift a write made appear or change, in commit order. The background
/// owner (one instance at a time) appends them (<see cref="AppendAsync"/>); every instance relays the new rows to its
/// stream subscribers (<see cref="ShiftFeed"/>), and a subscriber resuming after an event id reads on from here.
/// </summary>
public static class ShiftFeedTable
{
    public const string Name = "public.positions_shift_feed";
    public const string CursorName = "public.positions_shift_feed_through";
    private const int TransactionsPerTurn = 200;

    public static IEnumerable<Table> Definitions()
    {
        var feed = new Table(Name);
        feed.AddColumn("position", "bigint").AsPrimaryKey().DefaultValueByExpression($"nextval('{Name}_position')");
        feed.AddColumn("event_id", "bigint").NotNull();
        feed.AddColumn("shift", "jsonb").NotNull();
        feed.Indexes.Add(new IndexDefinition("ix_positions_shift_feed_event") { Columns = ["event_id"] });
        yield return feed;
        var cursor = new Table(CursorName);
        cursor.AddColumn<int>("id").AsPrimaryKey();
        cursor.AddColumn("through", "timestamptz").NotNull();
        yield return cursor;
    }

    public static Weasel.Postgresql.Sequence Sequence() => new($"{Name}_position");

    /// <summary>
    /// One turn of the owner: the writes committed after the cursor and through the instant every write has committed
    /// by (<see cref="ReplicaWatermark.CompleteThroughAsync"/>: a write in flight with an earlier time is never
    /// skipped), one transaction time at a time, and what each did to the shifts; appended with the cursor moved in
    /// one transaction, so a turn cut short by the owner's death is done again whole by the next owner, never twice.
    /// </summary>
    public static async Task AppendAsync(NpgsqlConnection connection, ChangesReader changes, CancellationToken ct)
    {
        if (await ReplicaWatermark.CompleteThroughAsync(connection, ct) is not { } through) return;
        await using var read = new NpgsqlCommand($"select through from {CursorName} where id = 1", connection);
        if (await read.ExecuteScalarAsync(ct) is not DateTime cursorTime)
        {
            // The feed begins now: what came before is in the record, not the feed.
            await using var begin = new NpgsqlCommand($"insert into {CursorName} (id, through) values (1, $1) on conflict do nothing", connection)
                { Parameters = { new() { Value = through } } };
            await begin.ExecuteNonQueryAsync(ct);
            return;
        }
        var after = new DateTimeOffset(cursorTime);
        if (through <= after) return;

        var transactions = await TransactionsAsync(connection, after, through, ct);
        var rows = new List<(long EventId, Shift Shift)>();
        foreach (var (recordedAt, eventId) in transactions)
            foreach (var shift in await changes.AppearedOrChangedAsync(recordedAt.AddTicks(-10), recordedAt, ct))
                rows.Add((eventId, shift));
        var reached = transactions.Count == TransactionsPerTurn ? transactions[^1].RecordedAt : through;

        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"insert into {Name} (event_id, shift) select e, s from unnest($1::bigint[], $2::jsonb[]) with ordinality as r(e, s, n) order by n")
                {
                    Parameters =
                    {
                        new() { Value = rows.Select(r => r.EventId).ToArray() },
                        new() { Value = rows.Select(r => JsonSerializer.Serialize(r.Shift, PositionsJson.Options)).ToArray(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Jsonb },
                    },
                },
                // Only forward, and only from where this turn began: two owners at once (a partition) cannot both append.
                new NpgsqlBatchCommand($"update {CursorName} set through = $1 where id = 1 and through = $2")
                    { Parameters = { new() { Value = reached }, new() { Value = after } } },
            },
        };
        await batch.ExecuteNonQueryAsync(ct);
        if (batch.BatchCommands[1].RecordsAffected == 1) await transaction.CommitAsync(ct);
        else await transaction.RollbackAsync(ct);
    }

    /// <summary>Feed rows after a position, in order (at most <paramref name="limit"/>).</summary>
    public static async Task<List<FeedItem>> AfterAsync(NpgsqlDataSource database, long position, int limit, CancellationToken ct)
    {
        await using var command = database.CreateCommand($"select position, event_id, shift from {Name} where position > $1 order by position limit $2");
        command.Parameters.Add(new() { Value = position });
        command.Parameters.Add(new() { Value = limit });
        var items = new List<FeedItem>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            items.Add(new FeedItem(reader.GetInt64(0), reader.GetInt64(1), JsonSerializer.Deserialize<Shift>(reader.GetString(2), PositionsJson.Options)!));
        return items;
    }

    /// <summary>The position of the last row an event id named, or null when none did.</summary>
    public static async Task<long?> PositionOfAsync(NpgsqlDataSource database, long eventId, CancellationToken ct)
    {
        await using var command = database.CreateCommand($"select max(position) from {Name} where event_id = $1");
        command.Parameters.Add(new() { Value = eventId });
        return await command.ExecuteScalarAsync(ct) is long position ? position : null;
    }

    /// <summary>The last position so far (0 for an empty feed).</summary>
    public static async Task<long> LastAsync(NpgsqlDataSource database, CancellationToken ct)
    {
        await using var command = database.CreateCommand($"select coalesce(max(position), 0) from {Name}");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task<List<(DateTimeOffset RecordedAt, long Id)>> TransactionsAsync(NpgsqlConnection connection,
        DateTimeOffset after, DateTimeOffset through, CancellationToken ct)
    {
        // One transaction, one transaction time (what every event and revision row it wrote carries), named by the
        // sequence of one of its events. Found through the revisions' index on that time (mt_events has none).
        await using var command = new NpgsqlCommand($"""
            with t as (
                select distinct known_from from {RevisionsTable.Name}
                where holder_index = 0 and known_from > $1 and known_from <= $2 order by known_from limit $3)
            select t.known_from, (
                select max(e.seq_id) from {RevisionsTable.Name} r join public.mt_events e on e.stream_id = r.actor and e.timestamp = r.known_from
                where r.holder_index = 0 and r.known_from = t.known_from)
            from t order by t.known_from
            """, connection);
        command.Parameters.Add(new() { Value = after });
        command.Parameters.Add(new() { Value = through });
        command.Parameters.Add(new() { Value = TransactionsPerTurn });
        var transactions = new List<(DateTimeOffset, long)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) transactions.Add((reader.GetFieldValue<DateTimeOffset>(0), reader.GetInt64(1)));
        return transactions;
    }
}
