using Npgsql;

namespace Positions.Api.Storage;

/// <summary>
/// Background work has one owner among the instances on a database: the instance whose connection holds the
/// session-level advisory lock <see cref="OwnerLock"/>. The others try for it every <see cref="Retry"/>; when the owner
/// dies its connection closes, PostgreSQL releases the lock, and the next try takes over (measured with three
/// instances and SIGKILL in BackgroundOwnerTests). The owner keeps the table statistics fresh (<see cref="TableStatistics"/>):
/// at takeover, when any instance asks (NOTIFY after a bulk load), and every <see cref="UpkeepEvery"/>; and, when
/// reads go to replicas, it advances the <see cref="ReplicaWatermark"/> every <see cref="ReplicaWatermark.Every"/>.
/// (The live feed of shifts needs no owner: each write feeds it in its own transaction, <see cref="Positions.ShiftFeedTable"/>.)
/// Rebuilds and the upgrade rebuild are one-shot work that hold locks of their own.
/// </summary>
public sealed class BackgroundOwner(NpgsqlDataSource database, TableStatistics statistics, ReadDatabase reads,
    ILogger<BackgroundOwner> logger)
    : BackgroundService
{
    public const long OwnerLock = 7_401_000_003;
    public static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan UpkeepEvery = TimeSpan.FromMinutes(5);

    /// <summary>Whether this instance holds the work now (for the log line when it loses it).</summary>
    private bool _owning;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await database.OpenConnectionAsync(stoppingToken);
                if (await TryTakeAsync(connection, stoppingToken)) await OwnAsync(connection, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException or InvalidOperationException)
            {
                if (_owning) logger.LogWarning("Lost the background work ({Reason}); another instance will take it", e.Message);
            }
            finally
            {
                _owning = false;
            }
            try
            {
                await Task.Delay(Retry, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task<bool> TryTakeAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select pg_try_advisory_lock({OwnerLock})", connection);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    private async Task OwnAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        _owning = true;
        logger.LogInformation("This instance runs the background work");
        try
        {
            await using (var listen = new NpgsqlCommand($"listen {TableStatistics.UpkeepChannel}", connection))
                await listen.ExecuteNonQueryAsync(ct);
            // Whatever the previous owner was asked for and did not finish.
            await statistics.RefreshNowAsync(ct);
            // A period, not a time of record: measured on the monotonic clock.
            var sinceUpkeep = System.Diagnostics.Stopwatch.StartNew();
            while (!ct.IsCancellationRequested)
            {
                // Returns true on a request, false when the time is up; throws when the connection (and the lock) is lost.
                var untilUpkeep = UpkeepEvery - sinceUpkeep.Elapsed;
                var wait = reads.ReadsFromReplicas && untilUpkeep > ReplicaWatermark.Every ? ReplicaWatermark.Every : untilUpkeep;
                var asked = await connection.WaitAsync(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1), ct);
                if (reads.ReadsFromReplicas) await ReplicaWatermark.AdvanceAsync(connection, ct);
                if (asked || sinceUpkeep.Elapsed >= UpkeepEvery)
                {
                    await statistics.RefreshNowAsync(ct);
                    sinceUpkeep.Restart();
                }
            }
        }
        finally
        {
            // The connection goes back to the pool; it must not take the lock with it.
            try
            {
                if (connection.State == System.Data.ConnectionState.Open)
                {
                    await using var unlock = new NpgsqlCommand($"select pg_advisory_unlock({OwnerLock})", connection);
                    await unlock.ExecuteNonQueryAsync(CancellationToken.None);
                }
            }
            catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException)
            {
                // A broken connection has released the lock with its session.
            }
        }
    }
}
