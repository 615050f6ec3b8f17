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
        return table;
    }

    /// <summary>Statistics for the key the planner uses; the large jsonb columns would only slow ANALYZE.</summary>
    public static string Analyze(string table) => $"analyze {table} (statement_id);";

    /// <summary>
    /// All recordings of a batch in one statement, from the events; a joint statement's events (one per holder) make
    /// one row, their streams merged (also when a rebuild meets them in different pages).
    /// </summary>
    public static void InsertRecorded(IDocumentOperations ops, string table, RecordedEvents recorded)
    {
        // Most statements have one holder: one event, one row, no grouping.
        ops.QueueSqlCommand($"""
            insert into {table} ({InsertColumns})
            select e.data->>'statementId', e.data->'statement', null, e.timestamp, e.data->>'recordedBy', false, 1,
                jsonb_build_array(e.data->'statement'->'source'), '[]',
                jsonb_build_array(jsonb_build_object('actor', e.stream_id, 'version', e.version))
            from public.mt_events e
            where {recorded.Where} and jsonb_array_length(e.data->'statement'->'actors') = 1
            on conflict (statement_id) do update set streams = {table}.streams || excluded.streams
            """, recorded.Arguments);
        // Joint statements (few): their holders' events grouped into one row, with every holder's stream in the order of
        // the actors. The events of one statement share its data, time and recorder (one transaction wrote them), so
        // any one of them gives the row. No join back to mt_events: a misestimated group count once made the planner
        // walk the whole table for it.
        ops.QueueSqlCommand($"""
            insert into {table} ({InsertColumns})
            select e.data->>'statementId', (array_agg(e.data->'statement'))[1], null, min(e.timestamp), min(e.data->>'recordedBy'),
                false, 1, jsonb_build_array((array_agg(e.data->'statement'->'source'))[1]), '[]',
                jsonb_agg(jsonb_build_object('actor', e.stream_id, 'version', e.version)
                    order by array_position(array(select jsonb_array_elements_text(e.data->'statement'->'actors')), e.stream_id::text))
            from public.mt_events e
            where {recorded.Where} and jsonb_array_length(e.data->'statement'->'actors') > 1
            group by e.data->>'statementId'
            on conflict (statement_id) do update set streams = {table}.streams || excluded.streams
            """, recorded.Arguments);
    }

    private const string InsertColumns =
        "statement_id, statement, original, recorded_at, recorded_by, retracted, revision, sources, revisions, streams";

    public static void Apply(IDocumentOperations ops, string table, IEvent<StatementCorrected> e) =>
        // The statement's own source is the first of its sources: a correction of it replaces that one.
        // Every right-hand side sees the row before the update: original keeps the statement as first recorded.
        Update(ops, table, e, "original = coalesce(original, statement), statement = ?::jsonb, sources = jsonb_set(sources, array['0'], ?::jsonb)",
            [Json(e.Data.Statement), Json(e.Data.Statement.Source)], RevisionKind.Corrected, e.Data.Changes, e.Data.Reason);

    public static void Apply(IDocumentOperations ops, string table, IEvent<StatementRetracted> e) =>
        Update(ops, table, e, "retracted = true", [], RevisionKind.Retracted, null, e.Data.Reason);

    public static void Apply(IDocumentOperations ops, string table, IEvent<StatementSourced> e) =>
        Update(ops, table, e, "sources = sources || ?::jsonb", [Json(new[] { e.Data.Source })], RevisionKind.Sourced, null, null);

    private static void Update<T>(IDocumentOperations ops, string table, IEvent<T> e, string change, object[] changeArgs,
        RevisionKind kind, JsonElement? changes, string? reason) where T : IStatementEvent =>
        ops.QueueSqlCommand(
            $"update {table} set {change}, revision = ?, revisions = revisions || ?::jsonb where statement_id = ? and revision < ?",
            [.. changeArgs, e.Data.Revision, Json(new[] { new RevisionEntry(e.Data.Revision, kind, e.Timestamp, e.Data.RecordedBy, changes, reason) }),
             e.Data.StatementId, e.Data.Revision]);

    public static async Task<StatementRecord?> LoadAsync(NpgsqlDataSource database, string statementId, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return await LoadAsync(connection, statementId, ct);
    }

    public static async Task<StatementRecord?> LoadAsync(NpgsqlConnection connection, string statementId, CancellationToken ct) =>
        (await LoadManyAsync(connection, [statementId], ct)).GetValueOrDefault(statementId);

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
