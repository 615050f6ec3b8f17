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
    public async Task germany_and_norway_pledge_patriots_jointly_the_us_replaces_them_and_norway_covers_the_restoration()
    {
        var joint = (await app.Client(null).GetJsonAsync("/statements/ft-2025-08-26-germany-norway-supply-patriots")).Json;
        var map = (await app.Client(null).GetJsonAsync("/topics/ukraine-air-defence/positions")).Json["positions"]!.AsArray()
            .ToDictionary(p => (string)p!["actor"]!, p => ((string?)p!["stance"], (string?)p!["statementId"]));

        Assert.Equal(["de", "no"], joint["actors"]!.AsArray().Select(a => (string)a!));
        Assert.Equal("on-or-before", (string?)joint["saidAtPrecision"]);
        Assert.Equal(("supports", "ft-2025-08-26-germany-norway-supply-patriots"), map["de"]);
        Assert.Equal(("supports", "ft-2025-08-26-norway-covers-restoration-costs"), map["no"]);
        Assert.Equal(("supports", "ft-2025-08-26-us-replaces-patriots"), map["us"]);
    }

    [Fact]
    public async Task every_seed_statement_comes_from_a_sentence_of_its_article_word_for_word()
    {
        foreach (var file in Directory.GetFiles(SeedLoader.Directory, "*.json"))
        {
            var seed = JsonNode.Parse(await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken))!;
            var article = await File.ReadAllTextAsync(Path.Combine(SeedLoader.Directory, (string)seed["article"]!["file"]!), TestContext.Current.CancellationToken);
            foreach (var statement in seed["statements"]!.AsArray())
            {
                var sentences = (statement!["context"]?.AsArray().Select(c => (string)c!["sentence"]!) ?? [])
                    .Prepend((string)statement["sentence"]!);
                foreach (var sentence in sentences)
                    Assert.True(article.Contains(sentence, StringComparison.Ordinal),
                        $"{statement["statementId"]}: \"{sentence}\" is not in {seed["article"]!["file"]}");
            }
        }
    }

    [Fact]
    public async Task undated_statements_are_said_on_or_before_the_report_and_the_pentagon_is_paraphrased()
    {
        var pentagon = (await app.Client(null).GetJsonAsync("/statements/ft-2025-08-26-pentagon-preliminary-review")).Json;
        var coalition = (await app.Client(null).GetJsonAsync("/statements/ft-2025-08-26-coalition-developing-deployment")).Json;

        Assert.Null(pentagon["quote"]);
        Assert.Equal(("2025-08-26", "on-or-before"), ((string?)pentagon["saidAt"], (string?)pentagon["saidAtPrecision"]));
        Assert.Null(coalition["speaker"]!["actorId"]);
        Assert.Null(coalition["speaker"]!["role"]);
        Assert.Equal("Will this actor deploy its own ground troops to Ukraine after a peace settlement?",
            (string?)(await app.Client(null).GetJsonAsync("/topics/ukraine-ground-troops")).Json["question"]);
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
