using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Positions.Api.Tests.Integration;

[Collection(IntegrationCollection.Name)]
public class RebuildTests(PositionsApp app)
{
    [Fact]
    public async Task rebuilding_every_projection_from_the_events_gives_the_same_answers()
    {
        var client = app.Client();
        var (actor, topic) = (await Given.ActorAsync(client), await Given.TopicAsync(client));
        var first = await client.PostJsonAsync("/statements", Given.Statement($"r1-{actor}", [actor], topic, "opposes", "2025-01-01"));
        await client.PostJsonAsync("/statements", Given.Statement($"r2-{actor}", [actor, "gb"], topic, "supports", "2025-03-01"));
        await client.PostJsonAsync($"/statements/r1-{actor}/corrections", new { changes = new { stance = "strongly-opposes" } });
        await client.PostJsonAsync($"/statements/r2-{actor}/sources", new { outlet = "AP", attribution = "on-record" });
        await client.PostJsonAsync($"/statements/r2-{actor}/retraction", new { reason = "withdrawn" });
        var written = DateTimeOffset.UtcNow.ToString("O");
        string[] reads =
        [
            $"/actors/{actor}/positions/{topic}", $"/actors/{actor}/positions/{topic}?knownAt={first.Json["recordedAt"]}",
            $"/actors/{actor}/positions?asOf={written}&knownAt={written}", $"/topics/{topic}/positions?asOf=2025-06-30&knownAt={written}",
            $"/statements?topic={topic}", $"/statements/r1-{actor}",
            $"/statements/r2-{actor}", $"/shifts?topic={topic}", "/actors/us/positions/ukraine-postwar-security-guarantees?asOf=2025-12-31",
        ];
        var before = await Task.WhenAll(reads.Select(async url => (await client.GetJsonAsync(url)).Json.ToJsonString()));

        var daemon = await app.Host.Services.GetRequiredService<IDocumentStore>().BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync("ReadModels", TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);

        var after = await Task.WhenAll(reads.Select(async url => (await client.GetJsonAsync(url)).Json.ToJsonString()));
        Assert.Equal(before, after);
    }
}
