using Marten;
using Positions.Api.Actors;
using Positions.Api.Shared;
using Positions.Api.Storage;
using Positions.Api.Topics;

namespace Positions.Api.Statements;

public sealed record StreamVersion(string Actor, long Version);

/// <summary>The answer to a correction, retraction or new source: the statement's revision now.</summary>
public sealed record RevisionAccepted(string StatementId, int Revision);

/// <summary>Appends one statement event to the stream of every holder, under their write locks.</summary>
public static class StatementStreams
{
    /// <summary>
    /// Locks the statement and its holders' streams for the rest of the session's transaction; returns the
    /// transaction time (<see cref="WriteLocks.AcquireAsync"/>).
    /// </summary>
    public static Task<DateTimeOffset> LockAsync(IDocumentSession session, string statementId, IEnumerable<string> actors, CancellationToken ct) =>
        WriteLocks.AcquireAsync(session, [WriteLocks.Statement(statementId), .. actors.Select(WriteLocks.Actor)], ct);

    /// <summary>
    /// The same event on each holder's stream, all stamped with the transaction time the locks gave, through the one
    /// append path (<see cref="EventAppend"/>), with the read models in the same transaction. Returns each stream's
    /// new version.
    /// </summary>
    public static async Task<IReadOnlyList<StreamVersion>> AppendAsync(
        IDocumentSession session, IEnumerable<string> actors, object @event, DateTimeOffset recordedAt, CancellationToken ct)
    {
        var holders = actors.ToArray();
        var current = await VersionsAsync(session, holders, ct);
        // Under the locks the versions are certain.
        var pending = holders.Select(actor => new PendingEvent(actor, current.GetValueOrDefault(actor) + 1, @event)).ToList();
        await ReadModelsProjection.Live.ApplyAsync(session, EventAppend.Queue(session, pending, recordedAt), ct);
        return pending.Select(p => new StreamVersion(p.Stream, p.Version)).ToList();
    }

    /// <summary>Current versions of the given streams, in one query (streams not yet started are absent).</summary>
    public static async Task<Dictionary<string, long>> VersionsAsync(IDocumentSession session, string[] actors, CancellationToken ct)
    {
        await using var batch = new Npgsql.NpgsqlBatch(session.Connection!) { BatchCommands = { VersionsCommand(actors) } };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        return await ReadVersionsAsync(reader, ct);
    }

    /// <summary>The versions query as a command of a larger batch; <see cref="ReadVersionsAsync"/> reads its rows.</summary>
    public static Npgsql.NpgsqlBatchCommand VersionsCommand(string[] actors) =>
        new("select id, version from public.mt_streams where id = any($1)") { Parameters = { new() { Value = actors } } };

    public static async Task<Dictionary<string, long>> ReadVersionsAsync(Npgsql.NpgsqlDataReader reader, CancellationToken ct)
    {
        var versions = new Dictionary<string, long>();
        while (await reader.ReadAsync(ct)) versions[reader.GetString(0)] = reader.GetInt64(1);
        return versions;
    }

    /// <summary>
    /// A correction, retraction or new source: the next revision of a statement loaded under its locks
    /// (<see cref="StatementLookup.LockAndLoadAsync"/>), on every holder's stream, at the locks' transaction time.
    /// </summary>
    public static async Task<RevisionAccepted> AppendFollowUpAsync(IDocumentSession session, LockedStatement locked,
        Func<int, IStatementEvent> eventFor, CancellationToken ct)
    {
        var revision = locked.Current.Revision + 1;
        await AppendAsync(session, locked.Current.Statement.Actors, eventFor(revision), locked.TransactionTime, ct);
        return new RevisionAccepted(locked.Current.Id, revision);
    }

    /// <summary>Ids among the statement's actors and topic that nobody registered (countries always exist).</summary>
    public static async Task<ValidationErrors> UnknownIdsAsync(IQuerySession session, Statement statement, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var known = await session.LoadManyAsync<Actor>(ct, statement.Actors);
        var unknownActors = statement.Actors.Except(known.Select(a => a.Id)).ToList();
        if (unknownActors.Count > 0) errors.Add("actors", "unknown actors: " + string.Join(", ", unknownActors));
        if (await session.LoadAsync<Topic>(statement.Topic, ct) is null)
            errors.Add("topic", $"unknown topic: {statement.Topic}");
        return errors;
    }
}
