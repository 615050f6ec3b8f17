using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Positions.Api.Positions;
using Positions.Api.Shared;

namespace Positions.Api.Tests.Integration;

/// <summary>
/// <c>GET /actors/{id}/positions</c> reads the last entries of each timeline and keeps its answers while the actor's
/// stream keeps its version: whatever it serves must be what a fold of the actor's events gives.
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

    private static string? Stance(JsonNode answer, string topic) =>
        (string?)answer["positions"]!.AsArray().SingleOrDefault(p => (string?)p!["topic"] == topic)?["stance"];

    [Fact]
    public async Task a_new_statement_changes_the_answer_read_just_before_it()
    {
        var (actor, topic) = (await Given.ActorAsync(_client), await Given.TopicAsync(_client));
        await RecordAsync(PositionsApp.UniqueId("st"), [actor], topic, "opposes", "2025-01-01");
        var first = await PositionsAsync(actor);
        var again = await PositionsAsync(actor);

        await RecordAsync(PositionsApp.UniqueId("st"), [actor], topic, "supports", "2025-02-01");
        var after = await PositionsAsync(actor);

        Assert.Equal(("opposes", "opposes"), (Stance(first, topic), Stance(again, topic)));
        Assert.True(DateTimeOffset.Parse((string)again["knownAt"]!) > DateTimeOffset.Parse((string)first["knownAt"]!));
        Assert.Equal((string?)again["knownAt"], (string?)again["asOf"]);
        Assert.Equal(("supports", "full-flop"), (Stance(after, topic), (string?)after["positions"]![0]!["lastShift"]!["kind"]));
    }

    [Fact]
    public async Task a_late_statement_changes_answers_about_the_past_read_just_before_it()
    {
        var (actor, topic) = (await Given.ActorAsync(_client), await Given.TopicAsync(_client));
        await RecordAsync(PositionsApp.UniqueId("st"), [actor], topic, "opposes", "2025-01-01");
        var tomorrow = DateOrInstant.FormatInstant(DateOrInstant.Truncate(DateTimeOffset.UtcNow.AddDays(1)));
        string[] queries = ["asOf=2025-03-01", $"asOf=2025-03-01&knownAt={tomorrow}", $"knownAt={tomorrow}"];
        foreach (var query in queries) Assert.Equal("opposes", Stance(await PositionsAsync(actor, query), topic));

        await RecordAsync(PositionsApp.UniqueId("late"), [actor], topic, "supports", "2025-02-01");

        foreach (var query in queries) Assert.Equal("supports", Stance(await PositionsAsync(actor, query), topic));
    }

    [Fact]
    public async Task correcting_a_joint_statement_changes_the_other_holders_answer()
    {
        var (first, second, topic) = (await Given.ActorAsync(_client), await Given.ActorAsync(_client), await Given.TopicAsync(_client));
        var joint = PositionsApp.UniqueId("joint");
        await RecordAsync(PositionsApp.UniqueId("st"), [second], topic, "opposes", "2025-01-01");
        await RecordAsync(joint, [first, second], topic, "supports", "2025-02-01");
        Assert.Equal("supports", Stance(await PositionsAsync(second), topic));

        var corrected = await _client.PostJsonAsync($"/statements/{joint}/corrections", new { changes = new { stance = "strongly-opposes" } });

        Assert.Equal(HttpStatusCode.OK, corrected.Status);
        var after = (await PositionsAsync(second))["positions"]![0]!;
        Assert.Equal(("strongly-opposes", "half-flip", joint), ((string?)after["stance"], (string?)after["lastShift"]!["kind"], (string?)after["statementId"]));
        Assert.Equal("strongly-opposes", Stance(await PositionsAsync(first), topic));
    }

    [Fact]
    public async Task retracting_a_joint_statement_changes_the_other_holders_answer()
    {
        var (first, second, topic) = (await Given.ActorAsync(_client), await Given.ActorAsync(_client), await Given.TopicAsync(_client));
        var (other, joint) = (await Given.TopicAsync(_client), PositionsApp.UniqueId("joint"));
        await RecordAsync(PositionsApp.UniqueId("st"), [second], other, "neutral", "2025-01-01");
        await RecordAsync(joint, [first, second], topic, "supports", "2025-02-01");
        Assert.Equal("supports", Stance(await PositionsAsync(second), topic));

        var retracted = await _client.PostJsonAsync($"/statements/{joint}/retraction", new { reason = "the outlet withdrew the report" });

        Assert.Equal(HttpStatusCode.OK, retracted.Status);
        var after = await PositionsAsync(second);
        Assert.Equal([other], after["positions"]!.AsArray().Select(p => (string?)p!["topic"]));
        Assert.Empty((await PositionsAsync(first))["positions"]!.AsArray());
    }

    [Fact]
    public async Task a_write_through_another_instance_is_seen_at_once()
    {
        var (actor, topic) = (await Given.ActorAsync(_client), await Given.TopicAsync(_client));
        await RecordAsync(PositionsApp.UniqueId("st"), [actor], topic, "opposes", "2025-01-01");
        Assert.Equal("opposes", Stance(await PositionsAsync(actor), topic));
        await using var other = await HostFactory.StartAsync(app.ConnectionString);

        var written = await other.Client().PostJsonAsync("/statements",
            Given.Statement(PositionsApp.UniqueId("st"), [actor], topic, "supports", "2025-02-01"));

        Assert.Equal(HttpStatusCode.Created, written.Status);
        Assert.Equal("supports", Stance(await PositionsAsync(actor), topic));
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
        var runLength = 2 * TimelineTails.Length + 4;
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

    [Fact]
    public async Task an_answer_read_while_the_revisions_lack_an_event_is_not_kept()
    {
        var (actor, topic) = (await Given.ActorAsync(_client), await Given.TopicAsync(_client));
        var later = PositionsApp.UniqueId("later");
        await RecordAsync(PositionsApp.UniqueId("st"), [actor], topic, "opposes", "2025-01-01");
        await RecordAsync(later, [actor], topic, "supports", "2025-02-01");

        // As halfway through a rebuild: the stream holds both events, the revisions table the first only.
        await MoveRevisionsAsync(later, from: actor, to: actor + "-aside");
        Assert.Equal("opposes", Stance(await PositionsAsync(actor), topic));
        await MoveRevisionsAsync(later, from: actor + "-aside", to: actor);

        Assert.Equal("supports", Stance(await PositionsAsync(actor), topic));
    }

    private async Task ImportAsync(IEnumerable<object> statements)
    {
        var lines = string.Join("\n", statements.Select(s => JsonSerializer.Serialize(s, PositionsJson.Options)));
        var answer = await _client.PostRawAsync("/imports", lines, "application/x-ndjson");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Empty(answer.Json["rejected"]!.AsArray());
    }

    private async Task MoveRevisionsAsync(string statementId, string from, string to)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("update positions_revisions set actor = $1 where actor = $2 and statement_id = $3", connection)
        {
            Parameters = { new() { Value = to }, new() { Value = from }, new() { Value = statementId } },
        };
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private static void AssertSameJson(JsonNode expected, JsonNode actual, string query) =>
        Assert.True(JsonNode.DeepEquals(expected, actual), $"?{query}\nexpected {expected.ToJsonString()}\nactual   {actual.ToJsonString()}");
}
