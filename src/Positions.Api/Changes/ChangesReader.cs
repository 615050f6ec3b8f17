using System.Text.Json;
using Npgsql;
using Positions.Api.Positions;
using Positions.Api.Shared;
using Positions.Api.Statements;

namespace Positions.Api.Changes;

/// <summary>One thing the record learned: a revision of a statement, as its first holder's row lists it.</summary>
public sealed record LearnedItem(RevisionKind Kind, string StatementId, string[] Actors, string Topic, string RecordedAt, string RecordedBy);

/// <summary>Where a page of learned items ended: the transaction time, statement and revision of its last item.</summary>
public sealed record LearnedCursor(DateTimeOffset RecordedAt, string StatementId, int Revision);

public sealed record ShiftChanges(IReadOnlyList<Shift> Appeared, IReadOnlyList<Shift> Vanished);

/// <summary>What the record learned in (since, until]: the revisions recorded then, and the shifts that came or went.</summary>
public sealed class ChangesReader(NpgsqlDataSource database)
{
    public async Task<IReadOnlyList<(LearnedItem Item, LearnedCursor Key)>> ItemsAsync(DateTimeOffset since, DateTimeOffset until,
        LearnedCursor? after, int limit, CancellationToken ct)
    {
        // The kind and author of a later revision are in the statement's list of revisions; the first is its recording.
        await using var command = database.CreateCommand($"""
            select r.statement_id, r.revision, r.known_from, r.topic, s.statement->'actors',
                coalesce(later.kind, 'recorded'), coalesce(later.recorded_by, s.recorded_by)
            from {RevisionsTable.Name} r
            join {StatementsTable.Name} s on s.statement_id = r.statement_id
            left join lateral (
                select e->>'kind' as kind, e->>'recordedBy' as recorded_by from jsonb_array_elements(s.revisions) e
                where r.revision > 1 and (e->>'revision')::int = r.revision
            ) later on true
            where r.holder_index = 0 and r.known_from > $1 and r.known_from <= $2
              and ($3::timestamptz is null or (r.known_from, r.statement_id, r.revision) > ($3, $4, $5))
            order by r.known_from, r.statement_id, r.revision
            limit $6
            """);
        command.Parameters.Add(new() { Value = since });
        command.Parameters.Add(new() { Value = until });
        command.Parameters.Add(new() { Value = (object?)after?.RecordedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = (object?)after?.StatementId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)after?.Revision ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        command.Parameters.Add(new() { Value = limit });

        var items = new List<(LearnedItem, LearnedCursor)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var (id, revision, recordedAt) = (reader.GetString(0), reader.GetInt32(1), reader.GetFieldValue<DateTimeOffset>(2));
            var kind = KebabEnum<RevisionKind>.TryParse(reader.GetString(5), out var k) ? k : throw new InvalidDataException("kind");
            items.Add((new LearnedItem(kind, id, JsonSerializer.Deserialize<string[]>(reader.GetString(4))!, reader.GetString(3),
                DateOrInstant.FormatInstant(recordedAt), reader.GetString(6)), new LearnedCursor(recordedAt, id, revision)));
        }
        return items;
    }

    /// <summary>
    /// Shifts known at until and not at since (appeared), and the reverse (vanished), compared by who, what, kind and
    /// the two statements: only the timelines that a revision in the interval touched (its holders, on every topic any
    /// revision of its statement named) can differ, and their shifts at both instants are computed set-based.
    /// </summary>
    public async Task<ShiftChanges> ShiftsAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken ct)
    {
        var (before, after) = await ShiftsAtBothAsync(since, until, ct);
        var (was, now) = (before.Select(Identity).ToHashSet(), after.Select(Identity).ToHashSet());
        return new ShiftChanges(Newest(after.Where(s => !was.Contains(Identity(s)))), Newest(before.Where(s => !now.Contains(Identity(s)))));
    }

    private async Task<(List<Shift> Before, List<Shift> After)> ShiftsAtBothAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken ct)
    {
        const string touched = $"""
            (select distinct t.actor, t.topic from {RevisionsTable.Name} w join {RevisionsTable.Name} t on t.statement_id = w.statement_id
             where w.holder_index = 0 and w.known_from > $1 and w.known_from <= $2)
            """;
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(ShiftsTable.KnownAtSql(touched, "$1")) { Parameters = { new() { Value = since }, new() { Value = until } } },
                new NpgsqlBatchCommand(ShiftsTable.KnownAtSql(touched, "$2")) { Parameters = { new() { Value = since }, new() { Value = until } } },
            },
        };
        var (before, after) = (new List<Shift>(), new List<Shift>());
        await using var reader = await batch.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) before.Add(ShiftsTable.Read(reader));
        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct)) after.Add(ShiftsTable.Read(reader));
        return (before, after);
    }

    private static (string, string, ShiftKind, string, string) Identity(Shift s) => (s.Actor, s.Topic, s.Kind, s.From.StatementId, s.To.StatementId);

    private static List<Shift> Newest(IEnumerable<Shift> shifts) => shifts
        .OrderByDescending(s => s.At.Start).ThenBy(s => s.Actor, StringComparer.Ordinal).ThenBy(s => s.Topic, StringComparer.Ordinal)
        .ThenBy(s => s.To.StatementId, StringComparer.Ordinal).ToList();
}
