using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Positions.Api.Positions;
using Positions.Api.Shared;

namespace Positions.Api.Tests.Integration;

/// <summary>
/// <c>GET /actors/{id}/positions</c> reads the last entries of each timeline: whatever it answers must be what a fold of
/// the actor's events gives.
/// </summary>
[Collection(IntegrationCollection.Name)]
public class ActorPositionsTests(PositionsApp app)
{
    private readonly HttpClient _client = app.Client();

    private async Task RecordAsync(string id, string[] actors, string topic, string stance, string saidAt) =>
        Assert.Equal(HttpStatusCode.Created, (await _client.PostJsonAsync("/statements", Given.Statement(id, actors, topic, stance, saidAt))).Status);

    private async Task<JsonNode> PositionsAsync(string actor, string query = "")
    {
        var answer = await _client.GetJsonAsync($"/actors/{actor}/positions?{query}");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        return answer.Json;
    }

    [Fact]
    public async Task an_unknown_actor_is_404_whatever_was_read_before()
    {
        var (actor, topic) = (await Given.ActorAsync(_client), await Given.TopicAsync(_client));
        await RecordAsync(PositionsApp.UniqueId("st"), [actor], topic, "opposes", "2025-01-01");
        await PositionsAsync(actor);

        var unknown = PositionsApp.UniqueId("nobody");
        var now = await _client.GetJsonAsync($"/actors/{unknown}/positions");
        var past = await _client.GetJsonAsync($"/actors/{unknown}/positions?asOf=2025-01-01&knownAt=2025-06-01T00:00:00Z");

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (now.Status, past.Status));
        Assert.Equal("application/problem+json", now.Response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task a_run_longer_than_the_tail_read_first_gives_what_the_whole_timeline_gives()
    {
        var (actor, partner) = (await Given.ActorAsync(_client), await Given.ActorAsync(_client));
        var (longRun, shortRuns, single) = (await Given.TopicAsync(_client), await Given.TopicAsync(_client), await Given.TopicAsync(_client));
        var runLength = 2 * RevisionReader.TailLength + 4;
        var statements = new List<object> { Given.Statement($"ruled-out-{actor}", [actor], longRun, "strongly-opposes", "2024-01-01") };
        statements.AddRange(Enumerable.Range(0, runLength).Select(day => Given.Statement($"support-{day}-{actor}", [actor, partner],
            longRun, "supports", DateOnly.FromDateTime(new DateTime(2024, 2, 1)).AddDays(day).ToString("yyyy-MM-dd"), ["Europe commits troops"])));
        string[] stances = ["opposes", "opposes", "neutral", "supports", "supports", "supports", "opposes", "neutral", "neutral", "supports"];
        statements.AddRange(stances.Select((stance, i) => Given.Statement($"short-{i}-{actor}", [actor], shortRuns, stance, $"2024-0{i % 9 + 1}-15")));
        statements.Add(Given.Statement($"single-{actor}", [actor], single, "neutral", "2024-03-03"));

        await ImportAsync(statements.Take(runLength - 8));
        var between = DateOrInstant.FormatInstant(DateOrInstant.Truncate(DateTimeOffset.UtcNow));
        await ImportAsync(statements.Skip(runLength - 8));
        await _client.PostJsonAsync($"/statements/short-4-{actor}/corrections", new { changes = new { stance = "strongly-supports" } });
        await _client.PostJsonAsync($"/statements/short-9-{actor}/retraction", new { reason = "withdrawn" });
        var fold = await EventFold.OfActorAsync(_client, actor);

        var current = (await PositionsAsync(actor))["positions"]!.AsArray().Single(p => (string?)p!["topic"] == longRun)!;
        Assert.Equal(("2024-02-01", $"ruled-out-{actor}"), ((string?)current["since"], (string?)current["previous"]!["statementId"]));
        foreach (var (asOf, knownAt) in new[] { ((string?)null, (string?)null), ("2024-03-01T12:00:00Z", null), (null, between), ("2024-02-25T00:00:00Z", between) })
        {
            var query = (asOf is null ? "" : $"asOf={asOf}&") + (knownAt is null ? "" : $"knownAt={knownAt}");
            var (asOfTime, knownAtTime) = (asOf is null ? DateTimeOffset.MaxValue : DateTimeOffset.Parse(asOf),
                knownAt is null ? DateTimeOffset.MaxValue : DateTimeOffset.Parse(knownAt));
            var expected = fold.Topics.Order(StringComparer.Ordinal)
                .Select(topic => Timeline.Current(topic, fold.Counting(topic, asOfTime, knownAtTime)))
                .OfType<Position>()
                .ToList();

            AssertSameJson(JsonSerializer.SerializeToNode(expected, PositionsJson.Options)!, (await PositionsAsync(actor, query))["positions"]!, query);
            var map = (await _client.GetJsonAsync($"/topics/{longRun}/positions?{query}")).Json["positions"]!.AsArray();
            var mapped = map.SingleOrDefault(p => (string?)p!["actor"] == actor);
            var position = expected.SingleOrDefault(p => p.Topic == longRun);
            Assert.Equal((position?.StatementId, position?.Since.ToString()), ((string?)mapped?["statementId"], (string?)mapped?["since"]));
        }
    }

    private async Task ImportAsync(IEnumerable<object> statements)
    {
        var lines = string.Join("\n", statements.Select(s => JsonSerializer.Serialize(s, PositionsJson.Options)));
        var answer = await _client.PostRawAsync("/imports", lines, "application/x-ndjson");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Empty(answer.Json["rejected"]!.AsArray());
    }

    private static void AssertSameJson(JsonNode expected, JsonNode actual, string query) =>
        Assert.True(JsonNode.DeepEquals(expected, actual), $"?{query}\nexpected {expected.ToJsonString()}\nactual   {actual.ToJsonString()}");
}
