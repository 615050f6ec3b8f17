using System.Text.Json;
using JasperFx.Events;
using Marten;
using Npgsql;
using Positions.Api.Shared;
using Positions.Api.Storage;
using Weasel.Postgresql.Tables;

namespace Positions.Api.Statements;

/// <summary>
/// The statements as now known, one row each (<see cref="StatementRecord"/>), written by the read-model projection
/// in the transaction of every write. A joint statement's events arrive once per holder: the revision number makes
/// each change count once.
/// </summary>
public static class StatementsTable
{
    public const string Name = "public.positions_statements";

    public static Table Definition()
    {
        var table = new Table(Name);
        table.AddColumn<string>("statement_id").AsPrimaryKey();
        table.AddColumn("statement", "jsonb").NotNull();
        // The statement as first recorded, kept only once a correction changes it (readers fall back to statement):
        // most statements are never corrected, and a second copy of each would slow every import.
        table.AddColumn("original", "jsonb").AllowNulls();
        table.AddColumn("recorded_at", "timestamptz").NotNull();
        table.AddColumn<string>("recorded_by").NotNull();
        table.AddColumn<bool>("retracted").NotNull();
        table.AddColumn<int>("revision").NotNull();
        table.AddColumn("sources", "jsonb").NotNull();
        // The revisions after the recording: the recording's own entry is recorded_at and recorded_by
        // (rows written before this rule hold it as their first entry; readers accept both).
        table.AddColumn("revisions", "jsonb").NotNull();
        table.AddColumn("streams", "jsonb").NotNull();
        // What each revision after the first said, [{ revision, statement, sources }], for the audit list as known
        // at a past knownAt (the first is original, or statement when never corrected): follow-ups are rare, so the
        // revisions table need not carry a statement per holder and revision.
        table.AddColumn("later_revisions", "jsonb").NotNull().DefaultValueByExpression("'[]'::jsonb");
        return table;
    }

    /// <summary>Statistics for the key the planner uses; the large jsonb columns would only slow ANALYZE.</summary>
    public static string Analyze(string table) => $"analyze {table} (statement_id);";

    /// <summary>
    /// All recordings of a batch in one statement, from the events' values; a joint statement's events (one per
    /// holder) make one row, their streams merged (also when a rebuild meets them in different pages).
    /// </summary>
    public static void InsertRecorded(IDocumentOperations ops, string table, IReadOnlyList<IEvent<StatementRecorded>> events)
    {
        var rows = events.GroupBy(e => e.Data.StatementId).ToList();
        var (ids, statements, recordedAt, recordedBy) =
            (new string[rows.Count], new string[rows.Count], new DateTimeOffset[rows.Count], new string[rows.Count]);
        var (sources, streams) = (new string[rows.Count], new string[rows.Count]);
        for (var i = 0; i < rows.Count; i++)
        {
            // One transaction wrote every holder's copy, with the same data and time.
            var (first, statement) = (rows[i].First(), rows[i].First().Data.Statement);
            (ids[i], statements[i], recordedAt[i], recordedBy[i]) = (rows[i].Key, Json(statement), first.Timestamp, first.Data.RecordedBy);
            sources[i] = Json(new[] { statement.Source });
            streams[i] = Json(rows[i].OrderBy(e => Array.IndexOf(statement.Actors, e.StreamKey))
                .Select(e => new StreamVersion(e.StreamKey!, e.Version)).ToArray());
        }
        ops.QueueSqlCommand($"""
            insert into {table} ({InsertColumns})
            select r.statement_id, r.statement::jsonb, null, r.recorded_at, r.recorded_by, false, 1, r.sources::jsonb, '[]', r.streams::jsonb
            from unnest(?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::text[], ?::text[])
                as r(statement_id, statement, recorded_at, recorded_by, sources, streams)
            on conflict (statement_id) do update set streams = {table}.streams || excluded.streams
            """, ids, statements, recordedAt, recordedBy, sources, streams);
    }

    private const string InsertColumns =
        "statement_id, statement, original, recorded_at, recorded_by, retracted, revision, sources, revisions, streams";

    // The statement's own source is the first of its sources: a correction of it replaces that one.
    public static void Apply(IDocumentOperations ops, string table, IEvent<StatementCorrected> e) =>
        Update(ops, table, e, statement: "?::jsonb", sources: "jsonb_set(t.sources, array['0'], ?::jsonb)", retracted: "t.retracted",
            [Json(e.Data.Statement), Json(e.Data.Statement.Source)], RevisionKind.Corrected, e.Data.Changes, e.Data.Reason);

    public static void Apply(IDocumentOperations ops, string table, IEvent<StatementRetracted> e) =>
        Update(ops, table, e, statement: "t.statement", sources: "t.sources", retracted: "true", [], RevisionKind.Retracted, null, e.Data.Reason);

    public static void Apply(IDocumentOperations ops, string table, IEvent<StatementSourced> e) =>
        Update(ops, table, e, statement: "t.statement", sources: "t.sources || ?::jsonb", retracted: "t.retracted",
            [Json(new[] { e.Data.Source })], RevisionKind.Sourced, null, null);

    /// <summary>
    /// The next revision: what the statement now says, its sources and retraction computed once from the row before
    /// it, then written as the current ones and kept in <c>later_revisions</c>. <c>original</c> keeps the statement
    /// as first recorded once a correction changes it.
    /// </summary>
    private static void Update<T>(IDocumentOperations ops, string table, IEvent<T> e, string statement, string sources,
        string retracted, object[] changeArgs, RevisionKind kind, JsonElement? changes, string? reason) where T : IStatementEvent =>
        ops.QueueSqlCommand($"""
            with next as (
                select t.statement_id, {statement} as statement, {sources} as sources, {retracted} as retracted
                from {table} t where t.statement_id = ? and t.revision < ?)
            update {table} t set
                original = case when t.original is null and next.statement <> t.statement then t.statement else t.original end,
                statement = next.statement, sources = next.sources, retracted = next.retracted, revision = ?,
                revisions = t.revisions || ?::jsonb,
                later_revisions = t.later_revisions || jsonb_build_array(jsonb_build_object('revision', ?, 'statement', next.statement, 'sources', next.sources))
            from next where t.statement_id = next.statement_id
            """,
            [.. changeArgs, e.Data.StatementId, e.Data.Revision, e.Data.Revision,
             Json(new[] { new RevisionEntry(e.Data.Revision, kind, e.Timestamp, e.Data.RecordedBy, changes, reason) }), e.Data.Revision]);

    public static async Task<StatementRecord?> LoadAsync(NpgsqlDataSource database, string statementId, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return (await LoadManyAsync(connection, [statementId], ct)).GetValueOrDefault(statementId);
    }

    public static async Task<Dictionary<string, StatementRecord>> LoadManyAsync(
        NpgsqlConnection connection, IReadOnlyCollection<string> statementIds, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { LoadManyCommand(statementIds) } };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        return await ReadManyAsync(reader, ct);
    }

    /// <summary>The statements with these ids, as a command of a larger batch; <see cref="ReadManyAsync"/> reads its rows.</summary>
    public static NpgsqlBatchCommand LoadManyCommand(IReadOnlyCollection<string> statementIds) => new($"""
        select statement_id, statement, recorded_at, recorded_by, retracted, sources, revisions, streams, coalesce(original, statement)
        from {Name} where statement_id = any($1)
        """) { Parameters = { new NpgsqlParameter { Value = statementIds.ToArray() } } };

    public static async Task<Dictionary<string, StatementRecord>> ReadManyAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var records = new Dictionary<string, StatementRecord>();
        while (await reader.ReadAsync(ct))
            records[reader.GetString(0)] = new StatementRecord(reader.GetString(0), From<Statement>(reader.GetString(1)),
                reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3), reader.GetBoolean(4), From<Source[]>(reader.GetString(5)),
                Revisions(reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3), From<RevisionEntry[]>(reader.GetString(6))),
                From<StreamVersion[]>(reader.GetString(7)), From<Statement>(reader.GetString(8)));
        return records;
    }

    private static RevisionEntry[] Revisions(DateTimeOffset recordedAt, string recordedBy, RevisionEntry[] later) =>
        later is [{ Revision: 1 }, ..] ? later : [new RevisionEntry(1, RevisionKind.Recorded, recordedAt, recordedBy, null, null), .. later];

    public static async Task<bool> AnyAsync(NpgsqlDataSource database, CancellationToken ct)
    {
        await using var command = database.CreateCommand($"select exists (select 1 from {Name})");
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    public static async Task<long> CountAsync(NpgsqlDataSource database, CancellationToken ct)
    {
        await using var command = database.CreateCommand($"select count(*) from {Name}");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private static T From<T>(string json) => JsonSerializer.Deserialize<T>(json, PositionsJson.Options)!;

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, PositionsJson.Options);
}
