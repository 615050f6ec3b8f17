using System.Net;

namespace Positions.Api.Tests.Integration;

[Collection(IntegrationCollection.Name)]
public class ReadTests(PositionsApp app)
{
    private readonly HttpClient _client = app.Client();

    [Fact]
    public async Task lists_page_with_an_opaque_cursor_until_next_is_null()
    {
        var seen = new List<string>();
        string? next = null;
        do
        {
            var page = (await _client.GetJsonAsync("/actors?limit=100" + (next is null ? "" : $"&after={next}"))).Json;
            seen.AddRange(page["items"]!.AsArray().Select(a => (string)a!["id"]!));
            next = (string?)page["next"];
        } while (next is not null);

        Assert.True(seen.Count >= 249, $"only {seen.Count} actors");
        Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Contains("donald-trump", seen);
    }

    [Fact]
    public async Task shifts_are_listed_newest_first_and_filter_by_actor_topic_kind_and_dates()
    {
        var (actor, topic) = (await Given.ActorAsync(_client), await Given.TopicAsync(_client));
        foreach (var (stance, saidAt, i) in new[] { ("opposes", "2025-01-01", 1), ("opposes", "2025-02-01", 2), ("supports", "2025-03-01", 3), ("strongly-supports", "2025-04-01", 4) })
            await _client.PostJsonAsync("/statements", Given.Statement($"s{i}-{actor}", [actor], topic, stance, saidAt));

        var all = (await _client.GetJsonAsync($"/shifts?actor={actor}")).Json["items"]!.AsArray();
        var flops = (await _client.GetJsonAsync($"/shifts?topic={topic}&kind=full-flop")).Json["items"]!.AsArray();
        var inMarch = (await _client.GetJsonAsync($"/shifts?actor={actor}&from=2025-03-01&to=2025-03-31")).Json["items"]!.AsArray();
        var paged = (await _client.GetJsonAsync($"/shifts?actor={actor}&limit=1")).Json;
        var secondPage = (await _client.GetJsonAsync($"/shifts?actor={actor}&limit=1&after={paged["next"]}")).Json;

        Assert.Equal(["half-flip", "full-flop"], all.Select(s => (string?)s!["kind"]));
        Assert.Equal(("2025-04-01", $"s3-{actor}", $"s4-{actor}"),
            ((string?)all[0]!["at"], (string?)all[0]!["from"]!["statementId"], (string?)all[0]!["to"]!["statementId"]));
        Assert.Equal(($"s2-{actor}", "opposes"), ((string?)flops.Single()!["from"]!["statementId"], (string?)flops.Single()!["from"]!["stance"]));
        Assert.Equal("full-flop", (string?)inMarch.Single()!["kind"]);
        Assert.Equal("full-flop", (string?)secondPage["items"]![0]!["kind"]);
        Assert.Null((string?)secondPage["next"]);
    }

    [Fact]
    public async Task the_audit_lists_who_said_what_when_filtered_by_actor_speaker_topic_and_dates()
    {
        var (actor, speaker, topic) = (await Given.ActorAsync(_client), await Given.ActorAsync(_client, "person"), await Given.TopicAsync(_client));
        await _client.PostJsonAsync("/statements", Given.Statement($"late-{actor}", [actor], topic, "supports", "2025-05-01"));
        await _client.PostJsonAsync("/statements", Given.Statement($"early-{actor}", [actor], topic, "opposes", "2025-01-01", speakerActorId: speaker));

        var byActor = (await _client.GetJsonAsync($"/statements?actor={actor}")).Json["items"]!.AsArray();
        var bySpeaker = (await _client.GetJsonAsync($"/statements?speaker={speaker}")).Json["items"]!.AsArray();
        var byDates = (await _client.GetJsonAsync($"/statements?topic={topic}&from=2025-04-01&to=2025-05-01")).Json["items"]!.AsArray();

        Assert.Equal([$"early-{actor}", $"late-{actor}"], byActor.Select(s => (string?)s!["statementId"]));
        Assert.Equal($"early-{actor}", (string?)bySpeaker.Single()!["statementId"]);
        Assert.Equal($"late-{actor}", (string?)byDates.Single()!["statementId"]);
        var item = byActor[0]!;
        Assert.Equal((PositionsApp.WriterName, 1, false), ((string?)item["recordedBy"], item["revision"]!.GetValue<int>(), item["retracted"]!.GetValue<bool>()));
        Assert.Equal("Financial Times", (string?)item["sources"]![0]!["outlet"]);
    }

    [Fact]
    public async Task an_actors_raw_stream_pages_oldest_first_with_who_recorded_each_event()
    {
        var (actor, topic) = (await Given.ActorAsync(_client), await Given.TopicAsync(_client));
        for (var i = 1; i <= 3; i++)
            await _client.PostJsonAsync("/statements", Given.Statement($"e{i}-{actor}", [actor], topic, "supports", $"2025-01-0{i}"));

        var first = (await _client.GetJsonAsync($"/actors/{actor}/events?limit=2")).Json;
        var rest = (await _client.GetJsonAsync($"/actors/{actor}/events?limit=2&after={first["next"]}")).Json;

        Assert.Equal([1L, 2L], first["items"]!.AsArray().Select(e => (long)e!["version"]!));
        Assert.Equal([3L], rest["items"]!.AsArray().Select(e => (long)e!["version"]!));
        var item = first["items"]![0]!;
        Assert.Equal(("statement_recorded", PositionsApp.WriterName, $"e1-{actor}"),
            ((string?)item["type"], (string?)item["recordedBy"], (string?)item["data"]!["statementId"]));
        Assert.NotNull(item["sequence"]);
        Assert.NotNull(item["recordedAt"]);
    }

    [Fact]
    public async Task reads_are_public_by_default()
    {
        var answer = await app.Client(null).GetJsonAsync("/topics");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.NotNull(answer.Json["items"]);
        Assert.True(answer.Json.AsObject().ContainsKey("next"));
    }
}
