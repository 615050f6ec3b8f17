using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Positions.Api.Storage;

namespace Positions.Api.Tests.Integration;

[Collection(IntegrationCollection.Name)]
public class SeedTests(PositionsApp app)
{
    private const string Guarantees = "ukraine-postwar-security-guarantees";

    [Fact]
    public async Task us_shift_on_guarantees_is_a_full_flop_to_conditional_support()
    {
        var answer = await app.Client(null).GetJsonAsync($"/actors/us/positions/{Guarantees}");

        var current = answer.Json["current"]!;
        Assert.Equal("supports", (string?)current["stance"]);
        Assert.Equal("2025-08-19", (string?)current["since"]);
        Assert.Contains("tens of thousands of troops", (string?)current["conditions"]![0]);
        Assert.Equal("strongly-opposes", (string?)current["previous"]!["stance"]);
        Assert.Equal("full-flop", (string?)current["lastShift"]!["kind"]);
        Assert.Equal("2025-08-19", (string?)current["lastShift"]!["at"]);
    }

    [Fact]
    public async Task us_before_july_2025_ruled_out_guarantees()
    {
        var answer = await app.Client(null).GetJsonAsync($"/actors/us/positions/{Guarantees}?asOf=2025-06-30");

        var current = answer.Json["current"]!;
        Assert.Equal("strongly-opposes", (string?)current["stance"]);
        Assert.Equal("year", (string?)(await app.Client(null).GetJsonAsync($"/statements/{current["statementId"]}")).Json["saidAtPrecision"]);
        Assert.Single(answer.Json["history"]!.AsArray());
    }

    [Fact]
    public async Task trump_is_the_speaker_of_the_us_commitment_sourced_to_the_ft_via_anonymous_officials()
    {
        var statement = (await app.Client(null).GetJsonAsync("/statements/ft-2025-08-26-us-will-coordinate")).Json;

        Assert.Equal("donald-trump", (string?)statement["speaker"]!["actorId"]);
        Assert.Equal("Financial Times", (string?)statement["source"]!["outlet"]);
        Assert.Equal("anonymous-officials", (string?)statement["source"]!["attribution"]);
        Assert.Equal("seed", (string?)statement["recordedBy"]);
    }

    [Fact]
    public async Task germany_and_norway_support_air_defence_in_one_joint_statement_and_the_us_replaces_the_systems()
    {
        var map = (await app.Client(null).GetJsonAsync("/topics/ukraine-air-defence/positions")).Json["positions"]!.AsArray();

        var de = map.Single(p => (string?)p!["actor"] == "de")!;
        var no = map.Single(p => (string?)p!["actor"] == "no")!;
        Assert.Equal(("supports", "supports"), ((string?)de["stance"], (string?)no["stance"]));
        Assert.Equal((string?)de["statementId"], (string?)no["statementId"]);
        Assert.Equal("supports", (string?)map.Single(p => (string?)p!["actor"] == "us")!["stance"]);
    }

    [Fact]
    public async Task no_us_ground_troops_while_the_coalition_led_by_britain_and_france_backs_a_deployment()
    {
        var map = (await app.Client(null).GetJsonAsync("/topics/ukraine-ground-troops/positions")).Json["positions"]!.AsArray();

        var stances = map.ToDictionary(p => (string)p!["actor"]!, p => (string?)p!["stance"]);
        Assert.Equal("opposes", stances["us"]);
        Assert.Equal("supports", stances["gb"]);
        Assert.Equal("supports", stances["fr"]);
    }

    [Fact]
    public async Task zelenskyy_the_commission_and_the_pentagon_are_coded()
    {
        var map = (await app.Client(null).GetJsonAsync($"/topics/{Guarantees}/positions")).Json["positions"]!.AsArray();

        var stances = map.ToDictionary(p => (string)p!["actor"]!, p => (string?)p!["stance"]);
        Assert.Equal("strongly-supports", stances["ua"]);
        Assert.Equal("supports", stances["european-commission"]);
        Assert.Equal("neutral", stances["pentagon"]);
    }

    [Fact]
    public async Task loading_the_seeds_again_changes_nothing()
    {
        var seedFile = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(SeedLoader.Directory, "000_7b5fe780b854878b.json"), TestContext.Current.CancellationToken))!;
        var statementsInFile = seedFile["statements"]!.AsArray().Count;
        var eventsBefore = (await app.Client(null).GetJsonAsync("/actors/us/events?limit=1000")).Json["items"]!.AsArray().Count;

        var report = await app.Host.Services.GetRequiredService<SeedLoader>().LoadAsync(TestContext.Current.CancellationToken);

        Assert.Equal((0, statementsInFile), (report.Recorded, report.Unchanged));
        Assert.Empty(report.Problems);
        Assert.Equal(eventsBefore, (await app.Client(null).GetJsonAsync("/actors/us/events?limit=1000")).Json["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task countries_exist_without_registration_under_their_english_name()
    {
        var us = await app.Client(null).GetJsonAsync("/actors/us");

        Assert.Equal(HttpStatusCode.OK, us.Status);
        Assert.Equal("United States", (string?)us.Json["name"]);
        Assert.Equal("country", (string?)us.Json["kind"]);
    }
}
