using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Caching.Memory;

namespace Positions.Api.Positions;

/// <summary>
/// The "now" answer of <c>GET /actors/{id}/positions</c> (no asOf, no knownAt) per actor, as JSON, with the version of
/// the actor's stream it was read at. Why serving it is safe:
/// <list type="bullet">
/// <item>What was known at a past instant never changes; what is known now changes only by new events, and every
/// change to what counts for an actor is an event on the actor's own stream (corrections and retractions of a joint
/// statement are appended to every holder's stream). So the present answer changes only with that version.</item>
/// <item>Every read asks the database for the version first and uses the entry only when it matches, so writes made
/// through other instances of the service are seen at once.</item>
/// <item>An entry is stored only when it was read in one snapshot with the version it is stored under, when the
/// revisions table then held a row for every event of the stream (not halfway through a rebuild), and when the
/// stream's latest event lay at or before the read's knownAt: no event of that version was left out as not yet known
/// (a stream's event times rise with its versions, and nothing counts as said after it was recorded). A race can
/// leave an entry for an older version, to be replaced; an entry is never served for a version it was not read at.</item>
/// </list>
/// Answers with asOf or knownAt are not kept. Bounded by <c>Positions:PositionsCache:MaxActors</c> (0 turns it off);
/// beyond it the least recently used go first.
/// </summary>
public sealed class CurrentPositionsCache : IDisposable
{
    public const int DefaultMaxActors = 1000;

    private readonly MemoryCache? _answers;

    public CurrentPositionsCache(int maxActors)
    {
        if (maxActors < 0) throw new ArgumentOutOfRangeException(nameof(maxActors), "Positions:PositionsCache:MaxActors must be 0 or more.");
        if (maxActors > 0) _answers = new MemoryCache(new MemoryCacheOptions { SizeLimit = maxActors });
    }

    private sealed record Entry(long Version, byte[] Positions);

    public bool Enabled => _answers is not null;

    public bool TryGet(string actor, ActorHead head, DateTimeOffset knownAt, [NotNullWhen(true)] out byte[]? positions)
    {
        positions = _answers?.Get(actor) is Entry entry && entry.Version == head.Version && !(head.LatestRecordedAt > knownAt)
            ? entry.Positions
            : null;
        return positions is not null;
    }

    public void Store(string actor, ActorTimelines read, DateTimeOffset knownAt, byte[] positions)
    {
        if (_answers is null || !read.HoldsEveryEvent || read.Head.LatestRecordedAt > knownAt) return;
        _answers.Set(actor, new Entry(read.Head.Version, positions), new MemoryCacheEntryOptions { Size = 1 });
    }

    public void Dispose() => _answers?.Dispose();
}
