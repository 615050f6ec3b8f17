using System.Text.Json.Nodes;
using Positions.Api.Tests.Integration;

namespace Positions.Api.Tests.Resilience;

/// <summary>
/// Two instances on one database, one of them with its clock 30 s behind (libfaketime, Debian package
/// <c>faketime</c>). Transaction time is the database's, so it rises with every stream's version whichever instance
/// writes, and <c>knownAt</c> answers show exactly what was recorded by then.
/// </summary>
[Collection(IntegrationCollection.Name)]
public class SkewedClocksTests(PositionsApp app)
{
    private static readonly string[] ThirtySecondsBehind = ["faketime", "-f", "-30s"];

    [Fact]
    public async Task writes_through_an_instance_whose_clock_is_behind_get_later_times_and_knownAt_stays_honest()
    {
        Assert.True(File.Exists("/usr/bin/faketime"), "needs libfaketime: apt-get install faketime (.ci/run installs it)");
        var setup = app.Client();
        var (actor, topic) = (await Given.ActorAsync(setup), await Given.TopicAsync(setup));
        await using var onTime = await ServiceProcess.StartAsync(app.ConnectionString);
        await using var behind = await ServiceProcess.StartAsync(app.ConnectionString,
            environment: new Dictionary<string, string> { ["FAKETIME_DONT_FAKE_MONOTONIC"] = "1" }, launcher: ThirtySecondsBehind);
        Assert.Contains(behind.Output, l => l.Contains("off the database's")); // faketime took hold
        using var a = onTime.Client();
        using var b = behind.Client();

        // Alternately through both, each write on the same stream, and each read at once through the instance that wrote.
        var writes = new List<(string Id, DateTimeOffset RecordedAt)>();
        foreach (var (client, i) in new[] { a, b, a, b }.Select((c, i) => (c, i)))
        {
            var id = $"skew{i}-{actor}";
            var answer = await client.PostJsonAsync("/statements",
                Given.Statement(id, [actor], topic, i % 2 == 0 ? "supports" : "opposes", $"2024-03-{10 + i:00}"));
            Assert.Equal(System.Net.HttpStatusCode.Created, answer.Status);
            writes.Add((id, DateTimeOffset.Parse((string)answer.Json["recordedAt"]!)));
            Assert.Equal(writes.Select(w => w.Id), await HistoryAsync(client, actor, topic, knownAt: null));
        }

        Assert.Equal(writes.OrderBy(w => w.RecordedAt).Select(w => w.Id), writes.Select(w => w.Id));
        var events = (await a.GetJsonAsync($"/actors/{actor}/events")).Json["items"]!.AsArray();
        Assert.Equal(writes.Select(w => w.RecordedAt), events.Select(e => DateTimeOffset.Parse((string)e!["recordedAt"]!)));
        // knownAt = each write's recordedAt shows that write and the ones before it, through either instance.
        for (var i = 0; i < writes.Count; i++)
            foreach (var client in new[] { a, b })
                Assert.Equal(writes.Take(i + 1).Select(w => w.Id), await HistoryAsync(client, actor, topic, writes[i].RecordedAt));
    }

    private static async Task<IEnumerable<string>> HistoryAsync(HttpClient client, string actor, string topic, DateTimeOffset? knownAt)
    {
        var query = knownAt is { } k ? $"?knownAt={Uri.EscapeDataString(k.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ"))}" : "";
        var answer = await client.GetJsonAsync($"/actors/{actor}/positions/{topic}{query}");
        return answer.Json["history"]!.AsArray().Select(h => (string)h!["statementId"]!);
    }
}
