using Marten;

namespace Positions.Api.Storage;

/// <summary>
/// Serialises writers per actor stream (and per idempotency key) with PostgreSQL transaction-level advisory locks.
/// Marten's plain appends to one stream from concurrent transactions fail with duplicate keys; waiting our turn
/// instead means nothing is lost and no writer sees an error. The locks end with the session's transaction.
/// </summary>
public static class WriteLocks
{
    /// <summary>Call after <c>session.BeginTransactionAsync</c>: the locks live as long as that transaction.</summary>
    public static async Task AcquireAsync(IDocumentSession session, IEnumerable<string> keys, CancellationToken ct)
    {
        // One round trip. The table lock is the one any append takes anyway; taken first, before sequence numbers are
        // drawn, it lets a rebuild wait for every append in flight (ReadModelRebuild's high-water mark).
        await using var batch = new Npgsql.NpgsqlBatch(session.Connection!);
        batch.BatchCommands.Add(new Npgsql.NpgsqlBatchCommand("lock table public.mt_events in row exclusive mode"));
        // One global order (by hash) for every transaction, so two writers can never wait on each other in a cycle.
        batch.BatchCommands.Add(new Npgsql.NpgsqlBatchCommand("""
            select pg_advisory_xact_lock(lock_key)
            from (select distinct hashtextextended(key, 0) as lock_key from unnest($1::text[]) as key order by 1) as keys
            """) { Parameters = { new Npgsql.NpgsqlParameter { Value = keys.ToArray() } } });
        await batch.ExecuteNonQueryAsync(ct);
    }

    public static string Actor(string id) => "actor:" + id;
    public static string Topic(string id) => "topic:" + id;
    public static string Statement(string id) => "statement:" + id;
}
