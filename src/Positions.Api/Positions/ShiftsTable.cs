using Marten;
using Npgsql;
using Positions.Api.Shared;
using Positions.Api.Statements;
using Weasel.Postgresql.Tables;

namespace Positions.Api.Positions;

/// <summary>
/// The shifts as now known, one row per (actor, topic, statement that changed the stance), so that <c>GET /shifts</c>
/// with any filter and any page is one indexed range read. A write recomputes the rows of the timelines it touches
/// (a correction of saidAt or topic touches two) from the revisions in force, in its own transaction: the rows follow
/// the rules of <see cref="Timeline.Classify"/> (ShiftsTableTests compares them with the pure fold).
/// </summary>
public static class ShiftsTable
{
    public const string Name = "public.positions_shifts";

    private const string Columns = """
        actor, topic, to_statement_id, kind, at, at_is_date, to_stance, from_statement_id, from_stance, from_said_at, from_said_at_is_date,
        to_first_recorded_at, attribution
        """;

    /// <summary>The columns of a shift row and their types: the model's, and the live feed's copy of each change.</summary>
    public static readonly IReadOnlyList<(string Column, string Type)> ColumnTypes =
    [
        ("actor", "text"), ("topic", "text"), ("to_statement_id", "text"), ("kind", "text"), ("at", "timestamptz"),
        ("at_is_date", "boolean"), ("to_stance", "text"), ("from_statement_id", "text"), ("from_stance", "text"),
        ("from_said_at", "timestamptz"), ("from_said_at_is_date", "boolean"), ("to_first_recorded_at", "timestamptz"),
        ("attribution", "smallint"),
    ];

    /// <summary>The columns in <see cref="Read"/>'s order, for a select.</summary>
    public static string ColumnList => Columns.ReplaceLineEndings(" ");

    public static Table Definition()
    {
        var table = new Table(Name);
        table.AddColumn<string>("actor").AsPrimaryKey();
        table.AddColumn<string>("topic").AsPrimaryKey();
        table.AddColumn<string>("to_statement_id").AsPrimaryKey();
        table.AddColumn<string>("kind").NotNull();
        table.AddColumn("at", "timestamptz").NotNull();
        table.AddColumn<bool>("at_is_date").NotNull();
        table.AddColumn<string>("to_stance").NotNull();
        table.AddColumn<string>("from_statement_id").NotNull();
        table.AddColumn<string>("from_stance").NotNull();
        table.AddColumn("from_said_at", "timestamptz").NotNull();
        table.AddColumn<bool>("from_said_at_is_date").NotNull();
        // The later statement's place in its timeline (with at and to_statement_id), so that a write can find the
        // shift that begins the run it changes; and that run's strongest attribution (RevisionsTable's numbers).
        // The defaults only let an upgrade add the columns to a filled table; the upgrade's rebuild then writes them.
        table.AddColumn("to_first_recorded_at", "timestamptz").NotNull().DefaultValueByExpression("'-infinity'");
        table.AddColumn("attribution", "smallint").NotNull().DefaultValueByExpression($"{(int)Attribution.Reported}");
        // Newest first, all shifts or one actor's or one topic's: each an index range, ties sorted in the few rows of
        // one instant.
        table.Indexes.Add(new IndexDefinition("ix_positions_shifts_at") { Columns = ["at"] });
        table.Indexes.Add(new IndexDefinition("ix_positions_shifts_actor_at") { Columns = ["actor", "at"] });
        table.Indexes.Add(new IndexDefinition("ix_positions_shifts_topic_at") { Columns = ["topic", "at"] });
        table.Indexes.Add(new IndexDefinition("ix_positions_shifts_timeline") { Columns = ["actor", "topic", "at"] });
        return table;
    }

    public static string Analyze(string table) => $"analyze {table};";

    /// <summary>
    /// Brings the shifts up to date after these statements changed, touching only what they can change: an entry's
    /// shift depends on it and the entry before it, so the rows to redo are those of each changed statement and of the
    /// entry now after each place one of its revisions stands (where it was, and where it is); and a shift's strength
    /// depends on every entry of the run it begins, so also the shifts that begin the runs around each place. Each of
    /// those is found by one index descent, whatever the timeline's length; rows no longer a shift are deleted, new or
    /// changed ones upserted (disjoint sets: no row is touched twice). One statement, queued after the revisions' own,
    /// so it sees them.
    /// </summary>
    /// <param name="feed">Where each row the upsert inserts or changes is copied for the live feed, with the
    /// transaction's time and its last event's sequence; null for a rebuild's copies (the live tables fed it).</param>
    public static void QueueUpdate(IDocumentOperations ops, string shifts, string revisions, string[] statementIds,
        string? feed, DateTimeOffset recordedAt) =>
        ops.QueueSqlCommand($"""
            with places as materialized (
                     select distinct actor, topic, said_at, first_recorded_at, statement_id
                     from {revisions} where statement_id = any(?::text[])),
                 run_starts as materialized (
                     select distinct s.actor, s.topic, s.to_statement_id from places k cross join lateral (
                         (select * from {shifts} s
                          where s.actor = k.actor and s.topic = k.topic
                            and (s.at, s.to_first_recorded_at, s.to_statement_id) < (k.said_at, k.first_recorded_at, k.statement_id)
                          order by s.at desc, s.to_first_recorded_at desc, s.to_statement_id desc limit 1)
                         union all
                         (select * from {shifts} s
                          where s.actor = k.actor and s.topic = k.topic and s.to_statement_id = k.statement_id)) as s),
                 redo as materialized (
                     select distinct e.* from places k cross join lateral (
                         (select {EntryColumns("c")} from {revisions} c
                          where c.statement_id = k.statement_id and c.actor = k.actor and c.topic = k.topic and {Counts("c")})
                         union all
                         (select {EntryColumns("c")} from {revisions} c
                          where c.actor = k.actor and c.topic = k.topic and {Counts("c")}
                            and (c.said_at, c.first_recorded_at, c.statement_id) > (k.said_at, k.first_recorded_at, k.statement_id)
                          order by c.said_at, c.first_recorded_at, c.statement_id limit 1)) as e
                     union
                     select {EntryColumns("c")} from run_starts r join {revisions} c
                         on c.statement_id = r.to_statement_id and c.actor = r.actor and c.topic = r.topic and {Counts("c")}),
                 fresh as materialized (
                     select e.actor, e.topic, e.statement_id as to_statement_id,
                         case when sign({Score("p.stance")}) * sign({Score("e.stance")}) < 0 then 'full-flop' else 'half-flip' end as kind,
                         e.said_at as at, e.said_at_is_date as at_is_date, e.stance as to_stance,
                         p.statement_id as from_statement_id, p.stance as from_stance, p.said_at as from_said_at, p.said_at_is_date as from_said_at_is_date,
                         e.first_recorded_at as to_first_recorded_at, strength.attribution
                     from redo e cross join lateral (
                         select {EntryColumns("c")} from {revisions} c
                         where c.actor = e.actor and c.topic = e.topic and {Counts("c")}
                           and (c.said_at, c.first_recorded_at, c.statement_id) < (e.said_at, e.first_recorded_at, e.statement_id)
                         order by c.said_at desc, c.first_recorded_at desc, c.statement_id desc limit 1) as p
                     left join lateral (
                         select c.said_at, c.first_recorded_at, c.statement_id from {revisions} c
                         where c.actor = e.actor and c.topic = e.topic and {Counts("c")}
                           and (c.said_at, c.first_recorded_at, c.statement_id) > (e.said_at, e.first_recorded_at, e.statement_id)
                           and (c.stance <> e.stance or c.conditions <> e.conditions)
                         order by c.said_at, c.first_recorded_at, c.statement_id limit 1) as run_end on true
                     cross join lateral (
                         select min(c.attribution) as attribution from {revisions} c
                         where c.actor = e.actor and c.topic = e.topic and {Counts("c")}
                           and (c.said_at, c.first_recorded_at, c.statement_id) >= (e.said_at, e.first_recorded_at, e.statement_id)
                           and (run_end.statement_id is null
                                or (c.said_at, c.first_recorded_at, c.statement_id) < (run_end.said_at, run_end.first_recorded_at, run_end.statement_id))) as strength
                     where p.stance <> e.stance or p.conditions <> e.conditions),
                 gone as (
                     delete from {shifts} s
                     using (select actor, topic, statement_id from redo union select actor, topic, statement_id from places) as candidate
                     where s.actor = candidate.actor and s.topic = candidate.topic and s.to_statement_id = candidate.statement_id
                       and not exists (select 1 from fresh f where (f.actor, f.topic, f.to_statement_id) = (s.actor, s.topic, s.to_statement_id)))
                 , upserted as (
                     insert into {shifts} as s ({Columns}) select {Columns} from fresh
                     on conflict (actor, topic, to_statement_id) do update set {Updates}
                     where ({Prefixed("s")}) is distinct from ({Prefixed("excluded")})
                     returning {Prefixed("s")})
            {(feed is null
                ? "select count(*) from upserted"
                : $"insert into {feed} (recorded_at, event_id, {ColumnList}) select ?, currval('public.mt_events_sequence'), {ColumnList} from upserted")}
            """, feed is null ? [statementIds] : [statementIds, recordedAt]);

    private static string EntryColumns(string alias) =>
        string.Join(", ", new[] { "actor", "topic", "statement_id", "stance", "conditions", "said_at", "said_at_is_date", "first_recorded_at", "attribution" }
            .Select(c => $"{alias}.{c}"));

    private static readonly string[] ColumnNames = Columns.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    // Every column but the key (the first three) takes the recomputed value.
    private static readonly string Updates = string.Join(", ", ColumnNames.Skip(3).Select(c => $"{c} = excluded.{c}"));

    private static string Prefixed(string alias) => string.Join(", ", ColumnNames.Select(c => $"{alias}.{c}"));

    /// <summary>The revision in force, and not retracted: an entry of its timeline now.</summary>
    private static string Counts(string alias) => $"{alias}.known_to is null and not {alias}.retracted";

    /// <summary>Every timeline's shifts, into an empty table (rebuilds and the first start with this table).</summary>
    public static string FillAllSql(string shifts, string revisions) =>
        $"insert into {shifts} ({Columns}) {Computed($"{revisions} r", InForceNow)};";

    /// <summary>The revisions in force now: those the shifts model keeps.</summary>
    private const string InForceNow = "r.known_to is null";

    /// <summary>
    /// The shifts of the timelines in <paramref name="timelines"/> (a relation of actor, topic) as known at the
    /// instant parameter <paramref name="knownAt"/>, in the table's columns: what the model held then.
    /// </summary>
    public static string KnownAtSql(string timelines, string knownAt) => Computed(
        $"{RevisionsTable.Name} r join {timelines} t on t.actor = r.actor and t.topic = r.topic",
        $"r.known_from <= {knownAt} and (r.known_to is null or r.known_to > {knownAt})");

    // The entries in force (known_to null) that count (not retracted), in timeline order: saidAt, first recording,
    // then id (as Timeline.Order, byte by byte, where the database's collation is C, as the embedded one's is; ids
    // tie-break only statements recorded in one transaction with the same saidAt). A change of stance or conditions is a shift; a change of the score's
    // sign a full-flop (Timeline.Classify). One row per shift, in the table's columns.
    private static string Computed(string revisionsAsR, string inForce) => $"""
        select actor, topic, statement_id as to_statement_id,
            case when sign({Score("from_stance")}) * sign({Score("stance")}) < 0 then 'full-flop' else 'half-flip' end as kind,
            said_at as at, said_at_is_date as at_is_date, stance as to_stance,
            from_statement_id, from_stance, from_said_at, from_said_at_is_date, first_recorded_at as to_first_recorded_at,
            run_attribution as attribution
        from (
            select *, min(attribution) over (partition by actor, topic, run) as run_attribution
            from (
                select *, count(*) filter (where begins_run) over timeline as run
                from (
                    select r.actor, r.topic, r.statement_id, r.stance, r.conditions, r.said_at, r.said_at_is_date,
                        r.first_recorded_at, r.attribution,
                        lag(r.statement_id) over timeline as from_statement_id, lag(r.stance) over timeline as from_stance,
                        lag(r.said_at) over timeline as from_said_at, lag(r.said_at_is_date) over timeline as from_said_at_is_date,
                        lag(r.statement_id) over timeline is null
                            or r.stance <> lag(r.stance) over timeline or r.conditions <> lag(r.conditions) over timeline as begins_run
                    from {revisionsAsR}
                    where {inForce} and not r.retracted
                    window timeline as (partition by r.actor, r.topic order by r.said_at, r.first_recorded_at, r.statement_id)
                ) as entry
                window timeline as (partition by actor, topic order by said_at, first_recorded_at, statement_id)
            ) as numbered
        ) as entry
        where from_statement_id is not null and begins_run
        """;

    private static string Score(string stance) =>
        $"case {stance} when 'strongly-opposes' then -2 when 'opposes' then -1 when 'neutral' then 0 when 'supports' then 1 else 2 end";

    /// <summary>What <c>GET /shifts</c> may ask for; a null part asks nothing.</summary>
    public sealed record Filter(string? Actor, string? Topic, ShiftKind? Kind, DateTimeOffset? From, DateTimeOffset? To, bool? Firm = null)
    {
        /// <summary>Whether a shift made now passes the filters a live feed uses (actor, topic, kind, firm).</summary>
        public bool Matches(Shift s) =>
            (Actor is null || s.Actor == Actor) && (Topic is null || s.Topic == Topic)
            && (Kind is null || s.Kind == Kind) && (Firm is null || Firm == !s.Provisional);
    }

    /// <summary>A page of shifts, newest first (ties: actor, topic, the later statement's id, byte by byte).</summary>
    public static async Task<IReadOnlyList<Shift>> PageAsync(NpgsqlDataSource database, Filter filter, ShiftCursor? after,
        int take, CancellationToken ct)
    {
        // Only the conditions asked for, each a plain comparison, so the planner can make them index ranges.
        await using var command = database.CreateCommand();
        var where = new List<string>();
        void Where(string condition, params NpgsqlParameter[] values)
        {
            foreach (var value in values) command.Parameters.Add(value);
            var first = command.Parameters.Count - values.Length + 1;
            where.Add(string.Format(condition, Enumerable.Range(first, values.Length).Select(i => (object)$"${i}").ToArray()));
        }
        if (filter.Actor is { } actor) Where("actor = {0}", Text(actor));
        if (filter.Topic is { } topic) Where("topic = {0}", Text(topic));
        if (filter.Kind is { } kind) Where("kind = {0}", Text(KebabEnum<ShiftKind>.Name(kind)));
        if (filter.From is { } from) Where("at >= {0}", Instant(from));
        if (filter.To is { } to) Where("at <= {0}", Instant(to));
        if (filter.Firm is { } firm) where.Add(firm ? FirmCondition : $"not ({FirmCondition})");
        if (after is not null)
            Where("""at <= {0} and (at < {0} or (actor collate "C", topic collate "C", to_statement_id collate "C") > ({1}, {2}, {3}))""",
                Instant(after.At), Text(after.Actor), Text(after.Topic), Text(after.StatementId));
        command.Parameters.Add(new NpgsqlParameter { Value = take });
        command.CommandText = $"""
            select {Columns} from {Name}
            {(where.Count == 0 ? "" : "where " + string.Join(" and ", where))}
            order by at desc, actor collate "C", topic collate "C", to_statement_id collate "C"
            limit ${command.Parameters.Count}
            """;

        var shifts = new List<Shift>(take);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) shifts.Add(Read(reader));
        return shifts;
    }

    /// <summary>A shift from a row in the table's columns.</summary>
    public static Shift Read(NpgsqlDataReader reader)
    {
        var at = new DateOrInstant(reader.GetFieldValue<DateTimeOffset>(4), reader.GetBoolean(5));
        var attribution = (Attribution)reader.GetInt16(12);
        return new Shift(reader.GetString(0), reader.GetString(1), Parse<ShiftKind>(reader.GetString(3)), at,
            new ShiftEnd(Parse<Stance>(reader.GetString(8)),
                new DateOrInstant(reader.GetFieldValue<DateTimeOffset>(9), reader.GetBoolean(10)), reader.GetString(7)),
            new ShiftEnd(Parse<Stance>(reader.GetString(6)), at, reader.GetString(2)),
            !attribution.IsFirm(), attribution);
    }

    /// <summary>The run the shift begins has a firm statement (Attribution.Spokesperson and stronger).</summary>
    private static readonly string FirmCondition = $"attribution <= {(int)Attribution.Spokesperson}";

    private static NpgsqlParameter Text(string? value) =>
        new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text };

    private static NpgsqlParameter Instant(DateTimeOffset? value) =>
        new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz };

    private static T Parse<T>(string text) where T : struct, Enum =>
        KebabEnum<T>.TryParse(text, out var value) ? value : throw new InvalidDataException($"{typeof(T).Name} '{text}'");
}
