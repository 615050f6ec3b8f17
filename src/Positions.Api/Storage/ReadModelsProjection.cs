using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Positions.Api.Positions;
using Positions.Api.Statements;

namespace Positions.Api.Storage;

/// <summary>
/// Where the read-model projection writes: the live tables, or the copies a rebuild fills before swapping. With no
/// <c>Shifts</c> table the shifts are not kept per write (a rebuild computes them all at once).
/// </summary>
public sealed record ReadModelTables(string Statements, string Revisions, string? Shifts, string? Feed = null)
{
    public static readonly ReadModelTables Live = new(StatementsTable.Name, RevisionsTable.Name, ShiftsTable.Name, ShiftFeedTable.Name);
}

/// <summary>
/// Keeps the read models, <see cref="StatementsTable"/>, <see cref="RevisionsTable"/> and <see cref="ShiftsTable"/>, inline: in the transaction
/// of the write, so a read after a 2xx sees it. Every row is written from the events' values. Recordings, the bulk of
/// every batch, are written set-based (one statement per table for the whole batch); the rarer follow-ups one by one,
/// in event order. Recordings first is
/// safe because a follow-up always comes after the recording it changes. Rebuilds replay the same code.
/// </summary>
public sealed class ReadModelsProjection(ReadModelTables tables) : IProjection
{
    /// <summary>The projection Marten runs inline on every write, into the live tables.</summary>
    public static readonly ReadModelsProjection Live = new(ReadModelTables.Live);

    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var recorded = events.OfType<IEvent<StatementRecorded>>().ToList();
        if (recorded.Count > 0)
        {
            StatementsTable.InsertRecorded(operations, tables.Statements, recorded);
            RevisionsTable.InsertRecorded(operations, tables.Revisions, recorded);
        }

        foreach (var e in events)
        {
            switch (e)
            {
                case IEvent<StatementCorrected> corrected:
                    StatementsTable.Apply(operations, tables.Statements, corrected);
                    RevisionsTable.Apply(operations, tables.Revisions, corrected);
                    break;
                case IEvent<StatementRetracted> retracted:
                    StatementsTable.Apply(operations, tables.Statements, retracted);
                    RevisionsTable.Apply(operations, tables.Revisions, retracted);
                    break;
                case IEvent<StatementSourced> sourced:
                    StatementsTable.Apply(operations, tables.Statements, sourced);
                    RevisionsTable.Apply(operations, tables.Revisions, sourced);
                    break;
            }
        }

        // Every event changes the timeline it is on, or two when a correction moves the statement to another topic: a
        // new source may change no entry's place, but it may make the run around it firm.
        var changed = events.Select(e => e.Data).OfType<IStatementEvent>().Select(e => e.StatementId).Distinct().ToArray();
        if (tables.Shifts is { } shifts && changed.Length > 0)
        {
            // New events have no sequence yet (the database draws it in this transaction); events read back from the
            // store, as a replay by Marten's daemon reads them, have theirs, and were fed when they were written.
            var feed = events.All(e => e.Sequence == 0) ? tables.Feed : null;
            ShiftsTable.QueueUpdate(operations, shifts, tables.Revisions, changed, feed, events[0].Timestamp);
        }
        return Task.CompletedTask;
    }
}
