using Marten;
using Positions.Api.Shared;
using Positions.Api.Storage;

namespace Positions.Api.Statements;

/// <summary>A statement as it stands while its locks are held, and the transaction time those locks gave.</summary>
public sealed record LockedStatement(StatementRecord Current, DateTimeOffset TransactionTime);

public static class StatementLookup
{
    /// <summary>
    /// Loads a statement under the locks of its id and holders, so that follow-up events are numbered and appended
    /// one writer at a time. Null when there is no such statement.
    /// </summary>
    public static async Task<LockedStatement?> LockAndLoadAsync(IDocumentSession session, string statementId, CancellationToken ct)
    {
        if (!Slug.IsValid(statementId)) return null;
        await session.BeginTransactionAsync(ct);
        // A statement's holders never change, so a first read tells which streams to lock; the append gate goes
        // before it, in the same round trip, as before any table a writer touches (WriteLocks).
        StatementRecord? unlocked;
        await using (var batch = new Npgsql.NpgsqlBatch(session.Connection!)
        {
            BatchCommands = { WriteLocks.GateCommand(), StatementsTable.LoadManyCommand([statementId]) },
        })
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            await reader.NextResultAsync(ct);
            unlocked = (await StatementsTable.ReadManyAsync(reader, ct)).GetValueOrDefault(statementId);
        }
        if (unlocked is null) return null;
        var transactionTime = await StatementStreams.LockAsync(session, statementId, unlocked.Statement.Actors, ct);
        var current = await StatementsTable.LoadAsync(session.Connection!, statementId, ct);
        return current is null ? null : new LockedStatement(current, transactionTime);
    }
}
