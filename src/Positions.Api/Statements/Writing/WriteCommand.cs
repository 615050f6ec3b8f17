using Positions.Api.Shared;

namespace Positions.Api.Statements.Writing;

/// <summary>
/// A write the <see cref="StatementWriter"/> performs on a statement: a recording (<see cref="PendingLine"/>) or a
/// follow-up on one already recorded (<see cref="FollowUp"/>). Each is validated at the edge, before it is queued;
/// what needs the database (does the statement exist, is it the same, which revision is next) is decided under the
/// batch's locks.
/// </summary>
public abstract record WriteCommand(string StatementId, string RecordedBy);

/// <summary>A valid statement waiting to be recorded: an import line (numbered), or a single write (line 1).</summary>
public sealed record PendingLine(int Line, string StatementId, Statement Statement, string RecordedBy)
    : WriteCommand(StatementId, RecordedBy);

/// <summary>A correction, retraction or new source: the next revision of a recorded statement.</summary>
public abstract record FollowUp(string StatementId, string RecordedBy) : WriteCommand(StatementId, RecordedBy)
{
    /// <summary>Topics the follow-up may move the statement to, checked to exist with the batch's facts.</summary>
    public virtual IEnumerable<string> TopicsNamed => [];

    /// <summary>What the follow-up makes of the statement as it stands: a pure rule, decided under the locks.</summary>
    public abstract FollowUpDecision Decide(StatementRecord current, int nextRevision, IReadOnlySet<string> knownTopics);
}

/// <summary>What a follow-up makes of a statement: a new revision, nothing (it would change nothing), or a rejection.</summary>
public abstract record FollowUpDecision
{
    public sealed record Append(IStatementEvent Event) : FollowUpDecision;
    public sealed record NoChange : FollowUpDecision;
    public sealed record Invalid(ValidationErrors Errors) : FollowUpDecision;
}
