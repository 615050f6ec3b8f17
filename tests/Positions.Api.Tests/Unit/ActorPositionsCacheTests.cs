using Positions.Api.Positions;
using Positions.Api.Shared;

namespace Positions.Api.Tests.Unit;

public class ActorPositionsCacheTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Positions = "[]"u8.ToArray();

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static TimeQuery At(DateTimeOffset now, string? asOf = null, string? knownAt = null) =>
        TimeQuery.Read(new QueryParameters(), asOf, knownAt, new FixedClock(now));

    private static ActorTimelines Read(long version, DateTimeOffset? latest, bool holdsEveryEvent = true) =>
        new(new ActorHead(version, latest), holdsEveryEvent, []);

    [Fact]
    public void an_answer_serves_only_its_actor_at_the_version_it_was_read_at()
    {
        using var cache = new ActorPositionsCache(10);
        cache.Store("us", At(Now), Read(4, Now.AddMinutes(-1)), Positions);

        Assert.True(cache.TryGet("us", At(Now.AddSeconds(1)), new ActorHead(4, Now.AddMinutes(-1)), out _));
        Assert.False(cache.TryGet("us", At(Now.AddSeconds(1)), new ActorHead(5, Now), out _));
        Assert.False(cache.TryGet("gb", At(Now.AddSeconds(1)), new ActorHead(4, Now.AddMinutes(-1)), out _));
    }

    [Fact]
    public void only_answers_about_now_are_kept()
    {
        using var cache = new ActorPositionsCache(10);
        var head = new ActorHead(4, Now.AddMinutes(-1));
        cache.Store("us", At(Now, asOf: "2025-06-30", knownAt: "2025-12-01T00:00:00Z"), Read(4, head.LatestRecordedAt), Positions);
        cache.Store("gb", At(Now, asOf: "2025-06-30"), Read(4, head.LatestRecordedAt), Positions);
        cache.Store("fr", At(Now, knownAt: "2025-12-01T00:00:00Z"), Read(4, head.LatestRecordedAt), Positions);
        cache.Store("de", At(Now), Read(4, head.LatestRecordedAt), Positions);

        Assert.False(cache.TryGet("us", At(Now.AddHours(1), asOf: "2025-06-30", knownAt: "2025-12-01T00:00:00Z"), head, out _));
        Assert.False(cache.TryGet("us", At(Now.AddHours(1)), head, out _));
        Assert.False(cache.TryGet("gb", At(Now.AddHours(1)), head, out _));
        Assert.False(cache.TryGet("fr", At(Now.AddHours(1)), head, out _));
        Assert.False(cache.TryGet("de", At(Now.AddHours(1), asOf: "2025-06-30"), head, out _));
        Assert.True(cache.TryGet("de", At(Now.AddHours(1)), head, out _));
    }

    [Fact]
    public void an_answer_about_now_that_left_out_an_event_not_yet_known_is_not_kept()
    {
        using var cache = new ActorPositionsCache(10);
        var latest = Now.AddTicks(10);
        cache.Store("us", At(Now), Read(4, latest), Positions);

        Assert.False(cache.TryGet("us", At(Now.AddSeconds(1)), new ActorHead(4, latest), out _));
    }

    [Fact]
    public void an_answer_read_while_the_revisions_lacked_an_event_is_not_kept()
    {
        using var cache = new ActorPositionsCache(10);
        cache.Store("us", At(Now), Read(4, Now.AddMinutes(-1), holdsEveryEvent: false), Positions);

        Assert.False(cache.TryGet("us", At(Now), new ActorHead(4, Now.AddMinutes(-1)), out _));
    }

    [Fact]
    public void no_room_means_no_cache()
    {
        using var cache = new ActorPositionsCache(0);
        cache.Store("us", At(Now), Read(4, Now.AddMinutes(-1)), Positions);

        Assert.False(cache.Enabled);
        Assert.False(cache.TryGet("us", At(Now), new ActorHead(4, Now.AddMinutes(-1)), out _));
    }
}
