using Npgsql;
using Positions.Api.Statements;

namespace Positions.Api.Storage;

/// <summary>
/// Read models written by an earlier version of Positions (before the shifts model, or before later revisions were
/// kept with their statement) are rebuilt from the events once, at start-up, before the service reports ready: Marten
/// brings the tables' columns up to date, but only the events can fill what the new columns and tables hold. The
/// rebuild is the usual one (readers and writers of other instances keep going). The version the read models are
/// at is a comment on the statements table; a new database is at the current one from the start.
/// </summary>
public sealed class ReadModelsUpgrade(NpgsqlDataSource database, ReadModelRebuild rebuild, ILogger<ReadModelsUpgrade> logger)
    : IHostedService
{
    /// <summary>Raise it when a change of the read models needs the events replayed into them.</summary>
    public const string CurrentVersion = "positions read models 4";

    /// <summary>Held while one instance checks and upgrades, so that instances starting together rebuild once.</summary>
    private const long UpgradeLock = 7_401_000_002;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, $"select pg_advisory_lock({UpgradeLock})", cancellationToken);
        try
        {
            if (await VersionAsync(connection, cancellationToken) == CurrentVersion) return;
            if (await StatementsTable.AnyAsync(database, cancellationToken))
            {
                logger.LogWarning("The read models were written by an earlier version of Positions: rebuilding them from the events");
                var report = await rebuild.RunAsync(progress: null, cancellationToken);
                // The rebuilt tables carry the current version already.
                logger.LogWarning("Rebuilt the read models from {Events} events in {Seconds:F1} s", report.Events, report.Took.TotalSeconds);
            }
            else await ExecuteAsync(connection, $"comment on table {StatementsTable.Name} is '{CurrentVersion}'", cancellationToken);
        }
        finally
        {
            await ExecuteAsync(connection, $"select pg_advisory_unlock({UpgradeLock})", CancellationToken.None);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task<string?> VersionAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select obj_description('{StatementsTable.Name}'::regclass, 'pg_class')", connection);
        return await command.ExecuteScalarAsync(ct) as string;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
