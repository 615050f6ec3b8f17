using System.Text.Json;
using System.Text.Json.Nodes;

namespace Positions.Api.Tests.Integration;

[Collection(IntegrationCollection.Name)]
public class ImportCommandTests(PositionsApp app)
{
    [Fact]
    public async Task the_import_command_records_a_file_in_batches_with_progress_and_the_report_of_the_api()
    {
        var client = app.Client();
        var (actor, topic) = (await Given.ActorAsync(client), await Given.TopicAsync(client));
        string Line(int i, string stance = "supports") => JsonSerializer.Serialize(
            Given.Statement($"cli{i}-{actor}", [actor], topic, stance, $"20{10 + i % 15}-01-{1 + i % 28:00}"), Api.Shared.PositionsJson.Options);
        // 2,500 lines (three batches), one line that is not JSON, one re-sent line.
        var lines = Enumerable.Range(0, 2500).Select(i => Line(i, i % 3 == 0 ? "opposes" : "supports"))
            .Append("{ not json").Append(Line(7, "supports")).ToList();
        var file = Path.Combine(Path.GetTempPath(), $"positions-import-{actor}.ndjson");
        await File.WriteAllLinesAsync(file, lines);

        var first = await Cli.RunAsync(app.ConnectionString, "import", file, "--recorded-by", "desk-cli");
        var again = await Cli.RunAsync(app.ConnectionString, "import", file, "--recorded-by", "desk-cli");

        Assert.True(first.ExitCode == 1, first.Errors); // 1: some lines were rejected
        var report = JsonNode.Parse(first.Output)!;
        Assert.Equal((2500, 1), (report["recorded"]!.GetValue<int>(), report["unchanged"]!.GetValue<int>()));
        Assert.Equal(2501, Assert.Single(report["rejected"]!.AsArray())!["line"]!.GetValue<int>());
        Assert.Contains("lines/s", first.Errors);
        Assert.Contains("done in", first.Errors);
        var againReport = JsonNode.Parse(again.Output)!;
        Assert.Equal((0, 2501), (againReport["recorded"]!.GetValue<int>(), againReport["unchanged"]!.GetValue<int>()));

        var statement = (await client.GetJsonAsync($"/statements/cli7-{actor}")).Json;
        Assert.Equal("desk-cli", (string?)statement["recordedBy"]);
        Assert.Equal("supports", (string?)statement["stance"]);
        var versions = new List<long>();
        for (var page = $"/actors/{actor}/events?limit=1000"; page is not null;)
        {
            var json = (await client.GetJsonAsync(page)).Json;
            versions.AddRange(json["items"]!.AsArray().Select(e => (long)e!["version"]!));
            page = json["next"] is { } next ? $"/actors/{actor}/events?limit=1000&after={Uri.EscapeDataString((string)next!)}" : null;
        }
        Assert.Equal(Enumerable.Range(1, 2500).Select(v => (long)v), versions);
        File.Delete(file);
    }

    [Fact]
    public async Task the_import_command_names_a_missing_file()
    {
        var result = await Cli.RunAsync(app.ConnectionString, "import", "/no/such/file.ndjson");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("No file '/no/such/file.ndjson'", result.Errors);
    }
}
