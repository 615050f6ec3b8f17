using Npgsql;
using Positions.Api.Storage;

namespace Positions.Api.Statements.Writing;

/// <summary>
/// What a batch of writes must know before it decides each command: the transaction time, the statements already
/// recorded under the batch's ids, which of its actors and topics exist, and its streams' versions. Read in one round
/// trip, right after the locks it takes in the same batch, so nothing read can change before the batch commits. The
/// locks: every statement id, and every stream the batch may append to (a follow-up's, its statement's holders).
/// </summary>
public sealed record BatchFacts(
    DateTimeOffset RecordedAt,
    Dictionary<string, StatementRecord> Existing,
    HashSet<string> KnownActors,
    HashSet<string> KnownTopics,
    Dictionary<string, long> Versions,
    HashSet<string> LockedStreams)
{
    public static async Task<BatchFacts> LockAndReadAsync(NpgsqlConnection connection, IReadOnlyList<WriteCommand> commands,
        IReadOnlyDictionary<string, string[]> followUpHolders, CancellationToken ct)
    {
        var lines = commands.OfType<PendingLine>().ToList();
        var ids = commands.Select(c => c.StatementId).Distinct().ToArray();
        var actors = lines.SelectMany(l => l.Statement.Actors).Concat(followUpHolders.Values.SelectMany(h => h)).Distinct().ToArray();
        var topics = lines.Select(l => l.Statement.Topic).Concat(commands.OfType<FollowUp>().SelectMany(f => f.TopicsNamed)).Distinct().ToArray();

        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands = { WriteLocks.Command([.. ids.Select(WriteLocks.Statement), .. actors.Select(WriteLocks.Actor)]) },
        };
        batch.BatchCommands.Add(StatementsTable.LoadManyCommand(ids));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("select id from public.mt_doc_actor where id = any($1)") { Parameters = { new() { Value = actors } } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("select id from public.mt_doc_topic where id = any($1)") { Parameters = { new() { Value = topics } } });
        batch.BatchCommands.Add(StatementStreams.VersionsCommand(actors));

        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var recordedAt = new DateTimeOffset(reader.GetFieldValue<DateTime>(0));
        await reader.NextResultAsync(ct);
        var existing = await StatementsTable.ReadManyAsync(reader, ct);
        await reader.NextResultAsync(ct);
        var knownActors = await ReadIdsAsync(reader, ct);
        await reader.NextResultAsync(ct);
        var knownTopics = await ReadIdsAsync(reader, ct);
        await reader.NextResultAsync(ct);
        var versions = await StatementStreams.ReadVersionsAsync(reader, ct);
        return new BatchFacts(recordedAt, existing, knownActors, knownTopics, versions, [.. actors]);
    }

    private static async Task<HashSet<string>> ReadIdsAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetString(0));
        return ids;
    }
}
