using Positions.Api.Shared;
using Positions.Api.Statements.Recording;

namespace Positions.Api.Statements.Writing;

/// <summary>What became of a <see cref="WriteCommand"/>: the answer its endpoint gives.</summary>
public abstract record WriteOutcome;

/// <summary>What became of a valid statement sent to be recorded: the answer <c>POST /statements</c> gives.</summary>
public abstract record RecordOutcome : WriteOutcome
{
    public sealed record Recorded(StatementAccepted Accepted) : RecordOutcome;
    public sealed record Unchanged(StatementAccepted Accepted) : RecordOutcome;
    public sealed record Conflict(string StatementId) : RecordOutcome;
    public sealed record Rejected(ValidationErrors Errors) : RecordOutcome;

    /// <summary>The statement id a client leaves out: time-ordered, so recent ids sort together.</summary>
    public static string NewStatementId() => Guid.CreateVersion7().ToString();
}

/// <summary>What became of a correction, retraction or new source.</summary>
public abstract record FollowUpOutcome : WriteOutcome
{
    /// <summary>A new revision (<c>Revised</c>) or none because nothing would change (<c>Unchanged</c>): both 200.</summary>
    public sealed record Accepted(RevisionAccepted Revision) : FollowUpOutcome;
    public sealed record NotFound(string StatementId) : FollowUpOutcome;
    public sealed record Rejected(ValidationErrors Errors) : FollowUpOutcome;

    /// <summary>The answer of every follow-up endpoint.</summary>
    public IResult ToResult() => this switch
    {
        Accepted a => Results.Json(a.Revision, PositionsJson.Options),
        NotFound n => Problems.NotFound($"No statement '{n.StatementId}'."),
        Rejected r => Problems.Invalid(r.Errors),
        _ => throw new InvalidOperationException("Unknown outcome."),
    };
}
