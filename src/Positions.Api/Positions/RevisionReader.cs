using Npgsql;
using Positions.Api.Shared;
using Positions.Api.Statements;

namespace Positions.Api.Positions;

/// <summary>One actor's timeline on one topic: the statements that count at the asked (asOf, knownAt), in timeline order.</summary>
public sealed record CountingTimeline(string Actor, string Topic, IReadOnlyList<TimelineEntry> Entries);

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
public sealed class RevisionReader(IConfiguration configuration) : IDisposable
{
    internal const string Counting = "known_from <= $2 and (known_to is null or known_to > $2) and not retracted and said_at <= $3";
    internal const string EntryColumns = "statement_id, stance, conditions, said_at, said_at_is_date, first_recorded_at, attribution";

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
        new(configuration.GetValue("Positions:PositionsCache:MaxActors", ActorPositionsCache.DefaultMaxActors));

    public void Dispose() => Answers.Dispose();

    /// <summary>
    /// Every timeline, whole, ordered by actor then topic; filter by actor, topic or both. Streamed one timeline at a
    /// time as the rows are read, so that an export or a series of every timeline holds one at a time.
    /// </summary>
    public async IAsyncEnumerable<CountingTimeline> TimelinesAsync(NpgsqlConnection connection,
        string? actor, string? topic, DateTimeOffset asOf, DateTimeOffset knownAt,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            select actor, topic, {EntryColumns}
            from {RevisionsTable.Name}
            where {Counting} and ($1::text is null or actor = $1) and ($4::text is null or topic = $4)
            order by actor, topic, said_at, first_recorded_at, statement_id
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)actor ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = knownAt });
        command.Parameters.Add(new NpgsqlParameter { Value = asOf });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)topic ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });

        await using var reader = await command.ExecuteReaderAsync(ct);
        (string Actor, string Topic)? current = null;
        var entries = new List<TimelineEntry>();
        while (await reader.ReadAsync(ct))
        {
            var key = (reader.GetString(0), reader.GetString(1));
            if (current is { } done && done != key)
            {
                yield return new CountingTimeline(done.Actor, done.Topic, entries);
                entries = [];
            }
            current = key;
            entries.Add(ReadEntry(reader, firstColumn: 2));
        }
        if (current is { } last) yield return new CountingTimeline(last.Actor, last.Topic, entries);
    }

    /// <summary>The actor's head, or null when no such actor exists: one indexed query.</summary>
    public async Task<ActorHead?> ActorHeadAsync(NpgsqlConnection connection, string actor, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(ActorHeadSql, connection) { Parameters = { new() { Value = actor } } };
        await command.PrepareAsync(ct);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadHead(reader) : null;
    }

    /// <summary>
    /// The tail of each of the actor's timelines at (asOf, knownAt), ordered by topic, or null when no such actor
    /// exists. <paramref name="countRows"/> also checks that the revisions table holds every event of the stream.
    /// </summary>
    public async Task<ActorTimelines?> ActorTimelinesAsync(NpgsqlConnection connection,
        string actor, DateTimeOffset asOf, DateTimeOffset knownAt, bool countRows, CancellationToken ct)
    {
        var (read, timelines) = await TimelineTails.TopicsOfActor.ReadAsync(connection, actor, asOf, knownAt,
            countRows ? ActorHeadAndRowsSql : ActorHeadSql, reader =>
            {
                var head = ReadHead(reader);
                return new ActorTimelines(head, countRows && reader.GetInt64(2) == head.Version, []);
            }, ct);
        return read is null ? null : read with { Timelines = timelines };
    }

    /// <summary>The tail of each actor's timeline on the topic at (asOf, knownAt), ordered by actor, or null when no such topic exists.</summary>
    public async Task<IReadOnlyList<TimelineTail>?> TopicTimelinesAsync(NpgsqlConnection connection,
        string topic, DateTimeOffset asOf, DateTimeOffset knownAt, CancellationToken ct)
    {
        var (exists, timelines) = await TimelineTails.ActorsOfTopic.ReadAsync(connection, topic, asOf, knownAt, TopicExistsSql, _ => true, ct);
        return exists ? timelines : null;
    }

    private static ActorHead ReadHead(NpgsqlDataReader reader) => new(
        reader.IsDBNull(0) ? 0 : reader.GetInt64(0),
        reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1));

    /// <summary>Reads the <see cref="EntryColumns"/>, starting at <paramref name="firstColumn"/>.</summary>
    internal static TimelineEntry ReadEntry(NpgsqlDataReader reader, int firstColumn) => new(
        reader.GetString(firstColumn),
        new DateOrInstant(reader.GetFieldValue<DateTimeOffset>(firstColumn + 3), reader.GetBoolean(firstColumn + 4)),
        KebabEnum<Stance>.TryParse(reader.GetString(firstColumn + 1), out var stance) ? stance : throw new InvalidDataException("stance"),
        reader.GetFieldValue<string[]>(firstColumn + 2),
        reader.GetFieldValue<DateTimeOffset>(firstColumn + 5),
        (Attribution)reader.GetInt16(firstColumn + 6));
}
