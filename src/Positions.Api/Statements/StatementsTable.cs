using System.Text.Json;
using JasperFx.Events;
using Marten;
using Npgsql;
using Positions.Api.Shared;
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
        // Nullable so the column can be added to a table that already has rows; readers fall back to statement.
        table.AddColumn("original", "jsonb").AllowNulls();
        table.AddColumn("recorded_at", "timestamptz").NotNull();
        table.AddColumn<string>("recorded_by").NotNull();
        table.AddColumn<bool>("retracted").NotNull();
        table.AddColumn<int>("revision").NotNull();
        table.AddColumn("sources", "jsonb").NotNull();
        table.AddColumn("revisions", "jsonb").NotNull();
        table.AddColumn("streams", "jsonb").NotNull();
        return table;
    }

    /// <summary>All recordings of a batch in one statement; a statement's holders merge into its streams.</summary>
    public static void InsertRecorded(IDocumentOperations ops, IReadOnlyList<IEvent<StatementRecorded>> recorded)
    {
        var rows = recorded.GroupBy(e => e.Data.StatementId).Select(g => (First: g.First(), Streams: g.Select(e => new StreamVersion(e.StreamKey!, e.Version)).ToArray())).ToList();
        ops.QueueSqlCommand($"""
            insert into {Name} (statement_id, statement, original, recorded_at, recorded_by, retracted, revision, sources, revisions, streams)
            select id, statement, statement, at, by, false, 1, sources, revisions, streams
            from unnest(?::text[], ?::jsonb[], ?::timestamptz[], ?::text[], ?::jsonb[], ?::jsonb[], ?::jsonb[])
                as row(id, statement, at, by, sources, revisions, streams)
            on conflict (statement_id) do update set streams = {Name}.streams || excluded.streams
            """,
            rows.Select(r => r.First.Data.StatementId).ToArray(),
            rows.Select(r => Json(r.First.Data.Statement)).ToArray(),
            rows.Select(r => r.First.Timestamp).ToArray(),
            rows.Select(r => r.First.Data.RecordedBy).ToArray(),
            rows.Select(r => Json(new[] { r.First.Data.Statement.Source })).ToArray(),
            rows.Select(r => Json(new[] { new RevisionEntry(1, RevisionKind.Recorded, r.First.Timestamp, r.First.Data.RecordedBy, null, null) })).ToArray(),
            rows.Select(r => Json(r.Streams)).ToArray());
    }

    public static void Apply(IDocumentOperations ops, IEvent<StatementCorrected> e) =>
        // The statement's own source is the first of its sources: a correction of it replaces that one.
        Update(ops, e, "statement = ?::jsonb, sources = jsonb_set(sources, array['0'], ?::jsonb)",
            [Json(e.Data.Statement), Json(e.Data.Statement.Source)], RevisionKind.Corrected, e.Data.Changes, e.Data.Reason);

    public static void Apply(IDocumentOperations ops, IEvent<StatementRetracted> e) =>
        Update(ops, e, "retracted = true", [], RevisionKind.Retracted, null, e.Data.Reason);

    public static void Apply(IDocumentOperations ops, IEvent<StatementSourced> e) =>
        Update(ops, e, "sources = sources || ?::jsonb", [Json(new[] { e.Data.Source })], RevisionKind.Sourced, null, null);

    private static void Update<T>(IDocumentOperations ops, IEvent<T> e, string change, object[] changeArgs,
        RevisionKind kind, JsonElement? changes, string? reason) where T : IStatementEvent =>
        ops.QueueSqlCommand(
            $"update {Name} set {change}, revision = ?, revisions = revisions || ?::jsonb where statement_id = ? and revision < ?",
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
        await using var command = new NpgsqlCommand($"""
            select statement_id, statement, recorded_at, recorded_by, retracted, sources, revisions, streams, coalesce(original, statement)
            from {Name} where statement_id = any($1)
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = statementIds.ToArray() });
        var records = new Dictionary<string, StatementRecord>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            records[reader.GetString(0)] = new StatementRecord(reader.GetString(0), From<Statement>(reader.GetString(1)),
                reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3), reader.GetBoolean(4), From<Source[]>(reader.GetString(5)),
                From<RevisionEntry[]>(reader.GetString(6)), From<StreamVersion[]>(reader.GetString(7)), From<Statement>(reader.GetString(8)));
        return records;
    }

    public static async Task<bool> AnyAsync(NpgsqlDataSource database, CancellationToken ct)
    {
        await using var command = database.CreateCommand($"select exists (select 1 from {Name})");
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    private static T From<T>(string json) => JsonSerializer.Deserialize<T>(json, PositionsJson.Options)!;

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, PositionsJson.Options);
}
