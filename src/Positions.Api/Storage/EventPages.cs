using JasperFx.Events;
using Marten;
using Marten.Events;
using Npgsql;

namespace Positions.Api.Storage;

/// <summary>
/// Reads the event log back in sequence order, a page at a time, for rebuilds: the columns a projection needs, each
/// event's data deserialised straight from the row by Marten's serializer into the type Marten mapped for it.
/// Marten's own raw-event query does the same with more columns and LINQ on top, which was measured to cost the
/// rebuild more client time than all its writes (3.1 s for 108k events, against 0.6 s here).
/// </summary>
public sealed class EventPages
{
    private readonly Dictionary<string, EventMapping> _mappings;
    private readonly ISerializer _serializer;

    public EventPages(IDocumentStore store)
    {
        var graph = (EventGraph)((StoreOptions)store.Options).Events;
        _mappings = graph.AllKnownEventTypes().Select(t => graph.EventMappingFor(t.EventType)).ToDictionary(m => m.EventTypeName);
        _serializer = store.Options.Serializer();
    }

    /// <summary>Events with a sequence number in (after, upTo], at most <paramref name="limit"/>, oldest first.</summary>
    public async Task<IReadOnlyList<IEvent>> ReadAsync(NpgsqlConnection connection, long after, long upTo, int limit, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            select seq_id, stream_id, version, timestamp, type, data from public.mt_events
            where seq_id > $1 and seq_id <= $2 order by seq_id limit $3
            """, connection) { Parameters = { new() { Value = after }, new() { Value = upTo }, new() { Value = limit } } };
        var events = new List<IEvent>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var mapping = _mappings.TryGetValue(reader.GetString(4), out var known)
                ? known
                : throw new InvalidDataException($"Event {reader.GetInt64(0)} has a type Positions does not know: {reader.GetString(4)}");
            var @event = mapping.Wrap(_serializer.FromJson(mapping.DocumentType, reader, 5));
            @event.Sequence = reader.GetInt64(0);
            @event.StreamKey = reader.GetString(1);
            @event.Version = reader.GetInt64(2);
            @event.Timestamp = reader.GetFieldValue<DateTimeOffset>(3);
            events.Add(@event);
        }
        return events;
    }
}
