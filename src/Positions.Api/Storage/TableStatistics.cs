using Npgsql;
using Positions.Api.Positions;
using Positions.Api.Statements;

namespace Positions.Api.Storage;

/// <summary>
/// Refreshes the planner's statistics and the revisions' visibility map after bulk loads, in the background and one run at a time: the first
/// rebuild after a large load without it was measured 6× slower, but no answer depends on it.
/// </summary>
public sealed class TableStatistics(NpgsqlDataSource database, ILogger<TableStatistics> logger)
{
    private int _running;

    public void Refresh()
    {
        if (Interlocked.Exchange(ref _running, 1) == 1) return;
        _ = Task.Run(async () =>
        {
            try
            {
                await using (var command = database.CreateCommand(
                    "analyze mt_events (seq_id, stream_id, version, type); analyze mt_streams; " + StatementsTable.Analyze(StatementsTable.Name)))
                    await command.ExecuteNonQueryAsync();
                await using var vacuum = database.CreateCommand(RevisionsTable.VacuumAnalyze(RevisionsTable.Name));
                vacuum.CommandTimeout = 0;
                await vacuum.ExecuteNonQueryAsync();
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning("Could not refresh table statistics: {Message}", e.Message);
            }
            finally
            {
                Interlocked.Exchange(ref _running, 0);
            }
        });
    }
}
