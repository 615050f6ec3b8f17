using JasperFx.Events;
using Marten;
using Npgsql;
using NpgsqlTypes;

namespace Positions.Api.Storage;

/// <summary>An event to append at a version its caller made certain (under the stream's write lock).</summary>
public sealed record PendingEvent(string Stream, long Version, object Data);

/// <summary>
/// The one append path: every event (recordings, corrections, retractions, sources; single writes, imports and seeds)
/// reaches Marten's own tables (<c>mt_streams</c>, <c>mt_events</c>) here, with one binary COPY per batch, in the
/// session's open transaction. Marten appends event by event (a function call per stream, ~5k events/s here), and
/// its bulk insert takes new streams only. The rows are exactly Marten's: the same sequence, type names, serializer
/// and stream versions, so Marten reads, fetches and rebuilds them like any other event (EventAppendTests holds it
/// to that). Marten does not see these appends, so its inline projections do not run for them: the caller applies
/// its read models to the returned events in the same transaction.
/// </summary>
public static class EventCopy
{
    /// <summary>Marten's tenant id when there is no multi-tenancy (the column's default).</summary>
    private const string DefaultTenant = "*DEFAULT*";

    public static async Task<IReadOnlyList<IEvent>> AppendAsync(IDocumentSession session, IReadOnlyList<PendingEvent> pending,
        DateTimeOffset timestamp, CancellationToken ct)
    {
        if (pending.Count == 0) return [];
        var connection = session.Connection!;
        var sequence = await NextSequenceAsync(connection, pending.Count, ct);
        await AdvanceStreamsAsync(connection, pending, timestamp, ct);

        var events = new List<IEvent>(pending.Count);
        var graph = (Marten.Events.EventGraph)((StoreOptions)session.DocumentStore.Options).Events;
        var serializer = session.DocumentStore.Options.Serializer();
        await using (var copy = await connection.BeginBinaryImportAsync("""
            copy public.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, is_archived)
            from stdin (format binary)
            """, ct))
        {
            for (var i = 0; i < pending.Count; i++)
            {
                var (stream, version, data) = pending[i];
                var mapping = graph.EventMappingFor(data.GetType());
                var @event = mapping.Wrap(data);
                @event.Id = Guid.CreateVersion7();
                @event.Sequence = sequence[i];
                @event.StreamKey = stream;
                @event.Version = version;
                @event.Timestamp = timestamp;
                @event.TenantId = DefaultTenant;
                events.Add(@event);

                await copy.StartRowAsync(ct);
                await copy.WriteAsync(@event.Sequence, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(@event.Id, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(stream, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(version, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(serializer.ToJson(data), NpgsqlDbType.Jsonb, ct);
                await copy.WriteAsync(mapping.EventTypeName, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(timestamp, NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(@event.TenantId, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(mapping.DotNetTypeName, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(false, NpgsqlDbType.Boolean, ct);
            }
            await copy.CompleteAsync(ct);
        }
        return events;
    }

    /// <summary>Numbers from Marten's event sequence, so the global order is the one Marten itself would give.</summary>
    private static async Task<long[]> NextSequenceAsync(NpgsqlConnection connection, int count, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("select nextval('public.mt_events_sequence') from generate_series(1, $1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = count });
        var numbers = new long[count];
        await using var reader = await command.ExecuteReaderAsync(ct);
        for (var i = 0; await reader.ReadAsync(ct); i++) numbers[i] = reader.GetInt64(0);
        return numbers;
    }

    /// <summary>Starts new streams and moves existing ones to their last appended version (the events reference them).</summary>
    private static async Task AdvanceStreamsAsync(NpgsqlConnection connection, IReadOnlyList<PendingEvent> pending,
        DateTimeOffset timestamp, CancellationToken ct)
    {
        var streams = pending.GroupBy(e => e.Stream).Select(g => (Stream: g.Key, Version: g.Max(e => e.Version))).ToList();
        await using var command = new NpgsqlCommand("""
            insert into public.mt_streams (id, version, timestamp, created)
            select id, version, $3, $3 from unnest($1::varchar[], $2::bigint[]) as stream(id, version)
            on conflict (id) do update set version = excluded.version, timestamp = excluded.timestamp
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = streams.Select(s => s.Stream).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = streams.Select(s => s.Version).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = timestamp });
        await command.ExecuteNonQueryAsync(ct);
    }
}
