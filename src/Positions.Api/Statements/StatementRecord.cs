using System.Text.Json;
using JasperFx.Events;
using Marten.Events.Projections;

namespace Positions.Api.Statements;

public enum RevisionKind { Recorded, Corrected, Retracted, Sourced }

public sealed record RevisionEntry(
    int Revision, RevisionKind Kind, DateTimeOffset RecordedAt, string RecordedBy, JsonElement? Changes, string? Reason);

/// <summary>
/// A statement as now known, with its whole revision history: answers <c>GET /statements/{id}</c>, the
/// idempotency check and the base of a correction. One document per statement, however many holders it has.
/// </summary>
public sealed record StatementRecord(
    string Id,
    Statement Statement,
    DateTimeOffset RecordedAt,
    string RecordedBy,
    bool Retracted,
    IReadOnlyList<Source> Sources,
    IReadOnlyList<RevisionEntry> Revisions,
    IReadOnlyList<StreamVersion> Streams)
{
    public int Revision => Revisions.Count;
}

/// <summary>
/// Builds <see cref="StatementRecord"/> inline, in the transaction of the write. A joint statement's events reach
/// this projection once per holder's stream; the revision number makes each change count once.
/// </summary>
public sealed partial class StatementRecordProjection : MultiStreamProjection<StatementRecord, string>
{
    public StatementRecordProjection()
    {
        Identity<StatementRecorded>(e => e.StatementId);
        Identity<StatementCorrected>(e => e.StatementId);
        Identity<StatementRetracted>(e => e.StatementId);
        Identity<StatementSourced>(e => e.StatementId);
    }

    public static StatementRecord Create(IEvent<StatementRecorded> e) => new(
        e.Data.StatementId, e.Data.Statement, e.Timestamp, e.Data.RecordedBy, Retracted: false,
        [e.Data.Statement.Source],
        [new RevisionEntry(1, RevisionKind.Recorded, e.Timestamp, e.Data.RecordedBy, null, null)],
        [new StreamVersion(e.StreamKey!, e.Version)]);

    /// <summary>The same recording on another holder's stream: only its stream version is new.</summary>
    public static StatementRecord Apply(IEvent<StatementRecorded> e, StatementRecord current) =>
        current.Streams.Any(s => s.Actor == e.StreamKey)
            ? current
            : current with { Streams = [.. current.Streams, new StreamVersion(e.StreamKey!, e.Version)] };

    public static StatementRecord Apply(IEvent<StatementCorrected> e, StatementRecord current) =>
        IsNew(e.Data, current)
            ? current with
            {
                Statement = e.Data.Statement,
                // The statement's own source is the first of its sources: a correction of it replaces that one.
                Sources = [e.Data.Statement.Source, .. current.Sources.Skip(1)],
                Revisions = [.. current.Revisions, Entry(e, RevisionKind.Corrected, e.Data.Changes, e.Data.Reason)],
            }
            : current;

    public static StatementRecord Apply(IEvent<StatementRetracted> e, StatementRecord current) =>
        IsNew(e.Data, current)
            ? current with
            {
                Retracted = true,
                Revisions = [.. current.Revisions, Entry(e, RevisionKind.Retracted, null, e.Data.Reason)],
            }
            : current;

    public static StatementRecord Apply(IEvent<StatementSourced> e, StatementRecord current) =>
        IsNew(e.Data, current)
            ? current with
            {
                Sources = [.. current.Sources, e.Data.Source],
                Revisions = [.. current.Revisions, Entry(e, RevisionKind.Sourced, null, null)],
            }
            : current;

    private static bool IsNew(IStatementEvent e, StatementRecord current) => e.Revision > current.Revision;

    private static RevisionEntry Entry<T>(IEvent<T> e, RevisionKind kind, JsonElement? changes, string? reason)
        where T : IStatementEvent =>
        new(e.Data.Revision, kind, e.Timestamp, e.Data.RecordedBy, changes, reason);
}
