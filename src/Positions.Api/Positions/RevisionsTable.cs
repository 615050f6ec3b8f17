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
/// query away. Lean: only what timelines, shifts and the audit list filter and order on; what a statement says
/// lives once, in <see cref="StatementsTable"/>. Written from the events' values (never by parsing their JSON), in
/// the transaction of every write (read-your-writes).
/// </summary>
public static class RevisionsTable
{
    public const string Name = "public.positions_revisions";

    private const string Columns = """
        statement_id, actor, revision, holder_index, topic, stance, conditions, said_at, said_at_is_date,
        speaker_actor_id, retracted, first_recorded_at, known_from, known_to, attribution, added_attribution
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
        table.AddColumn<bool>("retracted").NotNull();
        table.AddColumn("first_recorded_at", "timestamptz").NotNull();
        table.AddColumn("known_from", "timestamptz").NotNull();
        table.AddColumn("known_to", "timestamptz").AllowNulls();
        // The strongest attribution among the revision's sources (the Attribution enum's number: 0 on the record ...
        // 4 reported), and among the sources added after the recording alone, which a correction of the recorded
        // source keeps.
        // The default only lets an upgrade add the column to a filled table; the upgrade's rebuild then writes it.
        table.AddColumn("attribution", "smallint").NotNull().DefaultValueByExpression($"{(int)Attribution.Reported}");
        table.AddColumn("added_attribution", "smallint").AllowNulls();
        // The tails of an actor's timelines (TimelineTails) are read from this index alone, newest first: its key is
        // the timeline order and it carries every column an entry needs (an index-only scan).
        table.Indexes.Add(new IndexDefinition("ix_positions_revisions_actor_topic")
        {
            Columns = ["actor", "topic", "said_at", "first_recorded_at", "statement_id"],
            IncludeColumns = ["known_from", "known_to", "retracted", "stance", "conditions", "said_at_is_date", "attribution"],
        });
        table.Indexes.Add(new IndexDefinition("ix_positions_revisions_topic_actor")
        {
            Columns = ["topic", "actor", "said_at"],
            IncludeColumns = ["known_from", "known_to", "retracted"],
        });
        // What the record learned in an interval (GET /changes): each revision once, through its first holder's row.
        table.Indexes.Add(new IndexDefinition("ix_positions_revisions_learned")
        {
            Columns = ["known_from", "statement_id", "revision"],
            Predicate = "holder_index = 0",
        });
        table.Indexes.Add(new IndexDefinition("ix_positions_revisions_audit")
        {
            Columns = ["said_at", "first_recorded_at", "statement_id"],
            Predicate = "holder_index = 0",
        });
        return table;
    }

    /// <summary>
    /// After a bulk load: statistics for the columns the planner filters and sorts on (the rest would only slow it),
    /// and the visibility map. Timelines are read by index-only scans, which skip the table only on pages the map
    /// marks all-visible; until a vacuum sets it, each entry costs a heap visit, and the planner turns to bitmap scans
    /// and sorts instead: measured at 1M statements, a past read of an actor's 50 timelines took 11 ms before and
    /// 1.7 ms after. Its own statement: VACUUM cannot run in a transaction, and a batch of statements is one.
    /// </summary>
    public static string VacuumAnalyze(string table) =>
        $"vacuum (analyze) {table} (statement_id, actor, revision, holder_index, topic, said_at, retracted, first_recorded_at, known_from, known_to)";

    /// <summary>Every recording of a batch (one row per holder) in one set-based statement, from the events' values.</summary>
    public static void InsertRecorded(IDocumentOperations ops, string table, IReadOnlyList<IEvent<StatementRecorded>> events)
    {
        var n = events.Count;
        var (ids, actors, holders, topics, stances, conditions) =
            (new string[n], new string[n], new int[n], new string[n], new string[n], new string?[n]);
        var (saidAt, saidAtIsDate, speakers, times) = (new DateTimeOffset[n], new bool[n], new string?[n], new DateTimeOffset[n]);
        var attributions = new short[n];
        for (var i = 0; i < n; i++)
        {
            var (e, s) = (events[i], events[i].Data.Statement);
            (ids[i], actors[i], holders[i], topics[i]) = (e.Data.StatementId, e.StreamKey!, Array.IndexOf(s.Actors, e.StreamKey), s.Topic);
            (stances[i], conditions[i]) = (KebabEnum<Stance>.Name(s.Stance), s.Conditions.Length == 0 ? null : Json(s.Conditions));
            (saidAt[i], saidAtIsDate[i], speakers[i], times[i]) = (s.SaidAt.Start, s.SaidAt.IsDate, s.Speaker.ActorId, e.Timestamp);
            attributions[i] = (short)s.Source.Attribution;
        }
        // Conditions travel as JSON text: a text[] per row does not fit one array parameter (PostgreSQL's arrays are
        // rectangular). Most statements have none.
        ops.QueueSqlCommand($"""
            insert into {table} ({Columns})
            select r.statement_id, r.actor, 1, r.holder_index, r.topic, r.stance,
                array(select jsonb_array_elements_text(r.conditions::jsonb)), r.said_at, r.said_at_is_date,
                r.speaker_actor_id, false, r.recorded_at, r.recorded_at, null, r.attribution, null
            from unnest(?::text[], ?::text[], ?::int[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::boolean[], ?::text[], ?::timestamptz[], ?::smallint[])
                as r(statement_id, actor, holder_index, topic, stance, conditions, said_at, said_at_is_date, speaker_actor_id, recorded_at, attribution)
            """, ids, actors, holders, topics, stances, conditions, saidAt, saidAtIsDate, speakers, times, attributions);
    }

    public static void Apply(IDocumentOperations ops, string table, IEvent<StatementCorrected> e)
    {
        var s = e.Data.Statement;
        ops.QueueSqlCommand($"""
            insert into {table} ({Columns})
            select statement_id, actor, ?, holder_index, ?, ?, ?, ?, ?, ?, retracted, first_recorded_at, ?, null,
                least(?::smallint, added_attribution), added_attribution
            from {table} where statement_id = ? and actor = ? and known_to is null
            """,
            e.Data.Revision, s.Topic, KebabEnum<Stance>.Name(s.Stance), s.Conditions, s.SaidAt.Start,
            s.SaidAt.IsDate, (object?)s.Speaker.ActorId ?? DBNull.Value, e.Timestamp, (short)s.Source.Attribution,
            e.Data.StatementId, e.StreamKey!);
        CloseEarlierRevisions(ops, table, e);
    }

    public static void Apply(IDocumentOperations ops, string table, IEvent<StatementRetracted> e)
    {
        NextRevisionFromOpen(ops, table, e, retracted: true, added: null);
        CloseEarlierRevisions(ops, table, e);
    }

    /// <summary>A new source may make the statement firm, and the audit list shows the revision it makes.</summary>
    public static void Apply(IDocumentOperations ops, string table, IEvent<StatementSourced> e)
    {
        NextRevisionFromOpen(ops, table, e, retracted: false, added: e.Data.Source.Attribution);
        CloseEarlierRevisions(ops, table, e);
    }

    /// <summary>Inserts the next revision as a copy of the open one, retracted if it retracts, with a source if one is added.</summary>
    private static void NextRevisionFromOpen<T>(IDocumentOperations ops, string table, IEvent<T> e, bool retracted,
        Attribution? added) where T : IStatementEvent =>
        ops.QueueSqlCommand($"""
            insert into {table} ({Columns})
            select statement_id, actor, ?, holder_index, topic, stance, conditions, said_at, said_at_is_date,
                speaker_actor_id, retracted or ?, first_recorded_at, ?, null,
                least(attribution, ?::smallint), least(added_attribution, ?::smallint)
            from {table} where statement_id = ? and actor = ? and known_to is null
            """, e.Data.Revision, retracted, e.Timestamp, Rank(added), Rank(added), e.Data.StatementId, e.StreamKey!);

    private static object Rank(Attribution? attribution) => attribution is { } a ? (short)a : DBNull.Value;

    private static void CloseEarlierRevisions<T>(IDocumentOperations ops, string table, IEvent<T> e) where T : IStatementEvent =>
        ops.QueueSqlCommand(
            $"update {table} set known_to = ? where statement_id = ? and actor = ? and known_to is null and revision < ?",
            e.Timestamp, e.Data.StatementId, e.StreamKey!, e.Data.Revision);

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, PositionsJson.Options);
}
