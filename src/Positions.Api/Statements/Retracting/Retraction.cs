using Positions.Api.Statements.Writing;

namespace Positions.Api.Statements.Retracting;

/// <summary>A retraction: from now on the statement no longer counts. Retracting twice changes nothing.</summary>
public sealed record Retraction(string StatementId, string? Reason, string RecordedBy) : FollowUp(StatementId, RecordedBy)
{
    public override FollowUpDecision Decide(StatementRecord current, int nextRevision, IReadOnlySet<string> knownTopics) =>
        current.Retracted
            ? new FollowUpDecision.NoChange()
            : new FollowUpDecision.Append(new StatementRetracted(StatementId, nextRevision, Reason, current.Statement.Topic, RecordedBy));
}
