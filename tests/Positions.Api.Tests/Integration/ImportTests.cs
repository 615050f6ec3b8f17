using System.Net;
using System.Text.Json;

namespace Positions.Api.Tests.Integration;

[Collection(IntegrationCollection.Name)]
public class ImportTests(PositionsApp app)
{
    [Fact]
    public async Task an_import_records_valid_lines_reports_invalid_ones_and_is_idempotent()
    {
        var client = app.Client();
        var (actor, topic) = (await Given.ActorAsync(client), await Given.TopicAsync(client));
        string Line(object body) => JsonSerializer.Serialize(body, Api.Shared.PositionsJson.Options);
        var lines = new[]
        {
            Line(Given.Statement($"i1-{actor}", [actor], topic, "opposes", "2025-01-01")),
            Line(Given.Statement($"i2-{actor}", [actor], topic, "supports", "2025-02-01")),
            "{ this is not json",
            "",
            Line(Given.Statement($"i3-{actor}", [actor], "no-such-topic", "supports", "2025-03-01")),
            Line(Given.Statement($"i4-{actor}", [actor], topic, "maybe", "2025-03-01")),
            Line(Given.Statement($"i1-{actor}", [actor], topic, "opposes", "2025-01-01")),
        };
        var ndjson = string.Join("\n", lines) + "\n";

        var first = await client.PostRawAsync("/imports", ndjson, "application/x-ndjson");
        var again = await client.PostRawAsync("/imports", ndjson, "application/x-ndjson");

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal((2, 1), (first.Json["recorded"]!.GetValue<int>(), first.Json["unchanged"]!.GetValue<int>()));
        Assert.Equal([3, 5, 6], first.Json["rejected"]!.AsArray().Select(r => r!["line"]!.GetValue<int>()));
        Assert.NotNull(first.Json["rejected"]![1]!["errors"]!["topic"]);
        Assert.NotNull(first.Json["rejected"]![2]!["errors"]!["stance"]);
        Assert.Equal((0, 3), (again.Json["recorded"]!.GetValue<int>(), again.Json["unchanged"]!.GetValue<int>()));
        Assert.Equal(2, (await client.GetJsonAsync($"/actors/{actor}/events")).Json["items"]!.AsArray().Count);
        Assert.Equal("supports", (string?)(await client.GetJsonAsync($"/actors/{actor}/positions/{topic}")).Json["current"]!["stance"]);
    }

    [Fact]
    public async Task an_import_longer_than_the_request_timeout_still_completes()
    {
        await using var host = await HostFactory.StartAsync(app.ConnectionString, ("Positions:Limits:RequestTimeoutSeconds", "1"));
        var client = host.Client();
        var (actor, topic) = (await Given.ActorAsync(client), await Given.TopicAsync(client));
        var lines = Enumerable.Range(0, 4000).Select(i =>
            JsonSerializer.Serialize(Given.Statement($"t{i}-{actor}", [actor], topic, "supports", "2025-01-01"), Api.Shared.PositionsJson.Options));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var answer = await client.PostRawAsync("/imports", string.Join("\n", lines), "application/x-ndjson");

        Assert.True(watch.Elapsed > TimeSpan.FromSeconds(1), $"the import took only {watch.Elapsed}; make it longer than the timeout");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(4000, answer.Json["recorded"]!.GetValue<int>());
    }

    [Fact]
    public async Task an_import_line_with_an_id_recorded_with_other_content_is_rejected()
    {
        var client = app.Client();
        var (actor, topic) = (await Given.ActorAsync(client), await Given.TopicAsync(client));
        await client.PostJsonAsync("/statements", Given.Statement($"c1-{actor}", [actor], topic, "opposes", "2025-01-01"));

        var answer = await client.PostRawAsync("/imports",
            JsonSerializer.Serialize(Given.Statement($"c1-{actor}", [actor], topic, "supports", "2025-01-01"), Api.Shared.PositionsJson.Options),
            "application/x-ndjson");

        Assert.Equal(0, answer.Json["recorded"]!.GetValue<int>());
        Assert.NotNull(answer.Json["rejected"]![0]!["errors"]!["statementId"]);
    }
}
