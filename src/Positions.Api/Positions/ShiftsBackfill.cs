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
    private const string FilledMark = "positions: every shift of the revisions is here";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var hold = new NpgsqlCommand(WriteLocks.HoldAppendsSql, connection, transaction))
            await hold.ExecuteNonQueryAsync(cancellationToken);
        await using var fill = new NpgsqlCommand($"""
            do $$ begin
                -- The table's comment records that it was filled, so a database whose timelines hold no shift is
                -- not scanned again on every start (a rebuild's copy comes without it, and holds every shift).
                if obj_description('{ShiftsTable.Name}'::regclass, 'pg_class') is distinct from '{FilledMark}' then
                    if not exists (select 1 from {ShiftsTable.Name}) then
                        {ShiftsTable.FillAllSql(ShiftsTable.Name, RevisionsTable.Name)}
                    end if;
                    comment on table {ShiftsTable.Name} is '{FilledMark}';
                end if;
            end $$;
            """, connection, transaction) { CommandTimeout = 0 };
        await fill.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogDebug("Shifts model checked");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
