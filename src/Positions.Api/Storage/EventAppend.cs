using JasperFx.Events;
using Marten;

namespace Positions.Api.Storage;

/// <summary>An event to append at a version its caller made certain (under the stream's write lock).</summary>
public sealed record PendingEvent(string Stream, long Version, object Data);

/// <summary>
/// The one append path: every event (recordings, corrections, retractions, sources; single writes, imports and seeds)
/// reaches Marten's own tables (<c>mt_streams</c>, <c>mt_events</c>) here, as two set-based inserts of typed arrays
/// queued on the session, so they travel with the read models' statements and the commit in Marten's one batch:
/// no round trip of their own, whatever the batch's size. Marten appends event by event (a function call per stream,
/// ~5k events/s here), and its bulk insert takes new streams only. The rows are exactly Marten's: its sequence, type
/// names, serializer and stream versions, so Marten reads, fetches and rebuilds them like any other event
/// (EventAppendTests holds it to that). Marten does not see these appends, so its inline projections do not run for
/// them: the caller applies its read models to the returned events in the same session.
/// </summary>
public static class EventAppend
{
    /// <summary>Marten's tenant id when there is no multi-tenancy (the column's default).</summary>
    private const string DefaultTenant = "*DEFAULT*";

    public static IReadOnlyList<IEvent> Queue(IDocumentSession session, IReadOnlyList<PendingEvent> pending, DateTimeOffset timestamp)
    {
        if (pending.Count == 0) return [];
        var graph = (Marten.Events.EventGraph)((StoreOptions)session.DocumentStore.Options).Events;
        var serializer = session.DocumentStore.Options.Serializer();
        var events = new List<IEvent>(pending.Count);
        var dotNetTypes = new List<string>(pending.Count);
        foreach (var (stream, version, data) in pending)
        {
            var mapping = graph.EventMappingFor(data.GetType());
            var @event = mapping.Wrap(data);
            dotNetTypes.Add(mapping.DotNetTypeName);
            @event.Id = Guid.CreateVersion7();
            @event.StreamKey = stream;
            @event.Version = version;
            @event.Timestamp = timestamp;
            @event.TenantId = DefaultTenant;
            events.Add(@event);
        }

        // New streams start, existing ones move to their last appended version (the events reference them).
        var streams = pending.GroupBy(e => e.Stream).Select(g => (Stream: g.Key, Version: g.Max(e => e.Version))).ToList();
        session.QueueSqlCommand("""
            insert into public.mt_streams (id, version, timestamp, created)
            select id, version, ?, ? from unnest(?::varchar[], ?::bigint[]) as stream(id, version)
            on conflict (id) do update set version = excluded.version, timestamp = excluded.timestamp
            """, timestamp, timestamp, streams.Select(s => s.Stream).ToArray(), streams.Select(s => s.Version).ToArray());
        // Sequence numbers from Marten's sequence, drawn in the events' order. Other transactions draw theirs between
        // ours: the append gate (WriteLocks) is what lets a rebuild know when every number below a mark is committed.
        session.QueueSqlCommand($"""
            insert into public.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, is_archived)
            select nextval('public.mt_events_sequence'), e.id, e.stream_id, e.version, e.data, e.type, ?, '{DefaultTenant}', e.dotnet_type, false
            from unnest(?::uuid[], ?::varchar[], ?::bigint[], ?::jsonb[], ?::varchar[], ?::varchar[])
                with ordinality as e(id, stream_id, version, data, type, dotnet_type, n)
            order by e.n
            """,
            timestamp,
            events.Select(e => e.Id).ToArray(),
            events.Select(e => e.StreamKey!).ToArray(),
            events.Select(e => e.Version).ToArray(),
            events.Select(e => serializer.ToJson(e.Data)).ToArray(),
            events.Select(e => e.EventTypeName).ToArray(),
            dotNetTypes.ToArray());
        return events;
    }
}
