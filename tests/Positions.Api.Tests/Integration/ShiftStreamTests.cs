namespace Positions.Api.Tests.Integration;

/// <summary>GET /shifts/stream: shifts as writes make them, filtered, and resumed after a Last-Event-ID from the record.</summary>
[Collection(IntegrationCollection.Name)]
public class ShiftStreamTests(PositionsApp app)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task a_write_that_makes_a_shift_sends_it_to_subscribers_whose_filters_it_passes()
    {
        var client = app.Client();
        var (actor, other, topic) = (await Given.ActorAsync(client), await Given.ActorAsync(client), await Given.TopicAsync(client));
        await using var mine = await ServerSentEvents.OpenAsync(app.Client(null), $"/shifts/stream?actor={actor}");
        await using var firmOnly = await ServerSentEvents.OpenAsync(app.Client(null), $"/shifts/stream?actor={actor}&firm=true");
        Assert.Equal("shifts as they happen", (await mine.NextAsync(Soon)).Comment);

        await client.PostJsonAsync("/statements", Given.Statement($"l1-{actor}", [actor], topic, "opposes", "2025-01-01"));
        await client.PostJsonAsync("/statements", Given.Statement($"l1-{other}", [other], topic, "opposes", "2025-01-01"));
        await client.PostJsonAsync("/statements", Given.Statement($"l2-{other}", [other], topic, "supports", "2025-02-01"));
        await client.PostJsonAsync("/statements", Given.Statement($"l2-{actor}", [actor], topic, "supports", "2025-02-01", attribution: "reported"));

        var shift = await mine.NextEventAsync(Soon);
        Assert.Equal("shift", shift.Event);
        Assert.True(long.TryParse(shift.Id, out _));
        Assert.Equal((actor, "full-flop", $"l2-{actor}", true), ((string)shift.Data!["actor"]!, (string)shift.Data["kind"]!,
            (string)shift.Data["to"]!["statementId"]!, (bool)shift.Data["provisional"]!));

        // A firm source makes the shift change: both streams hear of it now.
        await client.PostJsonAsync($"/statements/l2-{actor}/sources", new { outlet = "AP", attribution = "on-record" });
        var changed = await mine.NextEventAsync(Soon);
        Assert.Equal((false, "on-record"), ((bool)changed.Data!["provisional"]!, (string)changed.Data["attribution"]!));
        var firm = await firmOnly.NextEventAsync(Soon);
        Assert.Equal((changed.Id, $"l2-{actor}"), (firm.Id, (string)firm.Data!["to"]!["statementId"]!));
    }

    [Fact]
    public async Task a_client_that_reconnects_with_its_last_event_id_loses_nothing()
    {
        var client = app.Client();
        var (actor, topic) = (await Given.ActorAsync(client), await Given.TopicAsync(client));
        string lastId;
        await using (var stream = await ServerSentEvents.OpenAsync(app.Client(null), $"/shifts/stream?actor={actor}"))
        {
            await client.PostJsonAsync("/statements", Given.Statement($"r1-{actor}", [actor], topic, "opposes", "2025-01-01"));
            await client.PostJsonAsync("/statements", Given.Statement($"r2-{actor}", [actor], topic, "supports", "2025-02-01"));
            lastId = (await stream.NextEventAsync(Soon)).Id!;
        }
        // While it is away: two more shifts.
        await client.PostJsonAsync("/statements", Given.Statement($"r3-{actor}", [actor], topic, "neutral", "2025-03-01"));
        await client.PostJsonAsync("/statements", Given.Statement($"r4-{actor}", [actor], topic, "strongly-opposes", "2025-04-01"));

        await using var resumed = await ServerSentEvents.OpenAsync(app.Client(null), $"/shifts/stream?actor={actor}", lastEventId: lastId);
        Assert.Equal($"r3-{actor}", (string)(await resumed.NextEventAsync(Soon)).Data!["to"]!["statementId"]!);
        Assert.Equal($"r4-{actor}", (string)(await resumed.NextEventAsync(Soon)).Data!["to"]!["statementId"]!);
        // The query parameter works as the header does.
        await using var byQuery = await ServerSentEvents.OpenAsync(app.Client(null), $"/shifts/stream?actor={actor}&lastEventId={lastId}");
        Assert.Equal($"r3-{actor}", (string)(await byQuery.NextEventAsync(Soon)).Data!["to"]!["statementId"]!);
    }

    [Theory]
    [InlineData("?lastEventId=soon")]
    [InlineData("?lastEventId=999999999999")]
    [InlineData("?kind=no-flip")]
    [InlineData("?firm=perhaps")]
    public async Task a_stream_that_cannot_be_served_is_a_400_before_it_begins(string query) =>
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await app.Client(null).GetJsonAsync($"/shifts/stream{query}")).Status);
}
