using System.Net;

namespace Positions.Api.Tests.Integration;

[Collection(IntegrationCollection.Name)]
public class ConcurrencyTests(PositionsApp app)
{
    [Fact]
    public async Task thirty_two_concurrent_writers_on_one_actor_lose_nothing()
    {
        var client = app.Client();
        var (actor, topic) = (await Given.ActorAsync(client), await Given.TopicAsync(client));
        string[] stances = ["opposes", "supports", "neutral", "strongly-supports"];

        var answers = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(() => app.Client().PostJsonAsync("/statements",
            Given.Statement($"w{i}-{actor}", [actor], topic, stances[i % 4], $"2025-01-{i % 28 + 1:00}")))));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.Status));
        var versions = answers.Select(a => (long)a.Json["streams"]![0]!["version"]!).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 32).Select(v => (long)v), versions);
        var events = (await client.GetJsonAsync($"/actors/{actor}/events?limit=1000")).Json["items"]!.AsArray();
        Assert.Equal(Enumerable.Range(1, 32).Select(v => (long)v), events.Select(e => (long)e!["version"]!));
        var history = (await client.GetJsonAsync($"/actors/{actor}/positions/{topic}")).Json["history"]!.AsArray();
        Assert.Equal(32, history.Count);
    }

    [Fact]
    public async Task the_same_statement_sent_ten_times_at_once_is_recorded_once()
    {
        var client = app.Client();
        var (actor, topic) = (await Given.ActorAsync(client), await Given.TopicAsync(client));
        var body = Given.Statement(PositionsApp.UniqueId("race"), [actor], topic, "supports", "2025-01-01");

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => app.Client().PostJsonAsync("/statements", body))));

        Assert.Single(answers, a => a.Status == HttpStatusCode.Created);
        Assert.All(answers, a => Assert.Contains(a.Status, new[] { HttpStatusCode.Created, HttpStatusCode.OK }));
        Assert.Single(answers.Select(a => a.Json.ToJsonString()).Distinct());
        Assert.Single((await client.GetJsonAsync($"/actors/{actor}/events")).Json["items"]!.AsArray());
    }

    [Fact]
    public async Task concurrent_corrections_of_one_statement_get_consecutive_revisions()
    {
        var client = app.Client();
        var (actor, topic) = (await Given.ActorAsync(client), await Given.TopicAsync(client));
        var id = PositionsApp.UniqueId("st");
        await client.PostJsonAsync("/statements", Given.Statement(id, [actor], topic, "supports", "2025-01-01"));

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => app.Client().PostJsonAsync(
            $"/statements/{id}/corrections", new { changes = new { summary = $"correction {i}" } }))));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Equal(Enumerable.Range(2, 8), answers.Select(a => a.Json["revision"]!.GetValue<int>()).Order());
        Assert.Equal(9, (await client.GetJsonAsync($"/statements/{id}")).Json["revisions"]!.AsArray().Count);
    }
}
