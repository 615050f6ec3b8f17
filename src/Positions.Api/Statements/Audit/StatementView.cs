using System.Text.Json.Serialization;
using Positions.Api.Shared;

namespace Positions.Api.Statements.Audit;

/// <summary>A statement as an audit answer shows it: its fields plus who recorded it, when, and what happened since.</summary>
public sealed record StatementView(
    string StatementId,
    string[] Actors,
    Speaker Speaker,
    string Topic,
    Stance Stance,
    int Score,
    string[] Conditions,
    string? Summary,
    string? Quote,
    DateOrInstant SaidAt,
    DatePrecision SaidAtPrecision,
    Source Source,
    Commitment? Commitment,
    string RecordedAt,
    string RecordedBy,
    int Revision,
    bool Retracted,
    IReadOnlyList<Source> Sources,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<RevisionEntryView>? Revisions)
{
    public static StatementView Of(string statementId, Statement s, DateTimeOffset recordedAt, string recordedBy,
        int revision, bool retracted, IReadOnlyList<Source> sources, IReadOnlyList<RevisionEntryView>? revisions) =>
        new(statementId, s.Actors, s.Speaker, s.Topic, s.Stance, s.Stance.Score(), s.Conditions, s.Summary, s.Quote,
            s.SaidAt, s.SaidAtPrecision, s.Source, s.Commitment, DateOrInstant.FormatInstant(recordedAt), recordedBy, revision,
            retracted, sources, revisions);

    public static StatementView Of(StatementRecord r) => Of(r.Id, r.Statement, r.RecordedAt, r.RecordedBy, r.Revision,
        r.Retracted, r.Sources, r.Revisions.Select(RevisionEntryView.Of).ToList());
}

public sealed record RevisionEntryView(
    int Revision, RevisionKind Kind, string RecordedAt, string RecordedBy, System.Text.Json.JsonElement? Changes, string? Reason)
{
    public static RevisionEntryView Of(RevisionEntry e) =>
        new(e.Revision, e.Kind, DateOrInstant.FormatInstant(e.RecordedAt), e.RecordedBy, e.Changes, e.Reason);
}
