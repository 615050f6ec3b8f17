using Positions.Api.Tests.Integration;

namespace Positions.Api.Tests.Resilience;

/// <summary>The live feed follows the record, not the instance: a write through one instance reaches a subscriber on another.</summary>
[Collection(IntegrationCollection.Name)]
public class ShiftStreamAcrossInstancesTests(PositionsApp app)
{
    [Fact]
    public async Task a_write_through_one_instance_reaches_a_subscriber_on_another_and_quiet_streams_are_kept_alive()
    {
        await using var writer = await ServiceProcess.StartAsync(app.ConnectionString);
        await using var reader = await ServiceProcess.StartAsync(app.ConnectionString);
        using var writes = writer.Client();
        var (actor, topic) = (await Given.ActorAsync(writes), await Given.TopicAsync(writes));
        await using var stream = await ServerSentEvents.OpenAsync(reader.Client(), $"/shifts/stream?actor={actor}");

        await writes.PostJsonAsync("/statements", Given.Statement($"x1-{actor}", [actor], topic, "opposes", "2025-01-01"));
        await writes.PostJsonAsync("/statements", Given.Statement($"x2-{actor}", [actor], topic, "supports", "2025-02-01"));
        var shift = await stream.NextEventAsync(TimeSpan.FromSeconds(10));
        Assert.Equal($"x2-{actor}", (string)shift.Data!["to"]!["statementId"]!);

        // Nothing more happens: a comment comes within the keep-alive period (15 s) to keep proxies from closing it.
        Assert.Equal("keep-alive", (await stream.NextAsync(TimeSpan.FromSeconds(20))).Comment);
    }
}
