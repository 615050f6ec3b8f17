using Marten;
using Positions.Api.Shared;
using Positions.Api.Statements.Recording;
using Positions.Api.Storage;

namespace Positions.Api.Statements.Writing;

/// <summary>A valid statement waiting to be recorded: an import line (numbered), or a single write (line 1).</summary>
public sealed record PendingLine(int Line, string StatementId, Statement Statement, string RecordedBy);

/// <summary>
/// Records a batch of valid statements in one transaction of few round trips whatever its size: locks and every fact
/// the decisions need in one (<see cref="BatchFacts"/>), then the events and the read models with the commit. Each
/// line's outcome is what <c>POST /statements</c> gives for it alone, as if the lines had come one after another.
/// </summary>
public static class BatchRecorder
{
    public static async Task<IReadOnlyList<RecordOutcome>> RecordAsync(
        IDocumentSession session, IReadOnlyList<PendingLine> batch, CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        var (recordedAt, existing, knownActors, knownTopics, versions) = await BatchFacts.LockAndReadAsync(session.Connection!, batch, ct);

        var recordedText = DateOrInstant.FormatInstant(recordedAt);
        var streams = new Dictionary<string, List<object>>();
        var recordedInBatch = new Dictionary<string, (Statement Statement, StatementAccepted Accepted)>();
        var outcomes = new List<RecordOutcome>(batch.Count);
        foreach (var line in batch)
        {
            (Statement Statement, StatementAccepted Accepted)? earlier =
                existing.TryGetValue(line.StatementId, out var record) ? (record.Original, StatementAccepted.Of(record))
                : recordedInBatch.TryGetValue(line.StatementId, out var inBatch) ? inBatch : null;
            if (earlier is var (statement, answer))
            {
                outcomes.Add(statement.SaysTheSameAs(line.Statement)
                    ? new RecordOutcome.Unchanged(answer)
                    : new RecordOutcome.Conflict(line.StatementId));
                continue;
            }

            var unknown = Unknown(line.Statement, knownActors, knownTopics);
            if (unknown.Any)
            {
                outcomes.Add(new RecordOutcome.Rejected(unknown));
                continue;
            }

            var recorded = new StatementRecorded(line.StatementId, line.Statement, line.RecordedBy);
            var lineStreams = new List<StreamVersion>(line.Statement.Actors.Length);
            foreach (var actor in line.Statement.Actors)
            {
                if (!streams.TryGetValue(actor, out var events)) streams[actor] = events = [];
                events.Add(recorded);
                lineStreams.Add(new StreamVersion(actor, versions.GetValueOrDefault(actor) + events.Count));
            }
            var accepted = new StatementAccepted(line.StatementId, recordedText, lineStreams);
            recordedInBatch[line.StatementId] = (line.Statement, accepted);
            outcomes.Add(new RecordOutcome.Recorded(accepted));
        }

        // Each stream's events in line order, at versions certain under the locks, then both read models from the same
        // events, all sent with the commit (read-your-writes, as Marten's inline projections would give).
        var pending = streams.SelectMany(s => s.Value.Select((e, i) => new PendingEvent(s.Key, versions.GetValueOrDefault(s.Key) + i + 1, e))).ToList();
        await ReadModelsProjection.Live.ApplyAsync(session, EventAppend.Queue(session, pending, recordedAt), ct);
        return outcomes;
    }

    private static ValidationErrors Unknown(Statement statement, HashSet<string> knownActors, HashSet<string> knownTopics)
    {
        var errors = new ValidationErrors();
        var unknownActors = statement.Actors.Where(a => !knownActors.Contains(a)).ToList();
        if (unknownActors.Count > 0) errors.Add("actors", "unknown actors: " + string.Join(", ", unknownActors));
        if (!knownTopics.Contains(statement.Topic)) errors.Add("topic", $"unknown topic: {statement.Topic}");
        return errors;
    }
}
