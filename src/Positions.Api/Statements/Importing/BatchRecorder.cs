using Marten;
using Positions.Api.Actors;
using Positions.Api.Shared;
using Positions.Api.Storage;
using Positions.Api.Topics;

namespace Positions.Api.Statements.Importing;

/// <summary>A valid import line waiting for its batch.</summary>
public sealed record PendingLine(int Line, string StatementId, Statement Statement);

public enum LineOutcome { Recorded, Unchanged, Conflict, UnknownIds }

/// <summary>
/// Records a batch of import lines in one transaction: one lock query, one load of what exists, one append per
/// stream, inline projections for all of it. Each line's outcome is what <c>POST /statements</c> would have given.
/// </summary>
public static class BatchRecorder
{
    public static async Task<IReadOnlyList<(PendingLine Line, LineOutcome Outcome, ValidationErrors? Errors)>> RecordAsync(
        IDocumentSession session, IReadOnlyList<PendingLine> batch, string recordedBy, TimeProvider clock, CancellationToken ct)
    {
        var ids = batch.Select(p => p.StatementId).Distinct().ToArray();
        var actors = batch.SelectMany(p => p.Statement.Actors).Distinct().ToArray();
        await session.BeginTransactionAsync(ct);
        await WriteLocks.AcquireAsync(session, [.. ids.Select(WriteLocks.Statement), .. actors.Select(WriteLocks.Actor)], ct);

        var existing = await StatementsTable.LoadManyAsync(session.Connection!, ids, ct);
        var knownActors = (await session.LoadManyAsync<Actor>(ct, actors)).Select(a => a.Id).ToHashSet();
        var knownTopics = (await session.LoadManyAsync<Topic>(ct, batch.Select(p => p.Statement.Topic).Distinct())).Select(t => t.Id).ToHashSet();
        var versions = await StatementStreams.VersionsAsync(session, actors, ct);

        var recordedAt = DateOrInstant.Truncate(clock.GetUtcNow());
        var streams = new Dictionary<string, List<object>>();
        var recordedInBatch = new Dictionary<string, Statement>();
        var outcomes = new List<(PendingLine, LineOutcome, ValidationErrors?)>();
        foreach (var line in batch)
        {
            var earlier = existing.TryGetValue(line.StatementId, out var record) ? record.Original
                : recordedInBatch.GetValueOrDefault(line.StatementId);
            if (earlier is not null)
            {
                outcomes.Add((line, earlier.SaysTheSameAs(line.Statement) ? LineOutcome.Unchanged : LineOutcome.Conflict, null));
                continue;
            }

            var unknown = Unknown(line.Statement, knownActors, knownTopics);
            if (unknown.Any)
            {
                outcomes.Add((line, LineOutcome.UnknownIds, unknown));
                continue;
            }

            var recorded = new StatementRecorded(line.StatementId, line.Statement, recordedBy);
            foreach (var actor in line.Statement.Actors)
            {
                if (!streams.TryGetValue(actor, out var events)) streams[actor] = events = [];
                events.Add(recorded);
            }
            recordedInBatch[line.StatementId] = line.Statement;
            outcomes.Add((line, LineOutcome.Recorded, null));
        }

        // Each stream's events in line order, at versions certain under the locks; one COPY for the whole batch,
        // then both read models from the same events in the same transaction (read-your-writes, as Marten's inline
        // projections would give).
        var pending = streams.SelectMany(s => s.Value.Select((e, i) => new PendingEvent(s.Key, versions.GetValueOrDefault(s.Key) + i + 1, e))).ToList();
        var appended = await EventCopy.AppendAsync(session, pending, recordedAt, ct);
        await ReadModelsProjection.Live.ApplyAsync(session, appended, ct);
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
