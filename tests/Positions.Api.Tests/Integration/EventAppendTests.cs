using System.Text.Json.Nodes;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Positions.Api.Statements;

namespace Positions.Api.Tests.Integration;

/// <summary>
/// Every event reaches Marten's tables through one path of our own (Storage/EventAppend.cs, set-based inserts). Marten must
/// read back exactly what it wrote: the stream, the raw events, the stream's state, and the daemon's high-water mark.
/// </summary>
[Collection(IntegrationCollection.Name)]
public class EventAppendTests(PositionsApp app)
{
    [Fact]
    public async Task martens_own_reads_agree_with_what_the_append_path_wrote()
    {
        var client = app.Client();
        var (actor, other, topic) = (await Given.ActorAsync(client), await Given.ActorAsync(client), await Given.TopicAsync(client));
        var id = $"append-{actor}";
        var recorded = (await client.PostJsonAsync("/statements", Given.Statement(id, [actor, other], topic, "supports", "2024-05-01"))).Json;
        await client.PostJsonAsync($"/statements/{id}/corrections", new { changes = new { stance = "opposes" }, reason = "miscoded" });
        await client.PostJsonAsync($"/statements/{id}/sources", new { outlet = "Reuters", attribution = "on-record" });
        await client.PostJsonAsync($"/statements/{id}/retraction", new { reason = "withdrawn" });
        var served = (await client.GetJsonAsync($"/actors/{actor}/events")).Json["items"]!.AsArray();

        var store = app.Host.Services.GetRequiredService<IDocumentStore>();
        await using var session = store.QuerySession();
        var stream = await session.Events.FetchStreamAsync(actor, token: TestContext.Current.CancellationToken);

        Assert.Equal([1L, 2, 3, 4], stream.Select(e => e.Version));
        Assert.Equal([typeof(StatementRecorded), typeof(StatementCorrected), typeof(StatementSourced), typeof(StatementRetracted)],
            stream.Select(e => e.EventType));
        Assert.All(stream, e => Assert.Equal(id, ((IStatementEvent)e.Data).StatementId));
        Assert.Equal(Stance.Opposes, ((StatementCorrected)stream[1].Data).Statement.Stance);
        Assert.Equal(DateTimeOffset.Parse((string)recorded["recordedAt"]!), stream[0].Timestamp);
        Assert.Equal(served.Select(e => (long)e!["sequence"]!), stream.Select(e => e.Sequence));
        Assert.Equal(served.Select(e => DateTimeOffset.Parse((string)e!["recordedAt"]!)), stream.Select(e => e.Timestamp));
        Assert.Equal(4, (await session.Events.FetchStreamStateAsync(actor, TestContext.Current.CancellationToken))!.Version);
        Assert.Equal(4, (await session.Events.FetchStreamStateAsync(other, TestContext.Current.CancellationToken))!.Version);

        var raw = await session.Events.QueryAllRawEvents().Where(e => e.StreamKey == actor).OrderBy(e => e.Sequence)
            .ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(stream.Select(e => (e.Sequence, e.Id, e.EventTypeName)), raw.Select(e => (e.Sequence, e.Id, e.EventTypeName)));

        // The sequence numbers are Marten's own, so its daemon sees no gap it would wait on.
        var last = stream.Max(e => e.Sequence);
        Assert.True(await store.Storage.Database.FetchHighestEventSequenceNumber(TestContext.Current.CancellationToken) >= last);
        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.StartAllAsync();
        for (var waited = 0; daemon.Tracker.HighWaterMark < last && waited < 100; waited++) await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.True(daemon.Tracker.HighWaterMark >= last, $"high-water mark {daemon.Tracker.HighWaterMark}, last event {last}");
        await daemon.StopAllAsync();
    }
}
