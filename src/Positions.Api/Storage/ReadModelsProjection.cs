using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Positions.Api.Positions;
using Positions.Api.Statements;

namespace Positions.Api.Storage;

/// <summary>
/// Keeps both read models, <see cref="StatementsTable"/> and <see cref="RevisionsTable"/>, inline: in the transaction
/// of the write, so a read after a 2xx sees it. Recordings, the bulk of every batch, are written set-based (one
/// statement per table for the whole batch); the rarer follow-ups one by one, in event order. Recordings first is
/// safe because a follow-up always comes after the recording it changes. Rebuilds replay the same code.
/// </summary>
public sealed class ReadModelsProjection : IProjection
{
    public static readonly ReadModelsProjection Instance = new();

    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var recorded = events.OfType<IEvent<StatementRecorded>>().ToList();
        if (recorded.Count > 0)
        {
            StatementsTable.InsertRecorded(operations, recorded);
            RevisionsTable.InsertRecorded(operations, recorded);
        }

        foreach (var e in events)
        {
            switch (e)
            {
                case IEvent<StatementCorrected> corrected:
                    StatementsTable.Apply(operations, corrected);
                    RevisionsTable.Apply(operations, corrected);
                    break;
                case IEvent<StatementRetracted> retracted:
                    StatementsTable.Apply(operations, retracted);
                    RevisionsTable.Apply(operations, retracted);
                    break;
                case IEvent<StatementSourced> sourced:
                    StatementsTable.Apply(operations, sourced);
                    RevisionsTable.Apply(operations, sourced);
                    break;
            }
        }
        return Task.CompletedTask;
    }
}
