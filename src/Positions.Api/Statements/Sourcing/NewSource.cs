using Positions.Api.Statements.Writing;

namespace Positions.Api.Statements.Sourcing;

/// <summary>Another report of the same statement (corroboration): always a new revision.</summary>
public sealed record NewSource(string StatementId, Source Source, string RecordedBy) : FollowUp(StatementId, RecordedBy)
{
    public override FollowUpDecision Decide(StatementRecord current, int nextRevision, IReadOnlySet<string> knownTopics) =>
        new FollowUpDecision.Append(new StatementSourced(StatementId, nextRevision, Source, RecordedBy));
}
