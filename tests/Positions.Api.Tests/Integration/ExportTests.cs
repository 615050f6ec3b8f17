using System.Net;
using System.Text.Json.Nodes;
using Positions.Api.Tests.Resilience;

namespace Positions.Api.Tests.Integration;

/// <summary>
/// The exports: <c>/statements.ndjson</c> imports into an empty instance and gives the same positions and shifts;
/// <c>/positions.csv</c> and <c>/shifts.csv</c> hold the rows the JSON reads hold, RFC 4180 quoted.
/// </summary>
[Collection(IntegrationCollection.Name)]
public class ExportTests(PositionsApp app)
{
    [Fact]
    public async Task an_export_imported_into_an_empty_instance_gives_the_same_positions_and_shifts()
    {
        var client = app.Client();
        var (a, b, topic) = (await Given.ActorAsync(client), await Given.ActorAsync(client), await Given.TopicAsync(client));
        var other = await Given.TopicAsync(client);
        await client.PostJsonAsync("/statements", Given.Statement($"x1-{a}", [a, b], topic, "opposes", "2025-01-10"));
        await client.PostJsonAsync("/statements", Given.Statement($"x2-{a}", [a], topic, "supports", "2025-03-01", conditions: ["if-europe-sends-troops"]));
        await client.PostJsonAsync("/statements", Given.Statement($"x3-{a}", [b], topic, "strongly-supports", "2025-04-01"));
        await client.PostJsonAsync("/statements", Given.Statement($"x4-{a}", [b], topic, "opposes", "2025-05-01"));
        await client.PostJsonAsync($"/statements/x3-{a}/corrections", new { changes = new { stance = "neutral", summary = "a \"quoted\", comma'd\nsummary" } });
        await client.PostJsonAsync($"/statements/x4-{a}/retraction", new { reason = "withdrawn" });
        await client.PostJsonAsync("/statements", Given.Statement($"x5-{a}", [a], other, "neutral", "2025-02-01"));

        var export = await client.GetAsync($"/statements.ndjson?topic={topic}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("application/x-ndjson", export.Content.Headers.ContentType!.MediaType);
        var lines = (await export.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var exported = lines.Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal([$"x1-{a}", $"x2-{a}", $"x3-{a}", $"x4-{a}"], exported.Select(l => (string)l["statementId"]!));
        Assert.Equal("neutral", (string)exported[2]["stance"]!);
        Assert.True((bool)exported[3]["retracted"]!);

        await using var empty = await TestDatabase.StartAsync();
        await using var service = await ServiceProcess.StartAsync(empty.ConnectionString);
        using var target = service.Client();
        foreach (var actor in new[] { a, b })
            Assert.Equal(HttpStatusCode.Created, (await target.PostJsonAsync("/actors", new { id = actor, name = "An actor", kind = "organisation" })).Status);
        Assert.Equal(HttpStatusCode.Created, (await target.PostJsonAsync("/topics", new { id = topic, title = "A question", question = "Will it?" })).Status);
        var imported = await target.PostRawAsync("/imports", string.Join('\n', lines), "application/x-ndjson");
        Assert.Equal((4, 0), ((int)imported.Json["recorded"]!, imported.Json["rejected"]!.AsArray().Count));

        foreach (var read in new[] { $"/topics/{topic}/positions", $"/actors/{a}/positions/{topic}", $"/actors/{b}/positions/{topic}" })
            Assert.Equal(Without((await client.GetJsonAsync(read)).Json, "asOf", "knownAt").ToJsonString(),
                Without((await target.GetJsonAsync(read)).Json, "asOf", "knownAt").ToJsonString());
        Assert.Equal((await client.GetJsonAsync($"/shifts?topic={topic}")).Json.ToJsonString(),
            (await target.GetJsonAsync($"/shifts?topic={topic}")).Json.ToJsonString());
        // The export of the copy is the export of the original, but for who recorded it and when.
        var again = (await target.GetAsync($"/statements.ndjson?topic={topic}", TestContext.Current.CancellationToken));
        var copied = (await again.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(exported.Select(l => Without(l, "recordedAt", "recordedBy", "revision").ToJsonString()),
            copied.Select(l => Without(JsonNode.Parse(l)!, "recordedAt", "recordedBy", "revision").ToJsonString()));
    }

    [Fact]
    public async Task positions_and_shifts_as_csv_hold_the_rows_of_the_json_reads()
    {
        var client = app.Client();
        var (a, topic) = (await Given.ActorAsync(client), await Given.TopicAsync(client));
        await client.PostJsonAsync("/statements", Given.Statement($"c1-{a}", [a], topic, "opposes", "2025-01-10"));
        var written = await client.PostJsonAsync("/statements", Given.Statement($"c2-{a}", [a], topic, "supports", "2025-03-01",
            conditions: ["if-europe-sends-troops", "if-a-ceasefire-holds"]));

        var positions = await CsvAsync(client, $"/positions.csv?actor={a}");
        Assert.Equal("actor,topic,stance,score,conditions,since,lastStatedAt,statementId,provisional,attribution,asOf,knownAt", positions[0]);
        var row = positions[1].Split(',');
        Assert.Equal([a, topic, "supports", "1", "if-europe-sends-troops;if-a-ceasefire-holds", "2025-03-01", "2025-03-01", $"c2-{a}",
            "false", "on-record"], row[..10]);
        Assert.Equal(2, positions.Length);
        // As known before the second statement: the first one's position.
        var before = await CsvAsync(client, $"/positions.csv?topic={topic}&knownAt={Earlier((string)written.Json["recordedAt"]!)}");
        Assert.Equal([a, topic, "opposes"], before[1].Split(',')[..3]);

        var shifts = await CsvAsync(client, $"/shifts.csv?topic={topic}");
        Assert.Equal("actor,topic,kind,at,fromStance,fromSaidAt,fromStatementId,toStance,toStatementId,provisional,attribution", shifts[0]);
        Assert.Equal($"{a},{topic},full-flop,2025-03-01,opposes,2025-01-10,c1-{a},supports,c2-{a},false,on-record", shifts[1]);
        Assert.Equal((await client.GetJsonAsync($"/shifts?topic={topic}")).Json["items"]!.AsArray().Count, shifts.Length - 1);

        var bad = await client.GetJsonAsync("/shifts.csv?kind=no-flip&from=yesterday");
        Assert.Equal((HttpStatusCode.BadRequest, "application/problem+json"), (bad.Status, bad.Response.Content.Headers.ContentType!.MediaType));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetJsonAsync("/positions.csv?actor=Not%20A%20Slug")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetJsonAsync("/statements.ndjson?knownAt=soon")).Status);
    }

    [Fact]
    public async Task the_plover_export_has_one_event_record_per_holder_typed_by_commitment_then_stance()
    {
        var client = app.Client(null);
        var answer = await client.GetAsync("/statements.plover.json?topic=ukraine-air-defence", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var records = JsonNode.Parse(await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!.AsArray();
        var joint = records.Where(r => (string)r!["statementId"]! == "ft-2025-08-26-germany-norway-supply-patriots").ToList();
        Assert.Equal(["de", "no"], joint.Select(r => (string)r!["actor"]!));
        Assert.All(joint, r => Assert.Equal(("AGREE", "pledge", null, "2025-08-26", "on-or-before", "official-statement", "Financial Times"),
            ((string)r!["eventType"]!, (string?)r["mode"], (string?)r["recipient"], (string)r["date"]!, (string)r["datePrecision"]!,
             (string)r["attribution"]!, (string)r["source"]!["outlet"]!)));

        var guarantees = JsonNode.Parse(await client.GetStringAsync("/statements.plover.json?actor=us&topic=ukraine-postwar-security-guarantees",
            TestContext.Current.CancellationToken))!.AsArray();
        Assert.Equal(["REJECT", "SUPPORT", "SUPPORT"], guarantees.Select(r => (string)r!["eventType"]!));
        Assert.Equal("conditional", (string?)guarantees[1]!["mode"]);
        Assert.StartsWith("ukraine-postwar-security-guarantees; on condition: ", (string)guarantees[1]!["context"]!);
    }

    private static async Task<string[]> CsvAsync(HttpClient client, string url)
    {
        var answer = await client.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("text/csv", answer.Content.Headers.ContentType!.MediaType);
        var text = await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.EndsWith("\r\n", text);
        return text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
    }

    private static string Earlier(string instant) =>
        Uri.EscapeDataString(DateTimeOffset.Parse(instant).AddTicks(-10).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'"));

    private static JsonNode Without(JsonNode node, params string[] names)
    {
        var copy = node.DeepClone().AsObject();
        foreach (var name in names) copy.Remove(name);
        return copy;
    }
}
