using System.Data;
using Npgsql;
using Positions.Api.Shared;
using Positions.Api.Statements;

namespace Positions.Api.Positions;

/// <summary>A statement that counts at the asked (asOf, knownAt), with the actor and topic it belongs to.</summary>
public sealed record CountingStatement(string Actor, string Topic, TimelineEntry Entry);

/// <summary>The entries of one timeline that decide its current position: <c>Name</c> is the topic of an actor's
/// timeline, or the actor of a topic's.</summary>
public sealed record TimelineTail(string Name, IReadOnlyList<TimelineEntry> Entries);

/// <summary>An actor that exists: the version of its stream (0 before its first event) and its latest event's time.</summary>
public sealed record ActorHead(long Version, DateTimeOffset? LatestRecordedAt);

/// <summary>
/// An actor's timelines at some (asOf, knownAt), with its head read in the same snapshot; <c>HoldsEveryEvent</c> is
/// whether the revisions table held a row for every event of the stream then (false while a rebuild is under way).
/// </summary>
public sealed record ActorTimelines(ActorHead Head, bool HoldsEveryEvent, IReadOnlyList<TimelineTail> Timelines);

/// <summary>
/// Queries the revisions table for what counts at a given valid time (asOf) and transaction time (knownAt):
/// the revision in force at knownAt, not retracted, said at or before asOf. Whole timelines for histories and shifts;
/// for current positions only the last entries of each timeline, which is all <see cref="Timeline.Current"/> reads.
/// </summary>
public sealed class RevisionReader(NpgsqlDataSource database, IConfiguration configuration) : IDisposable
{
    /// <summary>Entries read first from the end of each timeline: enough for most timelines to show three runs.</summary>
    internal const int TailLength = 16;

    private const string Counting = "known_from <= $2 and (known_to is null or known_to > $2) and not retracted and said_at <= $3";
    private const string EntryColumns = "statement_id, stance, conditions, said_at, said_at_is_date, first_recorded_at";

    private const string ActorHeadFrom = """
        from mt_doc_actor a
        left join mt_streams s on s.id = a.id
        left join mt_events e on e.stream_id = s.id and e.version = s.version
        where a.id = $1
        """;
    private const string ActorHeadSql = $"select s.version, e.timestamp {ActorHeadFrom}";
    // Every event on an actor's stream adds exactly one row for the actor to the revisions table.
    private const string ActorHeadAndRowsSql =
        $"select s.version, e.timestamp, (select count(*) from {RevisionsTable.Name} where actor = $1) {ActorHeadFrom}";
    private const string TopicExistsSql = "select 1 from mt_doc_topic where id = $1";

    /// <summary>
    /// Answers of <c>GET /actors/{id}/positions</c>, valid while the actor's stream keeps the version they were read at.
    /// Held here, by the read side's one registered service, so that they live as long as the host.
    /// </summary>
    public ActorPositionsCache Answers { get; } =
        new(configuration.GetValue("Positions:PositionsCache:MaxAnswers", ActorPositionsCache.DefaultMaxAnswers));

    public void Dispose() => Answers.Dispose();

    /// <summary>Rows ordered by actor, topic, then timeline order; filter by actor, topic or both.</summary>
    public async Task<IReadOnlyList<CountingStatement>> CountingAsync(
        string? actor, string? topic, DateTimeOffset asOf, DateTimeOffset knownAt, CancellationToken ct)
    {
        await using var command = database.CreateCommand($"""
            select actor, topic, {EntryColumns}
            from {RevisionsTable.Name}
            where {Counting} and ($1::text is null or actor = $1) and ($4::text is null or topic = $4)
            order by actor, topic, said_at, first_recorded_at, statement_id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)actor ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = knownAt });
        command.Parameters.Add(new NpgsqlParameter { Value = asOf });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)topic ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });

        var rows = new List<CountingStatement>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            rows.Add(new CountingStatement(reader.GetString(0), reader.GetString(1), ReadEntry(reader, firstColumn: 2)));
        return rows;
    }

    /// <summary>The actor's head, or null when no such actor exists: one indexed query.</summary>
    public async Task<ActorHead?> ActorHeadAsync(string actor, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(ActorHeadSql, connection) { Parameters = { new() { Value = actor } } };
        await command.PrepareAsync(ct);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadHead(reader) : null;
    }

    /// <summary>
    /// The tail of each of the actor's timelines at (asOf, knownAt), ordered by topic, or null when no such actor
    /// exists. <paramref name="countRows"/> also checks that the revisions table holds every event of the stream.
    /// </summary>
    public async Task<ActorTimelines?> ActorTimelinesAsync(
        string actor, DateTimeOffset asOf, DateTimeOffset knownAt, bool countRows, CancellationToken ct)
    {
        var (read, timelines) = await TailsAsync(TimelineTails.TopicsOfActor, actor, asOf, knownAt,
            countRows ? ActorHeadAndRowsSql : ActorHeadSql, reader =>
            {
                var head = ReadHead(reader);
                return new ActorTimelines(head, countRows && reader.GetInt64(2) == head.Version, []);
            }, ct);
        return read is null ? null : read with { Timelines = timelines };
    }

    /// <summary>The tail of each actor's timeline on the topic at (asOf, knownAt), ordered by actor, or null when no such topic exists.</summary>
    public async Task<IReadOnlyList<TimelineTail>?> TopicTimelinesAsync(
        string topic, DateTimeOffset asOf, DateTimeOffset knownAt, CancellationToken ct)
    {
        var (exists, timelines) = await TailsAsync(TimelineTails.ActorsOfTopic, topic, asOf, knownAt, TopicExistsSql, _ => true, ct);
        return exists ? timelines : null;
    }

    /// <summary>
    /// Reads the head, then the last entries of every timeline, then whole the timelines whose tail does not decide
    /// (<see cref="Timeline.TailDecidesCurrent"/>): all in one snapshot, so that what is read again whole is what the
    /// tails came from, and an answer matches the head (the version) it is read with.
    /// </summary>
    private async Task<(T? Head, IReadOnlyList<TimelineTail> Timelines)> TailsAsync<T>(TimelineTails tails, string key,
        DateTimeOffset asOf, DateTimeOffset knownAt, string headSql, Func<NpgsqlDataReader, T> readHead, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(headSql) { Parameters = { new() { Value = key } } },
                new NpgsqlBatchCommand(tails.LastEntriesSql) { Parameters = { new() { Value = key }, new() { Value = knownAt }, new() { Value = asOf } } },
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
            .Where(t => !Timeline.TailDecidesCurrent(t.Entries, isWholeTimeline: t.Entries.Count < TailLength))
            .Select(t => t.Name)
            .ToArray();
        if (undecided.Length > 0)
        {
            await using var command = new NpgsqlCommand(tails.WholeSql, connection, transaction)
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
            entries.Add(ReadEntry(reader, firstColumn: 1));
        }
        return timelines;
    }

    private static ActorHead ReadHead(NpgsqlDataReader reader) => new(
        reader.IsDBNull(0) ? 0 : reader.GetInt64(0),
        reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1));

    /// <summary>Reads the <see cref="EntryColumns"/>, starting at <paramref name="firstColumn"/>.</summary>
    private static TimelineEntry ReadEntry(NpgsqlDataReader reader, int firstColumn) => new(
        reader.GetString(firstColumn),
        new DateOrInstant(reader.GetFieldValue<DateTimeOffset>(firstColumn + 3), reader.GetBoolean(firstColumn + 4)),
        KebabEnum<Stance>.TryParse(reader.GetString(firstColumn + 1), out var stance) ? stance : throw new InvalidDataException("stance"),
        reader.GetFieldValue<string[]>(firstColumn + 2),
        reader.GetFieldValue<DateTimeOffset>(firstColumn + 5));

    /// <summary>
    /// The timelines of one actor (one per topic) or of one topic (one per actor). The names come from a skip scan of the
    /// (key, name, said_at) index, one probe per name; each timeline's tail from a backward scan of the same index.
    /// </summary>
    private sealed class TimelineTails
    {
        public static readonly TimelineTails TopicsOfActor = new("actor", "topic");
        public static readonly TimelineTails ActorsOfTopic = new("topic", "actor");

        private TimelineTails(string key, string name)
        {
            LastEntriesSql = $"""
                with recursive names(name) as (
                    (select {name} from {RevisionsTable.Name} where {key} = $1 order by {name} limit 1)
                    union all
                    select (select r.{name} from {RevisionsTable.Name} r where r.{key} = $1 and r.{name} > n.name order by r.{name} limit 1)
                    from names n where n.name is not null
                )
                select n.name, tail.*
                from names n
                cross join lateral (
                    select {EntryColumns}
                    from {RevisionsTable.Name}
                    where {key} = $1 and {name} = n.name and {Counting}
                    order by said_at desc, first_recorded_at desc, statement_id desc
                    limit {TailLength}
                ) tail
                where n.name is not null
                order by n.name, tail.said_at, tail.first_recorded_at, tail.statement_id
                """;
            WholeSql = $"""
                select {name}, {EntryColumns}
                from {RevisionsTable.Name}
                where {key} = $1 and {name} = any($4) and {Counting}
                order by {name}, said_at, first_recorded_at, statement_id
                """;
        }

        public string LastEntriesSql { get; }
        public string WholeSql { get; }
    }
}
