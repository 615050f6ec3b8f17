using Positions.Api.Statements.Writing;

namespace Positions.Api.Statements.Importing;

/// <summary>
/// An import line that says <c>"retracted": true</c> (as <c>GET /statements.ndjson</c> writes a retracted
/// statement): recorded, then retracted in the same transaction. It retracts only the statement its line recorded:
/// when the id was already recorded with other words (a conflict, reported on the line), it changes nothing.
/// </summary>
public sealed record ExportedRetraction(string StatementId, Statement Statement, string RecordedBy) : FollowUp(StatementId, RecordedBy)
{
    public const string Reason = "retracted in the record it was imported from";

    /// <summary>The one field of an import line beyond a statement's.</summary>
    public sealed record Flag(bool? Retracted);

    public override FollowUpDecision Decide(StatementRecord current, int nextRevision, IReadOnlySet<string> knownTopics) =>
        current.Retracted || !current.Original.SaysTheSameAs(Statement)
            ? new FollowUpDecision.NoChange()
            : new FollowUpDecision.Append(new StatementRetracted(StatementId, nextRevision, Reason, current.Statement.Topic, RecordedBy));
}
