using System.Text.Json;

namespace Positions.Api.Statements;

// The events of a statement's life. Each goes, in one transaction, to the stream of every actor whose position the
// statement states. Transaction time is the event's own timestamp; valid time (SaidAt) travels in the statement.
// Every event names its revision (1 = recorded) so that projections keyed by statement apply a joint statement's
// copies once.

/// <summary>What every statement event says about itself: which statement, which revision, written by whom.</summary>
public interface IStatementEvent
{
    string StatementId { get; }
    int Revision { get; }
    string RecordedBy { get; }
}

public sealed record StatementRecorded(string StatementId, Statement Statement, string RecordedBy) : IStatementEvent
{
    public int Revision => 1;
}

/// <summary><c>Changes</c> is the merge patch the client sent; <c>Statement</c> is the statement after it.</summary>
public sealed record StatementCorrected(
    string StatementId, int Revision, JsonElement Changes, string? Reason, Statement Statement, string RecordedBy) : IStatementEvent;

public sealed record StatementRetracted(string StatementId, int Revision, string? Reason, string Topic, string RecordedBy)
    : IStatementEvent;

public sealed record StatementSourced(string StatementId, int Revision, Source Source, string RecordedBy) : IStatementEvent;
