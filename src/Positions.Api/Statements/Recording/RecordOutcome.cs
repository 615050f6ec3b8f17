using Positions.Api.Shared;

namespace Positions.Api.Statements.Recording;

public sealed record StatementAccepted(string StatementId, string RecordedAt, IReadOnlyList<StreamVersion> Streams)
{
    /// <summary>The answer a recording got, as a re-sent one gets it again.</summary>
    public static StatementAccepted Of(StatementRecord record) =>
        new(record.Id, DateOrInstant.FormatInstant(record.RecordedAt), record.Streams);
}

/// <summary>What became of a valid statement sent to be recorded: the answer <c>POST /statements</c> gives.</summary>
public abstract record RecordOutcome
{
    public sealed record Recorded(StatementAccepted Accepted) : RecordOutcome;
    public sealed record Unchanged(StatementAccepted Accepted) : RecordOutcome;
    public sealed record Conflict(string StatementId) : RecordOutcome;
    public sealed record Rejected(ValidationErrors Errors) : RecordOutcome;

    /// <summary>The statement id a client leaves out: time-ordered, so recent ids sort together.</summary>
    public static string NewStatementId() => Guid.CreateVersion7().ToString();
}
