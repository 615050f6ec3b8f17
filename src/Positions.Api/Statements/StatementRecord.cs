using System.Text.Json;

namespace Positions.Api.Statements;

public enum RevisionKind { Recorded, Corrected, Retracted, Sourced }

public sealed record RevisionEntry(
    int Revision, RevisionKind Kind, DateTimeOffset RecordedAt, string RecordedBy, JsonElement? Changes, string? Reason);

/// <summary>
/// A statement as now known, with its whole revision history: answers <c>GET /statements/{id}</c> and is the base
/// of a correction. <c>Original</c>, the statement as first recorded, is what a re-sent <c>POST</c> is compared with. One row of <see cref="StatementsTable"/> per statement,
/// however many holders it has.
/// </summary>
public sealed record StatementRecord(
    string Id,
    Statement Statement,
    DateTimeOffset RecordedAt,
    string RecordedBy,
    bool Retracted,
    IReadOnlyList<Source> Sources,
    IReadOnlyList<RevisionEntry> Revisions,
    IReadOnlyList<StreamVersion> Streams,
    Statement Original)
{
    public int Revision => Revisions.Count;

    /// <summary>The statement as first recorded, before any follow-up.</summary>
    public static StatementRecord Recorded(StatementRecorded e, DateTimeOffset at, IReadOnlyList<StreamVersion> streams) =>
        new(e.StatementId, e.Statement, at, e.RecordedBy, Retracted: false, [e.Statement.Source],
            [new RevisionEntry(1, RevisionKind.Recorded, at, e.RecordedBy, null, null)], streams, e.Statement);

    /// <summary>
    /// The statement after a follow-up event recorded at <paramref name="at"/>: what <see cref="StatementsTable"/>
    /// writes for it, for the writer to decide a later follow-up of the same batch on.
    /// </summary>
    public StatementRecord With(IStatementEvent e, DateTimeOffset at) => e switch
    {
        StatementCorrected c => this with
        {
            Statement = c.Statement,
            Sources = [c.Statement.Source, .. Sources.Skip(1)],
            Revisions = [.. Revisions, new RevisionEntry(c.Revision, RevisionKind.Corrected, at, c.RecordedBy, c.Changes, c.Reason)],
        },
        StatementRetracted r => this with
        {
            Retracted = true,
            Revisions = [.. Revisions, new RevisionEntry(r.Revision, RevisionKind.Retracted, at, r.RecordedBy, null, r.Reason)],
        },
        StatementSourced s => this with
        {
            Sources = [.. Sources, s.Source],
            Revisions = [.. Revisions, new RevisionEntry(s.Revision, RevisionKind.Sourced, at, s.RecordedBy, null, null)],
        },
        _ => throw new ArgumentException($"Not a follow-up: {e.GetType().Name}", nameof(e)),
    };
}
