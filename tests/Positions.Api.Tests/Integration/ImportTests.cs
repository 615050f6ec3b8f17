using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

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

        // The body arrives in four parts 0.5 s apart, as from a slow client: the import outlives the 1 s timeout.
        using var response = await client.PostAsync("/imports", new SlowContent(lines.Chunk(1000), TimeSpan.FromMilliseconds(500)));
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.True(watch.Elapsed > TimeSpan.FromSeconds(1), $"the import took only {watch.Elapsed}; make it longer than the timeout");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(4000, answer["recorded"]!.GetValue<int>());
    }

    /// <summary>NDJSON sent part by part with a pause before each part.</summary>
    private sealed class SlowContent(IEnumerable<string[]> parts, TimeSpan pause) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            foreach (var part in parts)
            {
                await Task.Delay(pause);
                await stream.WriteAsync(Encoding.UTF8.GetBytes(string.Join("\n", part) + "\n"));
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
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
