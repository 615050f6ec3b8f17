using Positions.Api.Positions;

namespace Positions.Api.Tests.Unit;

public class CurrentPositionsCacheTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Positions = "[]"u8.ToArray();

    private static ActorTimelines Read(long version, DateTimeOffset? latest, bool holdsEveryEvent = true) =>
        new(new ActorHead(version, latest), holdsEveryEvent, []);

    [Fact]
    public void an_answer_serves_only_the_version_it_was_read_at()
    {
        using var cache = new CurrentPositionsCache(10);
        cache.Store("us", Read(4, Now.AddMinutes(-1)), Now, Positions);

        Assert.True(cache.TryGet("us", new ActorHead(4, Now.AddMinutes(-1)), Now.AddSeconds(1), out _));
        Assert.False(cache.TryGet("us", new ActorHead(5, Now), Now.AddSeconds(1), out _));
        Assert.False(cache.TryGet("gb", new ActorHead(4, Now.AddMinutes(-1)), Now.AddSeconds(1), out _));
    }

    [Fact]
    public void an_answer_that_left_out_an_event_not_yet_known_is_not_kept()
    {
        using var cache = new CurrentPositionsCache(10);
        cache.Store("us", Read(4, latest: Now.AddTicks(10)), Now, Positions);

        Assert.False(cache.TryGet("us", new ActorHead(4, Now.AddTicks(10)), Now.AddSeconds(1), out _));
    }

    [Fact]
    public void an_answer_read_while_the_revisions_lacked_an_event_is_not_kept()
    {
        using var cache = new CurrentPositionsCache(10);
        cache.Store("us", Read(4, Now.AddMinutes(-1), holdsEveryEvent: false), Now, Positions);

        Assert.False(cache.TryGet("us", new ActorHead(4, Now.AddMinutes(-1)), Now, out _));
    }

    [Fact]
    public void no_actors_means_no_cache()
    {
        using var cache = new CurrentPositionsCache(0);
        cache.Store("us", Read(4, Now.AddMinutes(-1)), Now, Positions);

        Assert.False(cache.Enabled);
        Assert.False(cache.TryGet("us", new ActorHead(4, Now.AddMinutes(-1)), Now, out _));
    }
}
