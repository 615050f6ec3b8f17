using System.Text.Json;
using JasperFx.Events;
using Marten;
using Positions.Api.Shared;
using Positions.Api.Storage;
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
        // The key also finds a holder's open revision for follow-ups (a statement has few): no index of its own,
        // which would cost every import row one more index entry.
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
        return table;
    }

    /// <summary>Statistics for the columns the planner filters and sorts on; the large jsonb ones would only slow ANALYZE.</summary>
    public static string Analyze(string table) =>
        $"analyze {table} (statement_id, actor, revision, holder_index, topic, said_at, retracted, first_recorded_at, known_from, known_to);";

    /// <summary>Every recording of a batch (one row per holder) in one set-based statement, from the events.</summary>
    public static void InsertRecorded(IDocumentOperations ops, string table, RecordedEvents recorded) =>
        ops.QueueSqlCommand($"""
            insert into {table} ({Columns})
            select e.data->>'statementId', e.stream_id, 1,
                -- The common cases (first holder, no conditions) skip unpacking the arrays.
                case when s->'actors'->>0 = e.stream_id then 0
                     else array_position(array(select jsonb_array_elements_text(s->'actors')), e.stream_id::text) - 1 end,
                s->>'topic', s->>'stance',
                case when s->'conditions' = '[]'::jsonb then array[]::text[] else array(select jsonb_array_elements_text(s->'conditions')) end,
                -- saidAt is a date (its first instant, UTC) or an instant in UTC: DateOrInstant's two forms.
                case when length(s->>'saidAt') = 10 then (s->>'saidAt')::date::timestamp at time zone 'UTC' else (s->>'saidAt')::timestamptz end,
                length(s->>'saidAt') = 10,
                s->'speaker'->>'actorId', s, jsonb_build_array(s->'source'), false, e.timestamp, e.data->>'recordedBy', e.timestamp, null
            from public.mt_events e cross join lateral (select e.data->'statement' as s) as recorded
            where {recorded.Where}
            """, recorded.Arguments);

    public static void Apply(IDocumentOperations ops, string table, IEvent<StatementCorrected> e)
    {
        var s = e.Data.Statement;
        ops.QueueSqlCommand($"""
            insert into {table} ({Columns})
            select statement_id, actor, ?, holder_index, ?, ?, ?, ?, ?, ?, ?::jsonb, jsonb_set(sources, array['0'], ?::jsonb),
                retracted, first_recorded_at, recorded_by, ?, null
            from {table} where statement_id = ? and actor = ? and known_to is null
            """,
            e.Data.Revision, s.Topic, KebabEnum<Stance>.Name(s.Stance), s.Conditions, s.SaidAt.Start,
            s.SaidAt.IsDate, (object?)s.Speaker.ActorId ?? DBNull.Value, Json(s), Json(s.Source), e.Timestamp,
            e.Data.StatementId, e.StreamKey!);
        CloseEarlierRevisions(ops, table, e);
    }

    public static void Apply(IDocumentOperations ops, string table, IEvent<StatementRetracted> e)
    {
        NextRevisionFromOpen(ops, table, e, sources: "sources", retracted: "true", []);
        CloseEarlierRevisions(ops, table, e);
    }

    public static void Apply(IDocumentOperations ops, string table, IEvent<StatementSourced> e)
    {
        NextRevisionFromOpen(ops, table, e, sources: "sources || ?::jsonb", retracted: "retracted", [Json(new[] { e.Data.Source })]);
        CloseEarlierRevisions(ops, table, e);
    }

    /// <summary>Inserts the next revision as a copy of the open one, with its sources or retraction changed.</summary>
    private static void NextRevisionFromOpen<T>(
        IDocumentOperations ops, string table, IEvent<T> e, string sources, string retracted, object[] sourcesArgs)
        where T : IStatementEvent =>
        ops.QueueSqlCommand($"""
            insert into {table} ({Columns})
            select statement_id, actor, ?, holder_index, topic, stance, conditions, said_at, said_at_is_date,
                speaker_actor_id, statement, {sources}, {retracted}, first_recorded_at, recorded_by, ?, null
            from {table} where statement_id = ? and actor = ? and known_to is null
            """,
            [e.Data.Revision, .. sourcesArgs, e.Timestamp, e.Data.StatementId, e.StreamKey!]);

    private static void CloseEarlierRevisions<T>(IDocumentOperations ops, string table, IEvent<T> e) where T : IStatementEvent =>
        ops.QueueSqlCommand(
            $"update {table} set known_to = ? where statement_id = ? and actor = ? and known_to is null and revision < ?",
            e.Timestamp, e.Data.StatementId, e.StreamKey!, e.Data.Revision);

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, PositionsJson.Options);
}
