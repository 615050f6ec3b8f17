using System.Data;
using Npgsql;

namespace Positions.Api.Positions;

/// <summary>The entries of one timeline that decide its current position: <c>Name</c> is the topic of an actor's
/// timeline, or the actor of a topic's.</summary>
public sealed record TimelineTail(string Name, IReadOnlyList<TimelineEntry> Entries);

/// <summary>
/// Reads the end of many timelines at once: an actor's (one per topic) or a topic's (one per actor). The names come from
/// a skip scan of the (key, name, said_at) index, one probe per name; each timeline's last entries from a backward scan
/// of the same index; the timelines whose last entries do not decide (<see cref="Timeline.TailDecidesCurrent"/>) are
/// then read whole.
/// </summary>
internal sealed class TimelineTails
{
    /// <summary>Entries read first from the end of each timeline: enough for most timelines to show three runs.</summary>
    public const int Length = 16;

    public static readonly TimelineTails TopicsOfActor = new("actor", "topic");
    public static readonly TimelineTails ActorsOfTopic = new("topic", "actor");

    private readonly string _lastEntriesSql;
    private readonly string _wholeSql;

    private TimelineTails(string key, string name)
    {
        _lastEntriesSql = $"""
            with recursive names(name) as (
                (select {name} from {RevisionsTable.Name} where {key} = $1 order by {name} limit 1)
                union all
                select (select r.{name} from {RevisionsTable.Name} r where r.{key} = $1 and r.{name} > n.name order by r.{name} limit 1)
                from names n where n.name is not null
            )
            select n.name, tail.*
            from names n
            cross join lateral (
                select {RevisionReader.EntryColumns}
                from {RevisionsTable.Name}
                where {key} = $1 and {name} = n.name and {RevisionReader.Counting}
                order by said_at desc, first_recorded_at desc, statement_id desc
                limit {Length}
            ) tail
            where n.name is not null
            order by n.name, tail.said_at, tail.first_recorded_at, tail.statement_id
            """;
        _wholeSql = $"""
            select {name}, {RevisionReader.EntryColumns}
            from {RevisionsTable.Name}
            where {key} = $1 and {name} = any($4) and {RevisionReader.Counting}
            order by {name}, said_at, first_recorded_at, statement_id
            """;
    }

    /// <summary>
    /// Runs <paramref name="headSql"/> (whether the key exists, and what else the caller needs), then reads the last
    /// entries of every timeline of <paramref name="key"/> at (asOf, knownAt), then whole the timelines they do not
    /// decide: all in one snapshot, so that what is read again whole is what the tails came from, and an answer matches
    /// the head it is read with. Timelines come ordered by name.
    /// </summary>
    public async Task<(T? Head, IReadOnlyList<TimelineTail> Timelines)> ReadAsync<T>(NpgsqlConnection connection, string key,
        DateTimeOffset asOf, DateTimeOffset knownAt, string headSql, Func<NpgsqlDataReader, T> readHead, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(headSql) { Parameters = { new() { Value = key } } },
                new NpgsqlBatchCommand(_lastEntriesSql) { Parameters = { new() { Value = key }, new() { Value = knownAt }, new() { Value = asOf } } },
            },
        };
        await batch.PrepareAsync(ct);

        T? head = default;
        List<TimelineTail> timelines;
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            if (await reader.ReadAsync(ct)) head = readHead(reader);
            await reader.NextResultAsync(ct);
            timelines = await ReadTimelinesAsync(reader, ct);
        }

        var undecided = timelines
            .Where(t => !Timeline.TailDecidesCurrent(t.Entries, isWholeTimeline: t.Entries.Count < Length))
            .Select(t => t.Name)
            .ToArray();
        if (undecided.Length > 0)
        {
            await using var command = new NpgsqlCommand(_wholeSql, connection, transaction)
            {
                Parameters = { new() { Value = key }, new() { Value = knownAt }, new() { Value = asOf }, new() { Value = undecided } },
            };
            await command.PrepareAsync(ct);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var whole = (await ReadTimelinesAsync(reader, ct)).ToDictionary(t => t.Name);
            timelines = timelines.Select(t => whole.GetValueOrDefault(t.Name, t)).ToList();
        }
        await transaction.CommitAsync(ct);
        return (head, timelines);
    }

    private static async Task<List<TimelineTail>> ReadTimelinesAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var timelines = new List<TimelineTail>();
        var entries = new List<TimelineEntry>();
        while (await reader.ReadAsync(ct))
        {
            var name = reader.GetString(0);
            if (timelines.Count == 0 || timelines[^1].Name != name) timelines.Add(new TimelineTail(name, entries = []));
            entries.Add(RevisionReader.ReadEntry(reader, firstColumn: 1));
        }
        return timelines;
    }
}
