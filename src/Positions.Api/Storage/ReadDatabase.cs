using Npgsql;
using Positions.Api.Hosting;
using Positions.Api.Positions;
using Positions.Api.Shared;

namespace Positions.Api.Storage;

/// <summary>A connection for a read of positions, and the (asOf, knownAt) its answer is exact for.</summary>
public sealed record PositionsRead(NpgsqlConnection Connection, TimeQuery Time, bool FromStandby) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}

/// <summary>
/// Where reads of positions go. Without <c>Positions:ReadFromReplicas</c>, to the primary. With it, to a standby
/// when the standby can answer exactly, and to the primary otherwise; lag never changes an answer silently:
/// <list type="bullet">
/// <item>A read without knownAt ("as known now") that a standby serves is answered as known at the standby's
/// watermark W (<see cref="ReplicaWatermark"/>), and says so in its <c>knownAt</c>: exact for that instant.</item>
/// <item>A read with knownAt at or before W is served by the standby as asked; one after W (say, the
/// <c>recordedAt</c> of the client's own write: read-your-writes) goes to the primary.</item>
/// </list>
/// <item>What a standby finds no such thing for (an actor or topic registered after its watermark: registrations carry
/// no transaction time) is looked for again on the primary, so a lagging standby never answers 404 for what exists.</item>
/// </list>
/// The check is one round trip on the read's own connection, since each connection may reach another standby.
/// </summary>
public sealed class ReadDatabase(NpgsqlDataSource primary, NpgsqlDataSource? standbys, PositionsMetrics metrics, TimeProvider clock)
{
    public bool ReadsFromReplicas => standbys is not null;

    /// <summary>
    /// Runs <paramref name="read"/> where <see cref="OpenAsync"/> sends it, with the time it is exact for; when a
    /// standby's read finds nothing (null), once more on the primary, as asked.
    /// </summary>
    public async Task<T?> ReadAsync<T>(TimeQuery asked, HttpResponse response, Func<NpgsqlConnection, TimeQuery, Task<T?>> read,
        CancellationToken ct) where T : class
    {
        await using (var chosen = await OpenAsync(asked, response, ct))
        {
            var found = await read(chosen.Connection, chosen.Time);
            if (found is not null || !chosen.FromStandby) return found;
        }
        response.Headers[ServedByHeader] = "primary";
        await using var connection = await primary.OpenConnectionAsync(ct);
        return await read(connection, asked);
    }

    /// <summary>Says which server answered, primary or standby, when reads go to replicas (for operators and tests).</summary>
    public const string ServedByHeader = "Positions-Served-By";

    public async Task<PositionsRead> OpenAsync(TimeQuery time, HttpResponse response, CancellationToken ct)
    {
        var read = await OpenAsync(time, ct);
        if (ReadsFromReplicas) response.Headers[ServedByHeader] = read.FromStandby ? "standby" : "primary";
        return read;
    }

    private async Task<PositionsRead> OpenAsync(TimeQuery time, CancellationToken ct)
    {
        if (standbys is null) return new(await primary.OpenConnectionAsync(ct), time, FromStandby: false);

        // Npgsql's prefer-standby: a standby when one answers, else the primary.
        var connection = await standbys.OpenConnectionAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand(ReplicaWatermark.StandbyStateSql, connection);
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            var (isStandby, knownThrough) = (reader.GetBoolean(0), reader.IsDBNull(1) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(1));
            await reader.DisposeAsync();
            if (!isStandby) return new(connection, time, FromStandby: false);
            if (knownThrough is { } watermark)
            {
                metrics.ReplicaLag(clock.GetUtcNow() - watermark);
                if (time.KnownAtIsNow) return new(connection, time.KnownThrough(DateOrInstant.Truncate(watermark)), FromStandby: true);
                if (time.KnownAt <= watermark) return new(connection, time, FromStandby: true);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await connection.DisposeAsync();
        return new(await primary.OpenConnectionAsync(ct), time, FromStandby: false);
    }
}
