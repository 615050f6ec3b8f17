using Marten;
using Positions.Api.Shared;

namespace Positions.Api.Statements.Recording;

public sealed record StatementAccepted(string StatementId, string RecordedAt, IReadOnlyList<StreamVersion> Streams);

public abstract record RecordOutcome
{
    public sealed record Recorded(StatementAccepted Accepted) : RecordOutcome;
    public sealed record Unchanged(StatementAccepted Accepted) : RecordOutcome;
    public sealed record Conflict(string StatementId) : RecordOutcome;
    public sealed record Rejected(ValidationErrors Errors) : RecordOutcome;
}

/// <summary>
/// Records a valid statement once: the write path shared by <c>POST /statements</c>, imports and seeds.
/// The statement id is the idempotency key, checked under its lock so that racing duplicates agree.
/// </summary>
public static class StatementRecorder
{
    public static string NewStatementId() => Guid.CreateVersion7().ToString();

    public static async Task<RecordOutcome> RecordAsync(IDocumentSession session, string statementId,
        Statement statement, string recordedBy, TimeProvider clock, CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        await StatementStreams.LockAsync(session, statementId, statement.Actors, ct);

        if (await StatementsTable.LoadAsync(session.Connection!, statementId, ct) is { } existing)
            return existing.Original.SaysTheSameAs(statement)
                ? new RecordOutcome.Unchanged(Accepted(existing))
                : new RecordOutcome.Conflict(statementId);

        var unknown = await StatementStreams.UnknownIdsAsync(session, statement, ct);
        if (unknown.Any) return new RecordOutcome.Rejected(unknown);

        var recordedAt = DateOrInstant.Truncate(clock.GetUtcNow());
        var streams = await StatementStreams.AppendAsync(session, statement.Actors,
            new StatementRecorded(statementId, statement, recordedBy), recordedAt, ct);
        return new RecordOutcome.Recorded(new StatementAccepted(statementId, DateOrInstant.FormatInstant(recordedAt), streams));
    }

    private static StatementAccepted Accepted(StatementRecord record) =>
        new(record.Id, DateOrInstant.FormatInstant(record.RecordedAt), record.Streams);
}
