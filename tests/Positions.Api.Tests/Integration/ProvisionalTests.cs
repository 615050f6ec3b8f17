using System.Net;
using System.Text.Json.Nodes;

namespace Positions.Api.Tests.Integration;

/// <summary>
/// Attribution strength: a run that rests only on anonymous officials or reports is provisional, in positions and in
/// shifts, until a firm source arrives, and from that source's recordedAt only.
/// </summary>
[Collection(IntegrationCollection.Name)]
public class ProvisionalTests(PositionsApp app)
{
    [Fact]
    public async Task the_seeds_us_shift_on_guarantees_rests_on_unnamed_officials_and_is_provisional()
    {
        var client = app.Client(null);
        var shift = (await client.GetJsonAsync("/shifts?actor=us&topic=ukraine-postwar-security-guarantees")).Json["items"]!.AsArray().Single()!;
        Assert.Equal(("full-flop", true, "anonymous-officials"), ((string)shift["kind"]!, (bool)shift["provisional"]!, (string)shift["attribution"]!));
        Assert.Empty((await client.GetJsonAsync("/shifts?actor=us&topic=ukraine-postwar-security-guarantees&firm=true")).Json["items"]!.AsArray());
        Assert.Single((await client.GetJsonAsync("/shifts?actor=us&topic=ukraine-postwar-security-guarantees&firm=false")).Json["items"]!.AsArray());

        var position = (await client.GetJsonAsync("/actors/us/positions/ukraine-postwar-security-guarantees?asOf=2025-12-31")).Json["current"]!;
        Assert.Equal((true, "anonymous-officials"), ((bool)position["provisional"]!, (string)position["attribution"]!));
        Assert.Equal((true, "reported"), ((bool)position["previous"]!["provisional"]!, (string)position["previous"]!["attribution"]!));
        // Ukraine's own words are on the record.
        var ukraine = (await client.GetJsonAsync("/topics/ukraine-postwar-security-guarantees/positions?asOf=2025-12-31")).Json["positions"]!
            .AsArray().Single(p => (string)p!["actor"]! == "ua")!;
        Assert.Equal((false, "on-record"), ((bool)ukraine["provisional"]!, (string)ukraine["attribution"]!));
    }

    [Fact]
    public async Task a_firm_source_added_later_makes_the_run_firm_from_its_recorded_at()
    {
        var client = app.Client();
        var (actor, topic) = (await Given.ActorAsync(client), await Given.TopicAsync(client));
        await client.PostJsonAsync("/statements", Given.Statement($"p1-{actor}", [actor], topic, "opposes", "2025-01-10"));
        var weak = await client.PostJsonAsync("/statements",
            Given.Statement($"p2-{actor}", [actor], topic, "supports", "2025-03-01", attribution: "anonymous-officials"));
        await client.PostJsonAsync("/statements",
            Given.Statement($"p3-{actor}", [actor], topic, "supports", "2025-03-05", attribution: "reported"));

        var before = await CurrentAsync(client, actor, topic, "");
        Assert.Equal((true, "anonymous-officials"), ((bool)before["provisional"]!, (string)before["attribution"]!));
        Assert.True((bool)before["lastShift"]!["provisional"]!);
        Assert.Equal((false, "on-record"), ((bool)before["previous"]!["provisional"]!, (string)before["previous"]!["attribution"]!));
        Assert.Empty((await client.GetJsonAsync($"/shifts?topic={topic}&firm=true")).Json["items"]!.AsArray());

        var sourced = await client.PostJsonAsync($"/statements/p3-{actor}/sources",
            new { outlet = "Reuters", attribution = "spokesperson", publishedAt = "2025-03-06" });
        Assert.Equal(HttpStatusCode.OK, sourced.Status);
        var after = await CurrentAsync(client, actor, topic, "");
        Assert.Equal((false, "spokesperson"), ((bool)after["provisional"]!, (string)after["attribution"]!));
        var shift = (await client.GetJsonAsync($"/shifts?topic={topic}&firm=true")).Json["items"]!.AsArray().Single()!;
        Assert.Equal(($"p2-{actor}", false, "spokesperson"), ((string)shift["to"]!["statementId"]!, (bool)shift["provisional"]!, (string)shift["attribution"]!));

        // As known before the source was recorded, still provisional.
        var knownBefore = await CurrentAsync(client, actor, topic, $"?knownAt={Uri.EscapeDataString((string)weak.Json["recordedAt"]!)}");
        Assert.True((bool)knownBefore["provisional"]!);
        // And as of a date before the firm statement was said, the run (then one weak statement) is provisional too.
        var asOfBefore = await CurrentAsync(client, actor, topic, "?asOf=2025-03-02");
        Assert.Equal((true, "anonymous-officials"), ((bool)asOfBefore["provisional"]!, (string)asOfBefore["attribution"]!));

        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetJsonAsync("/shifts?firm=maybe")).Status);
    }

    private static async Task<JsonNode> CurrentAsync(HttpClient client, string actor, string topic, string query) =>
        (await client.GetJsonAsync($"/actors/{actor}/positions/{topic}{query}")).Json["current"]!;
}
