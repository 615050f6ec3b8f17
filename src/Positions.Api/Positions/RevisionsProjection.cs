using System.Text.Json;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Positions.Api.Shared;
using Positions.Api.Statements;
using Weasel.Postgresql.Tables;

namespace Positions.Api.Positions;

/// <summary>
/// The bitemporal read model of TIME.md: one row per (statement, holder, revision), valid time in
/// <c>said_at</c>, transaction time as the interval <c>[known_from, known_to)</c>. Rows are only ever inserted,
/// and closed (<c>known_to</c> set) when the next revision arrives, so any (asOf, knownAt) pair is one indexed
/// query away. Runs inline: a read after a write's 2xx sees the write.
/// </summary>
public sealed partial class RevisionsProjection : EventProjection
{
    public const string Table = "public.positions_revisions";

    public RevisionsProjection()
    {
        var table = new Table(Table);
        table.AddColumn<string>("statement_id").AsPrimaryKey();
        table.AddColumn<string>("actor").AsPrimaryKey();
        table.AddColumn<int>("revision").AsPrimaryKey();
        // Position in the statement's actor list: 0 is the row the audit list shows when no actor is asked for.
        table.AddColumn<int>("holder_index").NotNull();
        table.AddColumn<string>("topic").NotNull();
        table.AddColumn<string>("stance").NotNull();
        table.AddColumn("conditions", "text[]").NotNull();
        table.AddColumn("said_at", "timestamptz").NotNull();
        table.AddColumn<bool>("said_at_is_date").NotNull();
        table.AddColumn<string>("speaker_actor_id").AllowNulls();
        table.AddColumn("statement", "jsonb").NotNull();
        table.AddColumn("sources", "jsonb").NotNull();
        table.AddColumn<bool>("retracted").NotNull();
        table.AddColumn("first_recorded_at", "timestamptz").NotNull();
        table.AddColumn<string>("recorded_by").NotNull();
        table.AddColumn("known_from", "timestamptz").NotNull();
        table.AddColumn("known_to", "timestamptz").AllowNulls();

        table.Indexes.Add(new IndexDefinition("ix_positions_revisions_actor_topic")
        {
            Columns = ["actor", "topic", "said_at"],
            IncludeColumns = ["known_from", "known_to", "retracted"],
        });
        table.Indexes.Add(new IndexDefinition("ix_positions_revisions_topic_actor")
        {
            Columns = ["topic", "actor", "said_at"],
            IncludeColumns = ["known_from", "known_to", "retracted"],
        });
        table.Indexes.Add(new IndexDefinition("ix_positions_revisions_audit")
        {
            Columns = ["said_at", "first_recorded_at", "statement_id"],
            Predicate = "holder_index = 0",
        });
        table.Indexes.Add(new IndexDefinition("ix_positions_revisions_open")
        {
            Columns = ["statement_id", "actor"],
            Predicate = "known_to is null",
        });
        SchemaObjects.Add(table);
        Options.DeleteDataInTableOnTeardown(Table);
    }

    public void Project(IEvent<StatementRecorded> e, IDocumentOperations ops)
    {
        var s = e.Data.Statement;
        ops.QueueSqlCommand($"""
            insert into {Table} (statement_id, actor, revision, holder_index, topic, stance, conditions, said_at,
                said_at_is_date, speaker_actor_id, statement, sources, retracted, first_recorded_at, recorded_by,
                known_from, known_to)
            values (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, false, ?, ?, ?, null)
            """,
            e.Data.StatementId, e.StreamKey!, Array.IndexOf(s.Actors, e.StreamKey), s.Topic,
            KebabEnum<Stance>.Name(s.Stance), s.Conditions, s.SaidAt.Start, s.SaidAt.IsDate,
            (object?)s.Speaker.ActorId ?? DBNull.Value, Json(s), Json(new[] { s.Source }), e.Timestamp,
            e.Data.RecordedBy, e.Timestamp);
    }

    public void Project(IEvent<StatementCorrected> e, IDocumentOperations ops)
    {
        var s = e.Data.Statement;
        ops.QueueSqlCommand($"""
            insert into {Table} (statement_id, actor, revision, holder_index, topic, stance, conditions, said_at,
                said_at_is_date, speaker_actor_id, statement, sources, retracted, first_recorded_at, recorded_by,
                known_from, known_to)
            select statement_id, actor, ?, holder_index, ?, ?, ?, ?, ?, ?, ?::jsonb, jsonb_set(sources, array['0'], ?::jsonb),
                retracted, first_recorded_at, recorded_by, ?, null
            from {Table} where statement_id = ? and actor = ? and known_to is null
            """,
            e.Data.Revision, s.Topic, KebabEnum<Stance>.Name(s.Stance), s.Conditions, s.SaidAt.Start,
            s.SaidAt.IsDate, (object?)s.Speaker.ActorId ?? DBNull.Value, Json(s), Json(s.Source), e.Timestamp,
            e.Data.StatementId, e.StreamKey!);
        CloseEarlierRevisions(e, ops);
    }

    public void Project(IEvent<StatementRetracted> e, IDocumentOperations ops)
    {
        NextRevisionFromOpen(e, ops, sources: "sources", retracted: "true", []);
        CloseEarlierRevisions(e, ops);
    }

    public void Project(IEvent<StatementSourced> e, IDocumentOperations ops)
    {
        NextRevisionFromOpen(e, ops, sources: "sources || ?::jsonb", retracted: "retracted", [Json(new[] { e.Data.Source })]);
        CloseEarlierRevisions(e, ops);
    }

    /// <summary>Inserts the next revision as a copy of the open one, with its sources or retraction changed.</summary>
    private static void NextRevisionFromOpen<T>(
        IEvent<T> e, IDocumentOperations ops, string sources, string retracted, object[] sourcesArgs)
        where T : IStatementEvent =>
        ops.QueueSqlCommand($"""
            insert into {Table} (statement_id, actor, revision, holder_index, topic, stance, conditions, said_at,
                said_at_is_date, speaker_actor_id, statement, sources, retracted, first_recorded_at, recorded_by,
                known_from, known_to)
            select statement_id, actor, ?, holder_index, topic, stance, conditions, said_at, said_at_is_date,
                speaker_actor_id, statement, {sources}, {retracted}, first_recorded_at, recorded_by, ?, null
            from {Table} where statement_id = ? and actor = ? and known_to is null
            """,
            [e.Data.Revision, .. sourcesArgs, e.Timestamp, e.Data.StatementId, e.StreamKey!]);

    private static void CloseEarlierRevisions<T>(IEvent<T> e, IDocumentOperations ops) where T : IStatementEvent =>
        ops.QueueSqlCommand(
            $"update {Table} set known_to = ? where statement_id = ? and actor = ? and known_to is null and revision < ?",
            e.Timestamp, e.Data.StatementId, e.StreamKey!, e.Data.Revision);

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, PositionsJson.Options);
}
