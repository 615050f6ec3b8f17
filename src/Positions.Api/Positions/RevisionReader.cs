using Npgsql;
using Positions.Api.Shared;
using Positions.Api.Statements;

namespace Positions.Api.Positions;

/// <summary>A statement that counts at the asked (asOf, knownAt), with the actor and topic it belongs to.</summary>
public sealed record CountingStatement(string Actor, string Topic, TimelineEntry Entry);

/// <summary>
/// Queries the revisions table for what counts at a given valid time (asOf) and transaction time (knownAt):
/// the revision in force at knownAt, not retracted, said at or before asOf. One indexed query per read.
/// </summary>
public sealed class RevisionReader(NpgsqlDataSource database)
{
    /// <summary>Rows ordered by actor, topic, then timeline order; filter by actor, topic or both.</summary>
    public async Task<IReadOnlyList<CountingStatement>> CountingAsync(
        string? actor, string? topic, DateTimeOffset asOf, DateTimeOffset knownAt, CancellationToken ct)
    {
        await using var command = database.CreateCommand($"""
            select actor, topic, statement_id, stance, conditions, said_at, said_at_is_date, first_recorded_at
            from {RevisionsTable.Name}
            where known_from <= $1 and (known_to is null or known_to > $1) and not retracted and said_at <= $2
              and ($3::text is null or actor = $3) and ($4::text is null or topic = $4)
            order by actor, topic, said_at, first_recorded_at, statement_id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = knownAt });
        command.Parameters.Add(new NpgsqlParameter { Value = asOf });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)actor ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)topic ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });

        var rows = new List<CountingStatement>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            rows.Add(new CountingStatement(reader.GetString(0), reader.GetString(1), new TimelineEntry(
                reader.GetString(2),
                new DateOrInstant(reader.GetFieldValue<DateTimeOffset>(5), reader.GetBoolean(6)),
                KebabEnum<Stance>.TryParse(reader.GetString(3), out var stance) ? stance : throw new InvalidDataException("stance"),
                reader.GetFieldValue<string[]>(4),
                reader.GetFieldValue<DateTimeOffset>(7))));
        return rows;
    }
}
