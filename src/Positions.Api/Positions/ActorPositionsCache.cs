using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Caching.Memory;

namespace Positions.Api.Positions;

/// <summary>
/// The current answer of <c>GET /actors/{id}/positions</c> (asOf and knownAt both "now") per actor, as JSON, with the
/// version of the actor's stream it was read at. Why serving one is safe:
/// <list type="bullet">
/// <item>What is known now changes only by new events, and every change to what counts for an actor is an event on the
/// actor's own stream (corrections and retractions of a joint statement are appended to every holder's stream). So
/// the answer changes only with that version.</item>
/// <item>Every read asks the database for the version first and uses an entry only when it matches, so writes made
/// through other instances of the service are seen at once.</item>
/// <item>An entry is stored only when it was read in one snapshot with the version it is stored under and when the
/// revisions table then held a row for every event of the stream (not halfway through a rebuild), and it is stored
/// and served only when the stream's latest event lies at or before the read's now: no event of that version was left
/// out as not yet known (a stream's event times rise with its versions, and nothing counts as said after it was
/// recorded), so the answer is the same at any later now.</item>
/// </list>
/// Answers about a past asOf or knownAt are not kept: they vary too much to be asked twice often, and each is one
/// indexed read (the tails of the actor's timelines). A race can leave an entry for an older version, to be replaced;
/// an entry is never served for a version it was not read at. Bounded by <c>Positions:PositionsCache:MaxActors</c>
/// (0 turns it off).
/// </summary>
public sealed class ActorPositionsCache : IDisposable
{
    public const int DefaultMaxActors = 1000;

    private readonly MemoryCache? _answers;

    public ActorPositionsCache(int maxActors)
    {
        if (maxActors < 0) throw new ArgumentOutOfRangeException(nameof(maxActors), "Positions:PositionsCache:MaxActors must be 0 or more.");
        if (maxActors > 0) _answers = new MemoryCache(new MemoryCacheOptions { SizeLimit = maxActors });
    }

    private sealed record Entry(long Version, byte[] Positions);

    public bool Enabled => _answers is not null;

    /// <summary>Whether an answer to this query may be kept (so the read must check it is whole).</summary>
    public bool Keeps(TimeQuery time) => Enabled && IsAboutNow(time);

    public bool TryGet(string actor, TimeQuery time, ActorHead head, [NotNullWhen(true)] out byte[]? positions)
    {
        positions = IsAboutNow(time) && _answers?.Get(actor) is Entry entry && entry.Version == head.Version && !MayLeaveOut(time, head)
            ? entry.Positions
            : null;
        return positions is not null;
    }

    public void Store(string actor, TimeQuery time, ActorTimelines read, byte[] positions)
    {
        if (_answers is null || !IsAboutNow(time) || !read.HoldsEveryEvent || MayLeaveOut(time, read.Head)) return;
        _answers.Set(actor, new Entry(read.Head.Version, positions), new MemoryCacheEntryOptions { Size = 1 });
    }

    public void Dispose() => _answers?.Dispose();

    private static bool IsAboutNow(TimeQuery time) => time.AsOfIsNow && time.KnownAtIsNow;

    /// <summary>Whether the answer may leave out an event that a later now would count.</summary>
    private static bool MayLeaveOut(TimeQuery time, ActorHead head) => head.LatestRecordedAt > time.Now;
}
