using Marten;
using Positions.Api.Actors;
using Positions.Api.Shared;
using Positions.Api.Storage;
using Positions.Api.Topics;

namespace Positions.Api.Statements;

public sealed record StreamVersion(string Actor, long Version);

/// <summary>The answer to a correction, retraction or new source: the statement's revision now.</summary>
public sealed record RevisionAccepted(string StatementId, int Revision);

/// <summary>The streams' current versions, as a command of the batch that locks them.</summary>
public static class StatementStreams
{
    /// <summary>The versions query as a command of a larger batch; <see cref="ReadVersionsAsync"/> reads its rows.</summary>
    public static Npgsql.NpgsqlBatchCommand VersionsCommand(string[] actors) =>
        new("select id, version from public.mt_streams where id = any($1)") { Parameters = { new() { Value = actors } } };

    public static async Task<Dictionary<string, long>> ReadVersionsAsync(Npgsql.NpgsqlDataReader reader, CancellationToken ct)
    {
        var versions = new Dictionary<string, long>();
        while (await reader.ReadAsync(ct)) versions[reader.GetString(0)] = reader.GetInt64(1);
        return versions;
    }
}
