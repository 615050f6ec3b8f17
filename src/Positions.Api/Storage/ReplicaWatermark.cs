using Npgsql;
using Weasel.Postgresql.Tables;

namespace Positions.Api.Storage;

/// <summary>
/// An instant through which the record is complete, kept in one row on the primary and replicated with everything
/// else: a standby that has replayed the row with instant W has replayed every write whose transaction time is at or
/// before W, so its answers as known at W are exactly the primary's (see <see cref="ReadDatabase"/>).
/// <para>
/// Why W is safe: every write reads its transaction time after taking the append gate (<see cref="WriteLocks"/>), in
/// a transaction that began earlier. The owner reads the clock first (N), then the transactions holding or awaiting the
/// gate. A write not among them takes the gate later, so its time is after N; a write among them began at its
/// <c>xact_start</c>, before its time. So W = min(N, earliest xact_start among them) − 1 µs precedes the time of every
/// write still to commit, and the row commits after every write at or before W. No lock is taken: writes never wait.
/// </para>
/// The background owner advances it every <see cref="Every"/> while <c>Positions:ReadFromReplicas</c> is on.
/// </summary>
public static class ReplicaWatermark
{
    public const string Name = "public.positions_replica_watermark";
    public static readonly TimeSpan Every = TimeSpan.FromMilliseconds(100);

    public static Table Definition()
    {
        var table = new Table(Name);
        table.AddColumn<int>("id").AsPrimaryKey();
        table.AddColumn("known_through", "timestamptz").NotNull();
        return table;
    }

    /// <summary>
    /// The instant through which every write has committed, by the reasoning above: two round trips, as the clock must
    /// be read before the gate's holders. Null when a holder's start cannot be seen (another role's session, or one
    /// gone between the two views): then no instant is certain this turn.
    /// </summary>
    public static async Task<DateTimeOffset?> CompleteThroughAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var clock = new NpgsqlCommand("select clock_timestamp()", connection);
        var now = (DateTime)(await clock.ExecuteScalarAsync(ct))!;
        // The gate as pg_locks shows a bigint advisory key: its high and low 32 bits, objsubid 1.
        await using var horizon = new NpgsqlCommand($"""
            select least($1, earliest) - interval '1 microsecond'
            from (select count(*) filter (where activity.xact_start is null) as unseen, min(activity.xact_start) as earliest
                  from pg_locks as lock left join pg_stat_activity as activity on activity.pid = lock.pid
                  where lock.locktype = 'advisory' and lock.objsubid = 1
                    and lock.classid = {WriteLocks.AppendGate >> 32} and lock.objid = {WriteLocks.AppendGate & 0xFFFFFFFF}) as holders
            where unseen = 0
            """, connection) { Parameters = { new() { Value = now } } };
        return await horizon.ExecuteScalarAsync(ct) is DateTime through ? new DateTimeOffset(through) : null;
    }

    /// <summary>Moves the replicated row to <see cref="CompleteThroughAsync"/>'s instant (it never moves back).</summary>
    public static async Task AdvanceAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        if (await CompleteThroughAsync(connection, ct) is not { } through) return;
        await using var advance = new NpgsqlCommand($"""
            insert into {Name} (id, known_through) values (1, $1)
            on conflict (id) do update set known_through = greatest({Name}.known_through, excluded.known_through)
            """, connection) { Parameters = { new() { Value = through } } };
        await advance.ExecuteNonQueryAsync(ct);
    }

    /// <summary>What a read runs first on a connection that may be a standby's: whether it is one, and its W.</summary>
    public const string StandbyStateSql = $"select pg_is_in_recovery(), (select known_through from {Name} where id = 1)";
}
