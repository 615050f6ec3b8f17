using System.Text.Json;
using JasperFx.Events;
using Marten;
using Positions.Api.Shared;
using Positions.Api.Statements;
using Weasel.Postgresql.Tables;

namespace Positions.Api.Positions;

/// <summary>
/// The bitemporal read model of TIME.md: one row per (statement, holder, revision), valid time in
/// <c>said_at</c>, transaction time as the interval <c>[known_from, known_to)</c>. Rows are only ever inserted,
/// and closed (<c>known_to</c> set) when the next revision arrives, so any (asOf, knownAt) pair is one indexed
/// query away. Written by the read-model projection in the transaction of every write (read-your-writes).
/// </summary>
public static class RevisionsTable
{
    public const string Name = "public.positions_revisions";

    private const string Columns = """
        statement_id, actor, revision, holder_index, topic, stance, conditions, said_at, said_at_is_date,
        speaker_actor_id, statement, sources, retracted, first_recorded_at, recorded_by, known_from, known_to
        """;

    public static Table Definition()
    {
        var table = new Table(Name);
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

        // The tails of an actor's timelines (TimelineTails) are read from this index alone, newest first: its key is
        // the timeline order and it carries every column an entry needs (an index-only scan).
        table.Indexes.Add(new IndexDefinition("ix_positions_revisions_actor_topic")
        {
            Columns = ["actor", "topic", "said_at", "first_recorded_at", "statement_id"],
            IncludeColumns = ["known_from", "known_to", "retracted", "stance", "conditions", "said_at_is_date"],
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
        return table;
    }

    /// <summary>Every recording of a batch (one row per holder) in one set-based statement.</summary>
    public static void InsertRecorded(IDocumentOperations ops, IReadOnlyList<IEvent<StatementRecorded>> recorded)
    {
        var statements = recorded.Select(e => e.Data.Statement).ToList();
        ops.QueueSqlCommand($"""
            insert into {Name} ({Columns})
            select id, actor, 1, holder, topic, stance, array(select jsonb_array_elements_text(conditions)), said_at, is_date,
                speaker, statement, sources, false, at, by, at, null
            from unnest(?::text[], ?::text[], ?::int[], ?::text[], ?::text[], ?::jsonb[], ?::timestamptz[], ?::bool[],
                        ?::text[], ?::jsonb[], ?::jsonb[], ?::timestamptz[], ?::text[])
                as row(id, actor, holder, topic, stance, conditions, said_at, is_date, speaker, statement, sources, at, by)
            """,
            recorded.Select(e => e.Data.StatementId).ToArray(),
            recorded.Select(e => e.StreamKey!).ToArray(),
            recorded.Select(e => Array.IndexOf(e.Data.Statement.Actors, e.StreamKey)).ToArray(),
            statements.Select(s => s.Topic).ToArray(),
            statements.Select(s => KebabEnum<Stance>.Name(s.Stance)).ToArray(),
            statements.Select(s => Json(s.Conditions)).ToArray(),
            statements.Select(s => s.SaidAt.Start).ToArray(),
            statements.Select(s => s.SaidAt.IsDate).ToArray(),
            statements.Select(s => s.Speaker.ActorId).ToArray(),
            statements.Select(Json).ToArray(),
            statements.Select(s => Json(new[] { s.Source })).ToArray(),
            recorded.Select(e => e.Timestamp).ToArray(),
            recorded.Select(e => e.Data.RecordedBy).ToArray());
    }

    public static void Apply(IDocumentOperations ops, IEvent<StatementCorrected> e)
    {
        var s = e.Data.Statement;
        ops.QueueSqlCommand($"""
            insert into {Name} ({Columns})
            select statement_id, actor, ?, holder_index, ?, ?, ?, ?, ?, ?, ?::jsonb, jsonb_set(sources, array['0'], ?::jsonb),
                retracted, first_recorded_at, recorded_by, ?, null
            from {Name} where statement_id = ? and actor = ? and known_to is null
            """,
            e.Data.Revision, s.Topic, KebabEnum<Stance>.Name(s.Stance), s.Conditions, s.SaidAt.Start,
            s.SaidAt.IsDate, (object?)s.Speaker.ActorId ?? DBNull.Value, Json(s), Json(s.Source), e.Timestamp,
            e.Data.StatementId, e.StreamKey!);
        CloseEarlierRevisions(ops, e);
    }

    public static void Apply(IDocumentOperations ops, IEvent<StatementRetracted> e)
    {
        NextRevisionFromOpen(ops, e, sources: "sources", retracted: "true", []);
        CloseEarlierRevisions(ops, e);
    }

    public static void Apply(IDocumentOperations ops, IEvent<StatementSourced> e)
    {
        NextRevisionFromOpen(ops, e, sources: "sources || ?::jsonb", retracted: "retracted", [Json(new[] { e.Data.Source })]);
        CloseEarlierRevisions(ops, e);
    }

    /// <summary>Inserts the next revision as a copy of the open one, with its sources or retraction changed.</summary>
    private static void NextRevisionFromOpen<T>(
        IDocumentOperations ops, IEvent<T> e, string sources, string retracted, object[] sourcesArgs)
        where T : IStatementEvent =>
        ops.QueueSqlCommand($"""
            insert into {Name} ({Columns})
            select statement_id, actor, ?, holder_index, topic, stance, conditions, said_at, said_at_is_date,
                speaker_actor_id, statement, {sources}, {retracted}, first_recorded_at, recorded_by, ?, null
            from {Name} where statement_id = ? and actor = ? and known_to is null
            """,
            [e.Data.Revision, .. sourcesArgs, e.Timestamp, e.Data.StatementId, e.StreamKey!]);

    private static void CloseEarlierRevisions<T>(IDocumentOperations ops, IEvent<T> e) where T : IStatementEvent =>
        ops.QueueSqlCommand(
            $"update {Name} set known_to = ? where statement_id = ? and actor = ? and known_to is null and revision < ?",
            e.Timestamp, e.Data.StatementId, e.StreamKey!, e.Data.Revision);

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, PositionsJson.Options);
}
