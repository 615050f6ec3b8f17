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
        await using var batch = new Npgsql.NpgsqlBatch(session.Connection!);
        foreach (var command in Commands(keys)) batch.BatchCommands.Add(command);
        // Npgsql reads timestamptz as a UTC DateTime.
        return new DateTimeOffset((DateTime)(await batch.ExecuteScalarAsync(ct))!);
    }

    /// <summary>
    /// The locks as the first commands of a batch (one round trip with whatever follows them); the only result they
    /// give is one row with the transaction time.
    /// </summary>
    public static IEnumerable<Npgsql.NpgsqlBatchCommand> Commands(IEnumerable<string> keys)
    {
        // The table lock is the one any append takes anyway; taken first, before sequence numbers are drawn, it lets a
        // rebuild wait for every append in flight (ReadModelRebuild's high-water mark).
        yield return new Npgsql.NpgsqlBatchCommand("lock table public.mt_events in row exclusive mode");
        // One global order (by hash) for every transaction, so two writers can never wait on each other in a cycle.
        // The count consumes every lock before the clock is read: clock_timestamp(), not now(), which is when the
        // transaction began, before it waited its turn.
        yield return new Npgsql.NpgsqlBatchCommand("""
            select clock_timestamp()
            from (select count(pg_advisory_xact_lock(lock_key))
                  from (select distinct hashtextextended(key, 0) as lock_key from unnest($1::text[]) as key order by 1) as keys
                 ) as locked
            """) { Parameters = { new Npgsql.NpgsqlParameter { Value = keys.ToArray() } } };
    }

    public static string Actor(string id) => "actor:" + id;
    public static string Topic(string id) => "topic:" + id;
    public static string Statement(string id) => "statement:" + id;
}
