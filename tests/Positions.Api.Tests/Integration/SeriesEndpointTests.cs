using System.Net;

namespace Positions.Api.Tests.Integration;

[Collection(IntegrationCollection.Name)]
public class SeriesEndpointTests(PositionsApp app)
{
    [Fact]
    public async Task the_seed_gives_the_us_minus_two_from_january_to_july_and_plus_one_from_august()
    {
        var client = app.Client(null);
        var series = (await client.GetJsonAsync("/topics/ukraine-postwar-security-guarantees/series?from=2025-01-01&to=2025-12-31&step=month")).Json;

        Assert.Equal("ukraine-postwar-security-guarantees", (string)series["topic"]!);
        Assert.Equal(["2025-01-31", "2025-02-28", "2025-03-31", "2025-04-30", "2025-05-31", "2025-06-30", "2025-07-31", "2025-08-31",
            "2025-09-30", "2025-10-31", "2025-11-30", "2025-12-31"], series["steps"]!.AsArray().Select(s => (string)s!));
        var us = series["actors"]!.AsArray().Single(a => (string)a!["actor"]! == "us")!;
        Assert.Equal([-2, -2, -2, -2, -2, -2, -2, 1, 1, 1, 1, 1], us["scores"]!.AsArray().Select(s => (int)s!));
        Assert.All(us["provisional"]!.AsArray(), p => Assert.True((bool)p!));
        var ukraine = series["actors"]!.AsArray().Single(a => (string)a!["actor"]! == "ua")!;
        Assert.Equal([null, null, null, null, null, null, null, 2, 2, 2, 2, 2], ukraine["scores"]!.AsArray().Select(s => (int?)s));
        Assert.Equal([null, null, null, null, null, null, null, false, false, false, false, false],
            ukraine["provisional"]!.AsArray().Select(p => (bool?)p));
        Assert.Equal(series["actors"]!.AsArray().Select(a => (string)a!["actor"]!).Order(StringComparer.Ordinal),
            series["actors"]!.AsArray().Select(a => (string)a!["actor"]!));
    }

    [Fact]
    public async Task a_later_statement_moves_only_the_steps_after_it_and_knownAt_hides_it()
    {
        var client = app.Client();
        var (actor, topic) = (await Given.ActorAsync(client), await Given.TopicAsync(client));
        var first = await client.PostJsonAsync("/statements", Given.Statement($"s1-{actor}", [actor], topic, "opposes", "2025-01-03"));
        await client.PostJsonAsync("/statements", Given.Statement($"s2-{actor}", [actor], topic, "supports", "2025-01-15"));

        var weekly = (await client.GetJsonAsync($"/topics/{topic}/series?from=2024-12-30&to=2025-01-26&step=week")).Json;
        Assert.Equal([-1, -1, 1, 1], weekly["actors"]!.AsArray().Single()!["scores"]!.AsArray().Select(s => (int)s!));
        var before = (await client.GetJsonAsync(
            $"/topics/{topic}/series?from=2024-12-30&to=2025-01-26&step=week&knownAt={Uri.EscapeDataString((string)first.Json["recordedAt"]!)}")).Json;
        Assert.Equal([-1, -1, -1, -1], before["actors"]!.AsArray().Single()!["scores"]!.AsArray().Select(s => (int)s!));
    }

    [Theory]
    [InlineData("?to=2025-12-31", "from")]
    [InlineData("?from=2025-12-31&to=2025-01-01", "from")]
    [InlineData("?from=2020-01-01&to=2025-12-31&step=day", "step")]
    [InlineData("?from=2025-01-01&step=fortnight", "step")]
    [InlineData("?from=yesterday", "from")]
    public async Task a_series_that_cannot_be_drawn_is_a_400_naming_the_parameter(string query, string parameter)
    {
        var answer = await app.Client(null).GetJsonAsync($"/topics/ukraine-postwar-security-guarantees/series{query}");
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.NotNull(answer.Json["errors"]![parameter]);
    }

    [Fact]
    public async Task an_unknown_topic_is_404() =>
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client(null).GetJsonAsync("/topics/no-such-topic/series?from=2025-01-01")).Status);
}
