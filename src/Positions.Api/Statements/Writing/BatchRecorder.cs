using Marten;
using Positions.Api.Shared;
using Positions.Api.Statements.Recording;
using Positions.Api.Storage;

namespace Positions.Api.Statements.Writing;

/// <summary>
/// Writes a batch of commands in one transaction of few round trips whatever its size: the locks and every fact the
/// decisions need in one (<see cref="BatchFacts"/>), then the events and the read models with the commit. Each
/// command's outcome is what its endpoint gives for it alone, as if the commands had come one after another: a later
/// command sees what an earlier one of the batch did.
/// </summary>
public static class BatchRecorder
{
    public static async Task<IReadOnlyList<WriteOutcome>> WriteAsync(IDocumentSession session, IReadOnlyList<WriteCommand> batch,
        IReadOnlyDictionary<string, string[]> followUpHolders, CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        var facts = await BatchFacts.LockAndReadAsync(session.Connection!, batch, followUpHolders, ct);
        var recordedText = DateOrInstant.FormatInstant(facts.RecordedAt);

        // The statements as they stand after each command so far, and each stream's events in command order.
        var statements = facts.Existing;
        var streams = new Dictionary<string, List<object>>();
        List<StreamVersion> Append(string[] actors, object @event) => actors.Select(actor =>
        {
            if (!streams.TryGetValue(actor, out var events)) streams[actor] = events = [];
            events.Add(@event);
            return new StreamVersion(actor, facts.Versions.GetValueOrDefault(actor) + events.Count);
        }).ToList();

        var outcomes = new List<WriteOutcome>(batch.Count);
        foreach (var command in batch)
        {
            var current = statements.GetValueOrDefault(command.StatementId);
            switch (command)
            {
                case PendingLine line when current is not null:
                    outcomes.Add(current.Original.SaysTheSameAs(line.Statement)
                        ? new RecordOutcome.Unchanged(StatementAccepted.Of(current))
                        : new RecordOutcome.Conflict(line.StatementId));
                    break;
                case PendingLine line when Unknown(line.Statement, facts) is { Any: true } unknown:
                    outcomes.Add(new RecordOutcome.Rejected(unknown));
                    break;
                case PendingLine line:
                    var recorded = new StatementRecorded(line.StatementId, line.Statement, line.RecordedBy);
                    var record = StatementRecord.Recorded(recorded, facts.RecordedAt, Append(line.Statement.Actors, recorded));
                    statements[line.StatementId] = record;
                    outcomes.Add(new RecordOutcome.Recorded(new StatementAccepted(line.StatementId, recordedText, record.Streams)));
                    break;
                // Its holders' streams are locked only if the statement was there before the batch began (or was
                // recorded earlier in it): one recorded by another instance meanwhile is, for this request, not yet.
                case FollowUp followUp when current is null || !current.Statement.Actors.All(facts.LockedStreams.Contains):
                    outcomes.Add(new FollowUpOutcome.NotFound(followUp.StatementId));
                    break;
                case FollowUp followUp:
                    outcomes.Add(followUp.Decide(current, current.Revision + 1, facts.KnownTopics) switch
                    {
                        FollowUpDecision.Invalid invalid => new FollowUpOutcome.Rejected(invalid.Errors),
                        FollowUpDecision.NoChange => new FollowUpOutcome.Accepted(new RevisionAccepted(current.Id, current.Revision)),
                        FollowUpDecision.Append(var e) => Revised(e),
                        _ => throw new InvalidOperationException("Unknown decision."),
                    });
                    FollowUpOutcome Revised(IStatementEvent e)
                    {
                        Append(current.Statement.Actors, e);
                        statements[current.Id] = current.With(e, facts.RecordedAt);
                        return new FollowUpOutcome.Accepted(new RevisionAccepted(current.Id, e.Revision));
                    }
                    break;
            }
        }

        // Each stream's events in command order, at versions certain under the locks, then the read models from the
        // same events, all sent with the commit (read-your-writes, as Marten's inline projections would give).
        var pending = streams.SelectMany(s => s.Value.Select((e, i) => new PendingEvent(s.Key, facts.Versions.GetValueOrDefault(s.Key) + i + 1, e))).ToList();
        await ReadModelsProjection.Live.ApplyAsync(session, EventAppend.Queue(session, pending, facts.RecordedAt), ct);
        return outcomes;
    }

    private static ValidationErrors Unknown(Statement statement, BatchFacts facts)
    {
        var errors = new ValidationErrors();
        var unknownActors = statement.Actors.Where(a => !facts.KnownActors.Contains(a)).ToList();
        if (unknownActors.Count > 0) errors.Add("actors", "unknown actors: " + string.Join(", ", unknownActors));
        if (!facts.KnownTopics.Contains(statement.Topic)) errors.Add("topic", $"unknown topic: {statement.Topic}");
        return errors;
    }
}
