using System.Net;

namespace Positions.Api.Tests.Integration;

[Collection(IntegrationCollection.Name)]
public class ConcurrencyTests(PositionsApp app)
{
    [Fact]
    public async Task thirty_two_concurrent_writers_on_one_actor_lose_nothing()
    {
        var client = app.Client();
        var (actor, topic) = (await Given.ActorAsync(client), await Given.TopicAsync(client));
        string[] stances = ["opposes", "supports", "neutral", "strongly-supports"];

        var answers = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(() => app.Client().PostJsonAsync("/statements",
            Given.Statement($"w{i}-{actor}", [actor], topic, stances[i % 4], $"2025-01-{i % 28 + 1:00}")))));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.Status));
        var versions = answers.Select(a => (long)a.Json["streams"]![0]!["version"]!).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 32).Select(v => (long)v), versions);
        var events = (await client.GetJsonAsync($"/actors/{actor}/events?limit=1000")).Json["items"]!.AsArray();
        Assert.Equal(Enumerable.Range(1, 32).Select(v => (long)v), events.Select(e => (long)e!["version"]!));
        var history = (await client.GetJsonAsync($"/actors/{actor}/positions/{topic}")).Json["history"]!.AsArray();
        Assert.Equal(32, history.Count);
    }

    [Fact]
    public async Task thirty_two_clients_times_twenty_five_statements_with_concurrent_corrections_equal_a_fold_of_the_events()
    {
        var client = app.Client();
        var (actor, topic) = (await Given.ActorAsync(client), await Given.TopicAsync(client));
        string[] stances = ["opposes", "supports", "neutral", "strongly-opposes"];
        var recorded = new System.Collections.Concurrent.ConcurrentBag<string>();

        var writers = Enumerable.Range(0, 32).Select(w => Task.Run(async () =>
        {
            var answers = new List<Answer>();
            var writer = app.Client();
            for (var i = 0; i < 25; i++)
            {
                var id = $"w{w}-{i}-{actor}";
                var answer = await writer.PostJsonAsync("/statements", Given.Statement(id, [actor], topic, stances[(w + i) % 4], $"2025-{i % 12 + 1:00}-{w % 28 + 1:00}"));
                if (answer.Status == HttpStatusCode.Created) recorded.Add(id);
                answers.Add(answer);
            }
            return answers;
        })).ToList();
        var correctors = Enumerable.Range(0, 4).Select(c => Task.Run(async () =>
        {
            var answers = new List<Answer>();
            var corrector = app.Client();
            for (var i = 0; i < 15; i++)
            {
                var target = recorded.Skip(i * 7 + c).FirstOrDefault();
                if (target is null) { await Task.Delay(20); continue; }
                answers.Add(await corrector.PostJsonAsync($"/statements/{target}/corrections", new { changes = new { stance = stances[(i + c) % 4], summary = $"c{c}-{i}" } }));
            }
            return answers;
        })).ToList();
        var writes = (await Task.WhenAll(writers)).SelectMany(a => a).ToList();
        var corrections = (await Task.WhenAll(correctors)).SelectMany(a => a).ToList();

        Assert.Equal(800, writes.Count(a => a.Status == HttpStatusCode.Created));
        Assert.All(corrections, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        var fold = await EventFold.OfActorAsync(client, actor);
        Assert.Equal(800, fold.StatementCount);
        var events = await AllEventsAsync(client, actor);
        Assert.Equal(Enumerable.Range(1, 800 + corrections.Count).Select(v => (long)v), events);

        var expected = fold.Counting(topic, DateTimeOffset.MaxValue, DateTimeOffset.MaxValue);
        var answer = (await client.GetJsonAsync($"/actors/{actor}/positions/{topic}")).Json;
        Assert.Equal(expected.Select(e => e.StatementId), answer["history"]!.AsArray().Select(h => (string?)h!["statementId"]));
        Assert.Equal(Positions.Timeline.History(expected).Select(h => h.Shift is null ? null : KebabName(h.Shift.Value)),
            answer["history"]!.AsArray().Select(h => (string?)h!["shift"]));
        Assert.Equal(Positions.Timeline.Current(topic, expected)!.Since.ToString(), (string?)answer["current"]!["since"]);
        Figures.Report($"R1: 32 clients × 25 statements on one actor with {corrections.Count} concurrent corrections: " +
                       $"800 × 201, {events.Count} events at versions 1..{events.Count}, 0 × 5xx, history equal to a fold of the events.");
    }

    private static string KebabName(Positions.ShiftKind kind) => Api.Shared.KebabEnum<Positions.ShiftKind>.Name(kind);

    private static async Task<List<long>> AllEventsAsync(HttpClient client, string actor)
    {
        var versions = new List<long>();
        string? after = null;
        do
        {
            var page = (await client.GetJsonAsync($"/actors/{actor}/events?limit=1000" + (after is null ? "" : $"&after={after}"))).Json;
            versions.AddRange(page["items"]!.AsArray().Select(e => (long)e!["version"]!));
            after = (string?)page["next"];
        } while (after is not null);
        return versions;
    }

    [Fact]
    public async Task the_same_id_with_two_contents_at_once_records_one_and_refuses_the_other_with_409()
    {
        var client = app.Client();
        var (actor, topic) = (await Given.ActorAsync(client), await Given.TopicAsync(client));
        var id = PositionsApp.UniqueId("race");
        var bodies = new[] { Given.Statement(id, [actor], topic, "supports", "2025-01-01"), Given.Statement(id, [actor], topic, "opposes", "2025-01-01") };

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(async () => (Content: i % 2, Answer: await app.Client().PostJsonAsync("/statements", bodies[i % 2])))));

        var winner = Assert.Single(answers, a => a.Answer.Status == HttpStatusCode.Created).Content;
        Assert.All(answers.Where(a => a.Content == winner), a => Assert.Contains(a.Answer.Status, new[] { HttpStatusCode.Created, HttpStatusCode.OK }));
        Assert.All(answers.Where(a => a.Content != winner), a => Assert.Equal(HttpStatusCode.Conflict, a.Answer.Status));
        Assert.Single((await client.GetJsonAsync($"/actors/{actor}/events")).Json["items"]!.AsArray());
    }

    [Fact]
    public async Task the_same_statement_sent_ten_times_at_once_is_recorded_once()
    {
        var client = app.Client();
        var (actor, topic) = (await Given.ActorAsync(client), await Given.TopicAsync(client));
        var body = Given.Statement(PositionsApp.UniqueId("race"), [actor], topic, "supports", "2025-01-01");

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => app.Client().PostJsonAsync("/statements", body))));

        Assert.Single(answers, a => a.Status == HttpStatusCode.Created);
        Assert.All(answers, a => Assert.Contains(a.Status, new[] { HttpStatusCode.Created, HttpStatusCode.OK }));
        Assert.Single(answers.Select(a => a.Json.ToJsonString()).Distinct());
        Assert.Single((await client.GetJsonAsync($"/actors/{actor}/events")).Json["items"]!.AsArray());
    }

    [Fact]
    public async Task concurrent_corrections_of_one_statement_get_consecutive_revisions()
    {
        var client = app.Client();
        var (actor, topic) = (await Given.ActorAsync(client), await Given.TopicAsync(client));
        var id = PositionsApp.UniqueId("st");
        await client.PostJsonAsync("/statements", Given.Statement(id, [actor], topic, "supports", "2025-01-01"));

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => app.Client().PostJsonAsync(
            $"/statements/{id}/corrections", new { changes = new { summary = $"correction {i}" } }))));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Equal(Enumerable.Range(2, 8), answers.Select(a => a.Json["revision"]!.GetValue<int>()).Order());
        Assert.Equal(9, (await client.GetJsonAsync($"/statements/{id}")).Json["revisions"]!.AsArray().Count);
    }
}
