using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Caching.Memory;

namespace Positions.Api.Positions;

/// <summary>
/// Answers of <c>GET /actors/{id}/positions</c> per actor, asOf and knownAt (either may be "now"), as JSON, with the
/// version of the actor's stream they were read at. Why serving one is safe:
/// <list type="bullet">
/// <item>What was known at a past instant never changes; what is known now changes only by new events, and every
/// change to what counts for an actor is an event on the actor's own stream (corrections and retractions of a joint
/// statement are appended to every holder's stream). So an answer changes only with that version.</item>
/// <item>Every read asks the database for the version first and uses an entry only when it matches, so writes made
/// through other instances of the service are seen at once.</item>
/// <item>An entry is stored only when it was read in one snapshot with the version it is stored under and when the
/// revisions table then held a row for every event of the stream (not halfway through a rebuild). When asOf or knownAt
/// is "now", it is also stored and served only when the stream's latest event lies at or before the read's now: no
/// event of that version was left out as not yet known (a stream's event times rise with its versions, and nothing
/// counts as said after it was recorded), so the answer is the same at any later now.</item>
/// </list>
/// A race can leave an entry for an older version, to be replaced; an entry is never served for a version it was not
/// read at. Bounded by <c>Positions:PositionsCache:MaxAnswers</c> (0 turns it off); beyond it the least recently used
/// go first.
/// </summary>
public sealed class ActorPositionsCache : IDisposable
{
    public const int DefaultMaxAnswers = 1000;

    private readonly MemoryCache? _answers;

    public ActorPositionsCache(int maxAnswers)
    {
        if (maxAnswers < 0) throw new ArgumentOutOfRangeException(nameof(maxAnswers), "Positions:PositionsCache:MaxAnswers must be 0 or more.");
        if (maxAnswers > 0) _answers = new MemoryCache(new MemoryCacheOptions { SizeLimit = maxAnswers });
    }

    /// <summary>An answer's key: null for an asOf or knownAt that is the read's own now.</summary>
    private readonly record struct Key(string Actor, DateTimeOffset? AsOf, DateTimeOffset? KnownAt);

    private sealed record Entry(long Version, byte[] Positions);

    public bool Enabled => _answers is not null;

    public bool TryGet(string actor, TimeQuery time, ActorHead head, [NotNullWhen(true)] out byte[]? positions)
    {
        positions = _answers?.Get(KeyOf(actor, time)) is Entry entry && entry.Version == head.Version && !MayLeaveOut(time, head)
            ? entry.Positions
            : null;
        return positions is not null;
    }

    public void Store(string actor, TimeQuery time, ActorTimelines read, byte[] positions)
    {
        if (_answers is null || !read.HoldsEveryEvent || MayLeaveOut(time, read.Head)) return;
        _answers.Set(KeyOf(actor, time), new Entry(read.Head.Version, positions), new MemoryCacheEntryOptions { Size = 1 });
    }

    public void Dispose() => _answers?.Dispose();

    private static Key KeyOf(string actor, TimeQuery time) =>
        new(actor, time.AsOfIsNow ? null : time.AsOf, time.KnownAtIsNow ? null : time.KnownAt);

    /// <summary>Whether an answer about "now" may leave out an event that a later now would count.</summary>
    private static bool MayLeaveOut(TimeQuery time, ActorHead head) =>
        (time.AsOfIsNow || time.KnownAtIsNow) && head.LatestRecordedAt > time.Now;
}
