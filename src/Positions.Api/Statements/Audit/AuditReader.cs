using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Positions.Api.Positions;
using Positions.Api.Shared;

namespace Positions.Api.Statements.Audit;

public sealed record AuditFilter(
    string? Actor, string? Speaker, string? Topic, DateTimeOffset? From, DateTimeOffset? To, DateTimeOffset KnownAt)
{
    /// <summary>The filters of <c>GET /statements</c> and its export, bad ones collected in <paramref name="query"/>.</summary>
    public static AuditFilter Read(QueryParameters query, string? actor, string? speaker, string? topic, string? from,
        string? to, string? knownAt, TimeProvider clock)
    {
        var filter = new AuditFilter(
            query.Id("actor", actor), query.Id("speaker", speaker), query.Id("topic", topic),
            query.LowerBound("from", from), query.UpperBound("to", to),
            TimeQuery.Read(query, null, knownAt, clock).KnownAt);
        query.CheckRange(filter.From, filter.To);
        return filter;
    }
}

/// <summary>Where a page of the audit list ended: the timeline order of its last statement.</summary>
public sealed record AuditCursor(DateTimeOffset SaidAt, DateTimeOffset RecordedAt, string StatementId);

/// <summary>The audit list: each statement as it was known at knownAt, in timeline order, from the revisions table.</summary>
public sealed class AuditReader(NpgsqlDataSource database)
{
    public async Task<IReadOnlyList<(StatementView View, AuditCursor Key)>> ListAsync(
        AuditFilter filter, AuditCursor? after, int limit, CancellationToken ct)
    {
        // Without an actor, each statement is listed once, through its first holder's row. What the revision said
        // comes from the statement's one row: the first revision is the original, every later one is kept there.
        await using var command = database.CreateCommand($"""
            select r.statement_id, r.revision, coalesce(later.statement, s.original, s.statement),
                coalesce(later.sources, jsonb_build_array(coalesce(s.original, s.statement)->'source')),
                r.retracted, r.first_recorded_at, s.recorded_by, r.said_at
            from {RevisionsTable.Name} r
            join {StatementsTable.Name} s on s.statement_id = r.statement_id
            left join lateral (
                select c->'statement' as statement, c->'sources' as sources
                from jsonb_array_elements(s.later_revisions) c where r.revision > 1 and (c->>'revision')::int = r.revision
            ) later on true
            where r.known_from <= $1 and (r.known_to is null or r.known_to > $1)
              and (($2::text is null and r.holder_index = 0) or r.actor = $2)
              and ($3::text is null or r.speaker_actor_id = $3)
              and ($4::text is null or r.topic = $4)
              and ($5::timestamptz is null or r.said_at >= $5)
              and ($6::timestamptz is null or r.said_at <= $6)
              and ($7::timestamptz is null or (r.said_at, r.first_recorded_at, r.statement_id) > ($7, $8, $9))
            order by r.said_at, r.first_recorded_at, r.statement_id
            limit $10
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = filter.KnownAt });
        AddNullable(command, filter.Actor, NpgsqlDbType.Text);
        AddNullable(command, filter.Speaker, NpgsqlDbType.Text);
        AddNullable(command, filter.Topic, NpgsqlDbType.Text);
        AddNullable(command, filter.From, NpgsqlDbType.TimestampTz);
        AddNullable(command, filter.To, NpgsqlDbType.TimestampTz);
        AddNullable(command, after?.SaidAt, NpgsqlDbType.TimestampTz);
        AddNullable(command, after?.RecordedAt, NpgsqlDbType.TimestampTz);
        AddNullable(command, after?.StatementId, NpgsqlDbType.Text);
        command.Parameters.Add(new NpgsqlParameter { Value = limit });

        var items = new List<(StatementView, AuditCursor)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var statementId = reader.GetString(0);
            var statement = JsonSerializer.Deserialize<Statement>(reader.GetString(2), PositionsJson.Options)!;
            var sources = JsonSerializer.Deserialize<Source[]>(reader.GetString(3), PositionsJson.Options)!;
            var recordedAt = reader.GetFieldValue<DateTimeOffset>(5);
            var view = StatementView.Of(statementId, statement, recordedAt, reader.GetString(6), reader.GetInt32(1),
                reader.GetBoolean(4), sources, revisions: null);
            items.Add((view, new AuditCursor(reader.GetFieldValue<DateTimeOffset>(7), recordedAt, statementId)));
        }
        return items;
    }

    /// <summary>Every statement the filter lists, page by page as they are read: what exports and folds stream.</summary>
    public async IAsyncEnumerable<StatementView> AllAsync(AuditFilter filter,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        const int pageSize = 1000;
        for (AuditCursor? after = null; ;)
        {
            var page = await ListAsync(filter, after, pageSize, ct);
            foreach (var (view, _) in page) yield return view;
            if (page.Count < pageSize) yield break;
            after = page[^1].Key;
        }
    }

    private static void AddNullable(NpgsqlCommand command, object? value, NpgsqlDbType type) =>
        command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value, NpgsqlDbType = type });
}
