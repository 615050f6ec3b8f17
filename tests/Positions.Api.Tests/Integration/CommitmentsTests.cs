using System.Net;
using System.Text.Json.Nodes;

namespace Positions.Api.Tests.Integration;

/// <summary>The commitment ladder through HTTP: the seed's Patriot pledges, and corrections and retractions applied.</summary>
[Collection(IntegrationCollection.Name)]
public class CommitmentsTests(PositionsApp app)
{
    [Fact]
    public async Task the_seeds_patriot_pledges_are_on_germany_norway_and_the_us()
    {
        var client = app.Client(null);
        foreach (var actor in new[] { "de", "no" })
        {
            var items = (await client.GetJsonAsync($"/actors/{actor}/commitments?asOf=2025-09-30")).Json["items"]!.AsArray();
            var patriots = items.Single(i => (string)i!["item"]! == "Patriot air defence system")!;
            Assert.Equal(("ukraine-air-defence", 2m, "ft-2025-08-26-germany-norway-supply-patriots"),
                ((string)patriots["topic"]!, (decimal)patriots["pledged"]!["quantity"]!, (string)patriots["pledged"]!["statementId"]!));
            Assert.Null(patriots["delivered"]);
            Assert.Equal(2m, (decimal)patriots["outstanding"]!);
            Assert.Equal(35, (int)patriots["daysOutstanding"]!);
        }
        var norway = (await client.GetJsonAsync("/actors/no/commitments?asOf=2025-09-30")).Json["items"]!.AsArray();
        Assert.Contains(norway, i => (string)i!["item"]! == "Restoration costs of the Patriot systems" && i["pledged"]!["quantity"] is null);
        var us = (await client.GetJsonAsync("/actors/us/commitments?asOf=2025-09-30")).Json["items"]!.AsArray().Single()!;
        Assert.Equal(("Patriot air defence system", 2m), ((string)us["item"]!, (decimal)us["pledged"]!["quantity"]!));
        // Before it was said, nothing.
        Assert.Empty((await client.GetJsonAsync("/actors/us/commitments?asOf=2025-08-01")).Json["items"]!.AsArray());
        var statement = (await client.GetJsonAsync("/statements/ft-2025-08-26-germany-norway-supply-patriots")).Json;
        Assert.Equal((685000000m, "USD"), ((decimal)statement["commitment"]!["value"]!["amount"]!, (string)statement["commitment"]!["value"]!["currency"]!));
    }

    [Fact]
    public async Task deliveries_corrections_and_retractions_move_the_ladder_as_known_at_each_instant()
    {
        var client = app.Client();
        var (actor, topic) = (await Given.ActorAsync(client), await Given.TopicAsync(client));
        await Committing(client, $"c1-{actor}", actor, topic, "2025-01-10", new { stage = "pledged", item = "Shells", quantity = 1000 });
        await Committing(client, $"c2-{actor}", actor, topic, "2025-02-10", new { stage = "delivered", item = "shells", quantity = 400 });
        var last = await Committing(client, $"c3-{actor}", actor, topic, "2025-03-10", new { stage = "delivered", item = "Shells", quantity = 100 });

        Assert.Equal((1000m, 500m, 500m), Ladder(await ItemAsync(client, actor, "")));
        await client.PostJsonAsync($"/statements/c3-{actor}/retraction", new { reason = "never arrived" });
        var corrected = await client.PostJsonAsync($"/statements/c1-{actor}/corrections", new { changes = new { commitment = new { quantity = 1200 } } });
        Assert.Equal(HttpStatusCode.OK, corrected.Status);
        Assert.Equal((1200m, 400m, 800m), Ladder(await ItemAsync(client, actor, "")));
        // As known before the correction and the retraction; and as of a date before any delivery.
        Assert.Equal((1000m, 500m, 500m), Ladder(await ItemAsync(client, actor, $"?knownAt={Uri.EscapeDataString((string)last.Json["recordedAt"]!)}")));
        var early = await ItemAsync(client, actor, "?asOf=2025-01-31");
        Assert.Null(early["delivered"]);
        Assert.Equal(21, (int)early["daysOutstanding"]!);
    }

    [Theory]
    [InlineData("""{ "item": "Shells" }""", "commitment.stage")]
    [InlineData("""{ "stage": "promised", "item": "Shells" }""", "commitment.stage")]
    [InlineData("""{ "stage": "pledged" }""", "commitment.item")]
    [InlineData("""{ "stage": "pledged", "item": "Shells", "quantity": 0 }""", "commitment.quantity")]
    [InlineData("""{ "stage": "pledged", "item": "Shells", "quantity": "two" }""", "commitment.quantity")]
    [InlineData("""{ "stage": "pledged", "item": "Shells", "value": { "amount": 5 } }""", "commitment.value.currency")]
    [InlineData("""{ "stage": "pledged", "item": "Shells", "value": { "currency": "USD" } }""", "commitment.value.amount")]
    [InlineData("""{ "stage": "pledged", "item": "Shells", "value": { "amount": -1, "currency": "usd" } }""", "commitment.value.amount")]
    public async Task a_commitment_is_validated_whole_field_by_field(string commitment, string field)
    {
        var client = app.Client();
        var actor = await Given.ActorAsync(client);
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Given.Statement(PositionsApp.UniqueId("v"), [actor], "ukraine-air-defence", "supports", "2025-01-01")))!;
        body["commitment"] = JsonNode.Parse(commitment);
        var answer = await client.PostRawAsync("/statements", body.ToJsonString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        Assert.NotNull(answer.Json["errors"]![field]);
    }

    private static async Task<Answer> Committing(HttpClient client, string id, string actor, string topic, string saidAt, object commitment)
    {
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Given.Statement(id, [actor], topic, "supports", saidAt)))!;
        body["commitment"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(commitment));
        var answer = await client.PostRawAsync("/statements", body.ToJsonString());
        Assert.Equal(HttpStatusCode.Created, answer.Status);
        return answer;
    }

    private static async Task<JsonNode> ItemAsync(HttpClient client, string actor, string query) =>
        (await client.GetJsonAsync($"/actors/{actor}/commitments{query}")).Json["items"]!.AsArray().Single()!;

    private static (decimal, decimal, decimal) Ladder(JsonNode item) =>
        ((decimal)item["pledged"]!["quantity"]!, (decimal)item["delivered"]!["quantity"]!, (decimal)item["outstanding"]!);
}
