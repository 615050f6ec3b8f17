using JasperFx.Events;
using Positions.Api.Statements;

namespace Positions.Api.Storage;

/// <summary>
/// Which <see cref="StatementRecorded"/> events a read model's set-based insert reads back from <c>mt_events</c>
/// (alias <c>e</c>). The events are already there as jsonb, written earlier in the same transaction: taking the
/// statement from them, rather than sending it again as a parameter, spares serialising and parsing it twice more.
/// </summary>
public sealed record RecordedEvents(string Where, object[] Arguments)
{
    /// <summary>Marten's name for <see cref="StatementRecorded"/> in <c>mt_events.type</c>.</summary>
    public const string TypeName = "statement_recorded";

    /// <summary>The given events, by stream and version (unique in <c>mt_events</c>, and known before commit).</summary>
    public static RecordedEvents Of(IReadOnlyList<IEvent<StatementRecorded>> events) => new(
        "(e.stream_id, e.version) in (select * from unnest(?::varchar[], ?::bigint[]))",
        [events.Select(e => e.StreamKey!).ToArray(), events.Select(e => e.Version).ToArray()]);

    /// <summary>Every recording in a range of the global sequence (rebuilds).</summary>
    public static RecordedEvents InSequence(long after, long upTo) => new(
        $"e.seq_id > ? and e.seq_id <= ? and e.type = '{TypeName}'", [after, upTo]);
}
