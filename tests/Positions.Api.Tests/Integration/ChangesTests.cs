using System.Net;
using System.Text.Json.Nodes;

namespace Positions.Api.Tests.Integration;

/// <summary>GET /changes: what the record learned between two instants, and the shifts that came and went.</summary>
[Collection(IntegrationCollection.Name)]
public class ChangesTests(PositionsApp app)
{
    [Fact]
    public async Task a_week_of_writes_lists_each_revision_once_and_the_shifts_that_appeared_and_vanished()
    {
        var client = app.Client();
        var (a, b, topic) = (await Given.ActorAsync(client), await Given.ActorAsync(client), await Given.TopicAsync(client));
        await client.PostJsonAsync("/statements", Given.Statement($"w1-{a}", [a], topic, "opposes", "2025-01-01"));
        var before = await client.PostJsonAsync("/statements", Given.Statement($"w2-{a}", [a], topic, "supports", "2025-02-01"));
        var since = (string)before.Json["recordedAt"]!;

        await client.PostJsonAsync($"/statements/w2-{a}/retraction", new { reason = "withdrawn" });
        await client.PostJsonAsync("/statements", Given.Statement($"w3-{a}", [a, b], topic, "strongly-supports", "2025-03-01"));
        await client.PostJsonAsync($"/statements/w1-{a}/sources", new { outlet = "AP", attribution = "reported" });

        var changes = (await client.GetJsonAsync($"/changes?since={Uri.EscapeDataString(since)}")).Json;
        var items = Ours(changes, a);
        Assert.Equal([("retracted", $"w2-{a}"), ("recorded", $"w3-{a}"), ("sourced", $"w1-{a}")],
            items.Select(i => ((string)i["kind"]!, (string)i["statementId"]!)));
        Assert.Equal([a, b], items[1]["actors"]!.AsArray().Select(x => (string)x!));
        Assert.All(items, i => Assert.Equal((topic, PositionsApp.WriterName), ((string)i["topic"]!, (string)i["recordedBy"]!)));

        // The retraction took the shift w1 -> w2 away; the new statement made w1 -> w3 (for a) and nothing for b (its first).
        var appeared = changes["shifts"]!["appeared"]!.AsArray().Where(s => (string)s!["topic"]! == topic).ToList();
        var vanished = changes["shifts"]!["vanished"]!.AsArray().Where(s => (string)s!["topic"]! == topic).ToList();
        Assert.Equal([(a, "full-flop", $"w1-{a}", $"w3-{a}")], appeared.Select(Shift));
        Assert.Equal([(a, "full-flop", $"w1-{a}", $"w2-{a}")], vanished.Select(Shift));

        // Until an instant before the retraction: nothing yet.
        var early = (await client.GetJsonAsync($"/changes?since={Uri.EscapeDataString(since)}&until={Uri.EscapeDataString(since)}")).Json;
        Assert.Empty(early["items"]!.AsArray());
        Assert.Empty(early["shifts"]!["appeared"]!.AsArray());

        // Paged: the items go on, the shifts come with the first page.
        var first = (await client.GetJsonAsync($"/changes?since={Uri.EscapeDataString(since)}&limit=1")).Json;
        var second = (await client.GetJsonAsync($"/changes?since={Uri.EscapeDataString(since)}&limit=1&after={first["next"]}")).Json;
        Assert.NotEqual((string)first["items"]![0]!["statementId"]!, (string)second["items"]![0]!["statementId"]!);
        Assert.Empty(second["shifts"]!["appeared"]!.AsArray());
    }

    [Theory]
    [InlineData("", "since")]
    [InlineData("?since=2030-01-01&until=2025-01-01", "since")]
    [InlineData("?since=last-week", "since")]
    public async Task an_interval_that_cannot_be_read_is_a_400_naming_the_parameter(string query, string parameter)
    {
        var answer = await app.Client(null).GetJsonAsync($"/changes{query}");
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.NotNull(answer.Json["errors"]![parameter]);
    }

    private static List<JsonNode> Ours(JsonNode changes, string actor) =>
        changes["items"]!.AsArray().Select(i => i!).Where(i => ((string)i["statementId"]!).EndsWith(actor)).ToList();

    private static (string, string, string, string) Shift(JsonNode? s) =>
        ((string)s!["actor"]!, (string)s["kind"]!, (string)s["from"]!["statementId"]!, (string)s["to"]!["statementId"]!);
}
