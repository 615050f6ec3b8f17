using Npgsql;
using Positions.Api.Storage;

namespace Positions.Api.Positions;

/// <summary>
/// The shifts model came after the revisions: a database that holds revisions but no shifts (written by an earlier
/// version) gets every timeline's shifts once, at start-up, holding appends back meanwhile so that no write is missed
/// or counted twice. Later writes keep the model themselves.
/// </summary>
public sealed class ShiftsBackfill(NpgsqlDataSource database, ILogger<ShiftsBackfill> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var hold = new NpgsqlCommand(WriteLocks.HoldAppendsSql, connection, transaction))
            await hold.ExecuteNonQueryAsync(cancellationToken);
        await using var fill = new NpgsqlCommand($"""
            do $$ begin
                if not exists (select 1 from {ShiftsTable.Name}) and exists (select 1 from {RevisionsTable.Name}) then
                    {ShiftsTable.FillAllSql(ShiftsTable.Name, RevisionsTable.Name)}
                end if;
            end $$;
            """, connection, transaction) { CommandTimeout = 0 };
        await fill.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogDebug("Shifts model checked");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
