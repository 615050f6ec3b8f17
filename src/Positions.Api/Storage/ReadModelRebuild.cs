using System.Threading.Channels;
using JasperFx.Events;
using Marten;
using Npgsql;
using Positions.Api.Positions;
using Positions.Api.Statements;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Positions.Api.Storage;

public sealed record RebuildProgress(long Events, long Total);

/// <summary>What a rebuild did, with the time of each phase (where a slow rebuild spends it).</summary>
public sealed record RebuildReport(long Events, TimeSpan Took, IReadOnlyList<(string Phase, TimeSpan Took)> Phases);

/// <summary>
/// Rebuilds both read models from every event while the service keeps answering from the old ones: the same
/// projection code fills copies in a schema of their own (keys only, so each row costs one index entry), the
/// secondary indexes are built once at the end, and one short transaction swaps the copies in. Readers never see a
/// half-built table; writers wait only for that last transaction (events since the start, then the swap).
/// Marten's own <c>projections rebuild</c> empties the live tables first and refills them page by page.
/// </summary>
public sealed class ReadModelRebuild(IDocumentStore store, NpgsqlDataSource database, EventPages log)
{
    private const string Schema = "positions_rebuild";
    /// <summary>Events per transaction: large enough to amortise round trips, small enough to show progress.</summary>
    private const int PageSize = 10_000;

    private static readonly Func<Table>[] Definitions = [StatementsTable.Definition, RevisionsTable.Definition, ShiftsTable.Definition];
    private static readonly ReadModelTables CopyTables = new(Copy(StatementsTable.Definition).Identifier.QualifiedName,
        Copy(RevisionsTable.Definition).Identifier.QualifiedName, Copy(ShiftsTable.Definition).Identifier.QualifiedName);
    // While the copies fill, shifts wait: they are computed once, for every timeline, when the revisions are complete.
    private static readonly ReadModelsProjection IntoCopies = new(CopyTables with { Shifts = null });
    private static readonly ReadModelsProjection IntoCompleteCopies = new(CopyTables);

    public async Task<RebuildReport> RunAsync(IProgress<RebuildProgress>? progress, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var phase = System.Diagnostics.Stopwatch.StartNew();
        var phases = new List<(string, TimeSpan)>();
        void Done(string name)
        {
            phases.Add((name, phase.Elapsed));
            phase.Restart();
        }

        await ExecuteAsync(CreateCopiesSql(), ct);

        var upTo = await CommittedHighWaterMarkAsync(ct);
        var total = await CountEventsAsync(upTo, ct);
        long replayed = 0;
        // Every event in sequence order (a follow-up after the recording it changes), through the projection the
        // writes use. The next page is read, deserialised and turned into its inserts while the last one is written,
        // so that the service's core and the database's are both busy.
        var pages = Channel.CreateBounded<(IDocumentSession Session, int Events)>(
            new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        var preparing = PreparePagesAsync(upTo, pages.Writer, ct);
        await foreach (var (session, events) in pages.Reader.ReadAllAsync(ct))
        {
            await using (session) await session.SaveChangesAsync(ct);
            // Counted apart from the report: with no progress to report to, `?.` would skip the whole call.
            replayed += events;
            progress?.Report(new RebuildProgress(replayed, total));
        }
        await preparing;
        Done("events");
        await ExecuteAsync(ShiftsTable.FillAllSql(CopyTables.Shifts!, CopyTables.Revisions), ct);
        Done("shifts");

        await ExecuteAsync(SecondaryIndexesSql() + StatementsTable.Analyze(CopyTables.Statements) + ShiftsTable.Analyze(CopyTables.Shifts!), ct);
        await ExecuteAsync(RevisionsTable.VacuumAnalyze(CopyTables.Revisions), ct);
        Done("indexes and statistics");
        replayed += await CatchUpAndSwapAsync(upTo, ct);
        Done("catch-up and swap");
        progress?.Report(new RebuildProgress(replayed, replayed));
        return new RebuildReport(replayed, clock.Elapsed, phases);
    }

    /// <summary>Each page of events as a session holding its inserts into the copies, ready to be saved.</summary>
    private async Task PreparePagesAsync(long upTo, ChannelWriter<(IDocumentSession, int)> pages, CancellationToken ct)
    {
        try
        {
            await using var connection = await database.OpenConnectionAsync(ct);
            for (long after = 0; after < upTo;)
            {
                var page = await log.ReadAsync(connection, after, upTo, PageSize, ct);
                if (page.Count == 0) break;
                var session = store.LightweightSession();
                await IntoCopies.ApplyAsync(session, page, ct);
                await pages.WriteAsync((session, page.Count), ct);
                after = page[^1].Sequence;
            }
        }
        finally
        {
            pages.TryComplete();
        }
    }

    /// <summary>
    /// The last event every earlier one of which is committed: taken under the append gate, which waits for in-flight
    /// appends (they hold it from before they draw sequence numbers), so no event below it can still appear.
    /// </summary>
    private async Task<long> CommittedHighWaterMarkAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var hold = new NpgsqlCommand(WriteLocks.HoldAppendsSql, connection, transaction))
            await hold.ExecuteNonQueryAsync(ct);
        // A statement of its own, so that its snapshot is taken after the appends in flight have committed.
        await using var command = new NpgsqlCommand("select coalesce(max(seq_id), 0) from public.mt_events", connection, transaction);
        var mark = (long)(await command.ExecuteScalarAsync(ct))!;
        await transaction.CommitAsync(ct);
        return mark;
    }

    private async Task<long> CountEventsAsync(long upTo, CancellationToken ct)
    {
        await using var command = database.CreateCommand("select count(*) from public.mt_events where seq_id <= $1");
        command.Parameters.Add(new NpgsqlParameter { Value = upTo });
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Under a lock that holds appends back until the swap commits: the events recorded since the high-water mark,
    /// then the copies take the live tables' place. Readers wait only for this transaction.
    /// </summary>
    private async Task<int> CatchUpAndSwapAsync(long upTo, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        await session.BeginTransactionAsync(ct);
        await using (var command = session.Connection!.CreateCommand())
        {
            // The append gate first, then the read models: every writer takes the gate before it touches any table
            // (WriteLocks), so no writer can hold a read model while waiting for the gate.
            command.CommandText = $"{WriteLocks.HoldAppendsSql}; " +
                                  $"lock table {StatementsTable.Name}, {RevisionsTable.Name}, {ShiftsTable.Name} in access exclusive mode";
            await command.ExecuteNonQueryAsync(ct);
        }
        var events = await log.ReadAsync(session.Connection!, upTo, long.MaxValue, int.MaxValue, ct);
        await IntoCompleteCopies.ApplyAsync(session, events, ct);
        foreach (var live in Definitions.Select(definition => definition().Identifier))
        {
            session.QueueSqlCommand($"drop table {live.QualifiedName}");
            session.QueueSqlCommand($"alter table {Schema}.{live.Name} set schema {live.Schema}");
        }
        session.QueueSqlCommand($"drop schema {Schema}");
        await session.SaveChangesAsync(ct);
        return events.Count;
    }

    /// <summary>Empty copies with the live tables' columns and keys, in a schema of their own.</summary>
    private static string CreateCopiesSql()
    {
        var sql = new StringWriter();
        sql.WriteLine($"drop schema if exists {Schema} cascade; create schema {Schema};");
        foreach (var definition in Definitions)
        {
            var copy = Copy(definition);
            copy.Indexes.Clear();
            copy.WriteCreateStatement(new PostgresqlMigrator(), sql);
        }
        // The copies are what this version writes: once swapped in, they need no upgrade.
        sql.WriteLine($"comment on table {CopyTables.Statements} is '{ReadModelsUpgrade.CurrentVersion}';");
        return sql.ToString();
    }

    private static string SecondaryIndexesSql() => string.Join("", Definitions.Select(Copy)
        .SelectMany(copy => copy.Indexes.Select(index => index.ToDDL(copy) + ";\n")));

    /// <summary>The definition of a live table, moved to the rebuild's schema (same names: they move back on swap).</summary>
    private static Table Copy(Func<Table> definition)
    {
        var table = definition();
        table.MoveToSchema(Schema);
        return table;
    }

    private async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var command = database.CreateCommand(sql);
        command.CommandTimeout = 0; // index builds over a million rows outlast any fixed timeout
        await command.ExecuteNonQueryAsync(ct);
    }
}
