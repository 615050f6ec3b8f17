using Marten;

namespace Positions.Api.Storage;

/// <summary>
/// Serialises writers per actor stream (and per idempotency key) with PostgreSQL transaction-level advisory locks.
/// Marten's plain appends to one stream from concurrent transactions fail with duplicate keys; waiting our turn
/// instead means nothing is lost and no writer sees an error. The locks end with the session's transaction.
/// Once they are held, the database's clock gives the transaction time of everything the transaction appends: the
/// writer before us on any of these streams has committed by then, with an earlier stamp, so every stream's times
/// rise with its versions whichever instance writes and whatever its own clock says.
/// </summary>
public static class WriteLocks
{
    /// <summary>
    /// Call after <c>session.BeginTransactionAsync</c>: the locks live as long as that transaction. Returns the
    /// transaction time: PostgreSQL's clock read after the locks were granted, in microseconds as it stores them.
    /// </summary>
    public static async Task<DateTimeOffset> AcquireAsync(IDocumentSession session, IEnumerable<string> keys, CancellationToken ct)
    {
        await using var batch = new Npgsql.NpgsqlBatch(session.Connection!) { BatchCommands = { Command(keys) } };
        // Npgsql reads timestamptz as a UTC DateTime.
        return new DateTimeOffset((DateTime)(await batch.ExecuteScalarAsync(ct))!);
    }

    /// <summary>
    /// The locks as the first command of a batch (one round trip with whatever follows it); its one result is a row
    /// with the transaction time.
    /// </summary>
    public static Npgsql.NpgsqlBatchCommand Command(IEnumerable<string> keys) =>
        // First the append gate, shared by every writer: a rebuild takes it alone (AppendGate) to see every append
        // in flight finished and hold back new ones, with no table lock in the write path. Then the keys in one
        // global order (by hash), so two writers can never wait on each other in a cycle; every key's lock needs the
        // gate's row first, whatever order the join runs in. The count consumes every lock before the clock is
        // read: clock_timestamp(), not now(), which is when the transaction began, before it waited its turn.
        new($"""
            with gate as materialized (select pg_advisory_xact_lock_shared({AppendGate}) as held),
                 locked as materialized (
                     select count(pg_advisory_xact_lock(keys.lock_key)) as held
                     from gate, (select distinct hashtextextended(key, 0) as lock_key from unnest($1::text[]) as key order by 1) as keys)
            select clock_timestamp() from locked
            """) { Parameters = { new Npgsql.NpgsqlParameter { Value = keys.ToArray() } } };

    /// <summary>
    /// The advisory lock key every writer holds shared for its whole transaction; held exclusively, it waits for the
    /// appends in flight and keeps new ones out (rebuilds: the high-water mark and the swap).
    /// </summary>
    public const long AppendGate = 7_401_000_001;

    /// <summary>Waits for every append in flight and holds new ones back until the caller's transaction ends.</summary>
    public static string HoldAppendsSql => $"select pg_advisory_xact_lock({AppendGate})";

    public static string Actor(string id) => "actor:" + id;
    public static string Topic(string id) => "topic:" + id;
    public static string Statement(string id) => "statement:" + id;
}
