using Npgsql;
using Positions.Api.Positions;
using Positions.Api.Statements;

namespace Positions.Api.Storage;

/// <summary>
/// The planner's statistics and the revisions' visibility map, refreshed after bulk loads: the first rebuild after a
/// large load without them was measured 6× slower, and timelines are read by index-only scans, which need the map.
/// No answer depends on it. The work runs on one instance at a time, the background owner
/// (<see cref="BackgroundOwner"/>): <see cref="Refresh"/> only asks it to, from whichever instance loaded.
/// </summary>
public sealed class TableStatistics(NpgsqlDataSource database, ILogger<TableStatistics> logger)
{
    /// <summary>The channel the background owner listens on for upkeep requests.</summary>
    public const string UpkeepChannel = "positions_upkeep";

    /// <summary>Asks the background owner, on whichever instance it runs, to refresh soon.</summary>
    public void Refresh() => _ = Task.Run(async () =>
    {
        try
        {
            await using var notify = database.CreateCommand($"select pg_notify('{UpkeepChannel}', '')");
            await notify.ExecuteNonQueryAsync();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            logger.LogWarning("Could not ask for a refresh of table statistics: {Message}", e.Message);
        }
    });

    /// <summary>The refresh itself: run by the background owner only.</summary>
    public async Task RefreshNowAsync(CancellationToken ct)
    {
        await using (var command = database.CreateCommand(
            "analyze mt_events (seq_id, stream_id, version, type); analyze mt_streams; " + StatementsTable.Analyze(StatementsTable.Name)))
            await command.ExecuteNonQueryAsync(ct);
        await using var vacuum = database.CreateCommand(RevisionsTable.VacuumAnalyze(RevisionsTable.Name));
        vacuum.CommandTimeout = 0;
        await vacuum.ExecuteNonQueryAsync(ct);
    }
}
