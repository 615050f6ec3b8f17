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
}
