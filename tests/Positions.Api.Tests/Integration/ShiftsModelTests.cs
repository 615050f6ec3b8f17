using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Positions.Api.Statements;
using Positions.Api.Storage;
using Npgsql;
using Positions.Api.Positions;
using Positions.Api.Shared;

namespace Positions.Api.Tests.Integration;

/// <summary>
/// The shifts model (Positions/ShiftsTable.cs) against the pure rules: random histories through the API, with late
/// statements, equal saidAt, corrections of stance, conditions, saidAt and topic, retractions, extra sources and joint
/// statements; then every page of <c>GET /shifts</c> must list exactly what <see cref="Timeline.Shifts"/> finds in an
/// independent fold of the raw events (<see cref="EventFold"/>).
/// </summary>
[Collection(IntegrationCollection.Name)]
public class ShiftsModelTests(PositionsApp app)
{
    private static readonly string[] Stances = ["strongly-opposes", "opposes", "neutral", "supports", "strongly-supports"];
    private static readonly string[][] Conditions = [[], [], ["if Europe sends troops"], ["if the ceasefire holds"]];
    // Weak ones twice as likely: runs with no firm statement (provisional shifts) are common.
    private static readonly string[] Attributions =
        ["on-record", "official-statement", "spokesperson", "anonymous-officials", "anonymous-officials", "reported", "reported"];

    [Theory]
    [InlineData(20261201)]
    [InlineData(7)]
    [InlineData(42)]
    public async Task every_page_of_shifts_is_what_the_pure_fold_of_the_events_gives(int seed)
    {
        var random = new Random(seed);
        var client = app.Client();
        var actors = new[] { await Given.ActorAsync(client), await Given.ActorAsync(client), await Given.ActorAsync(client) };
        var topics = new[] { await Given.TopicAsync(client), await Given.TopicAsync(client) };
        string Day() => $"2024-03-{1 + random.Next(12):00}"; // few days: equal saidAt is common
        string Attribution() => Attributions[random.Next(Attributions.Length)];
        var statements = new List<string>();
        for (var i = 0; i < 70; i++)
        {
            var choice = random.Next(11);
            if (statements.Count < 3 || choice < 5)
            {
                var id = $"shift{seed}-{i}-{actors[0]}";
                var holders = random.Next(5) == 0 ? new[] { actors[0], actors[1 + random.Next(2)] } : [actors[random.Next(3)]];
                await Ok(client.PostJsonAsync("/statements", Given.Statement(id, holders, topics[random.Next(2)],
                    Stances[random.Next(5)], Day(), Conditions[random.Next(Conditions.Length)], attribution: Attribution())));
                statements.Add(id);
                continue;
            }
            var target = statements[random.Next(statements.Count)];
            await Ok(choice switch
            {
                5 => client.PostJsonAsync($"/statements/{target}/corrections", new { changes = new { stance = Stances[random.Next(5)] } }),
                6 => client.PostJsonAsync($"/statements/{target}/corrections", new { changes = new { saidAt = Day(), conditions = Conditions[random.Next(Conditions.Length)] } }),
                7 => client.PostJsonAsync($"/statements/{target}/corrections", new { changes = new { topic = topics[random.Next(2)] } }),
                8 => client.PostJsonAsync($"/statements/{target}/retraction", new { reason = "withdrawn" }),
                9 => client.PostJsonAsync($"/statements/{target}/corrections",
                    new { changes = new { source = new { attribution = Attribution() } } }),
                _ => client.PostJsonAsync($"/statements/{target}/sources", new { outlet = "Reuters", attribution = Attribution() }),
            });
        }

        // Last, sources alone: what they change no later write repairs.
        for (var i = 0; i < 8; i++)
            await Ok(client.PostJsonAsync($"/statements/{statements[random.Next(statements.Count)]}/sources",
                new { outlet = "AP", attribution = Attributions[random.Next(3)] }));

        await AssertShiftsAreTheFoldsAsync(client, actors);
        Assert.NotEmpty(await AllPagesAsync(client, $"/shifts?topic={topics[0]}&limit=4"));
    }

    [Fact]
    public async Task the_shifts_of_one_import_are_what_the_pure_fold_gives_though_its_lines_share_one_transaction_time()
    {
        var random = new Random(11);
        var client = app.Client();
        var actors = new[] { await Given.ActorAsync(client), await Given.ActorAsync(client) };
        var topics = new[] { await Given.TopicAsync(client), await Given.TopicAsync(client) };
        // Few days, one transaction: equal saidAt and equal first recording, so the statement id decides the order.
        var lines = Enumerable.Range(0, 120).Select(i => System.Text.Json.JsonSerializer.Serialize(
            Given.Statement($"imp{i:000}-{actors[0]}", [actors[random.Next(2)]], topics[random.Next(2)], Stances[random.Next(5)],
                $"2024-05-{1 + random.Next(4):00}", Conditions[random.Next(Conditions.Length)]), PositionsJson.Options));
        var answer = await client.PostRawAsync("/imports", string.Join("\n", lines), "application/x-ndjson");
        Assert.Equal(120, (int)answer.Json["recorded"]!);

        await AssertShiftsAreTheFoldsAsync(client, actors);
    }

    [Fact]
    public async Task read_models_of_an_earlier_version_are_rebuilt_once_at_start()
    {
        var database = app.Host.Services.GetRequiredService<NpgsqlDataSource>();
        var upgrade = ActivatorUtilities.CreateInstance<ReadModelsUpgrade>(app.Host.Services);
        // What an earlier version left: no shifts (they came later), and no version mark.
        await using (var forget = database.CreateCommand($"delete from {ShiftsTable.Name}; comment on table {StatementsTable.Name} is null"))
            await forget.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        Assert.Empty(await AllPagesAsync(app.Client(null), "/shifts?actor=us"));

        await upgrade.StartAsync(TestContext.Current.CancellationToken);

        var usShifts = await AllPagesAsync(app.Client(null), "/shifts?actor=us");
        Assert.Contains(usShifts, s => s.StartsWith("ukraine-postwar-security-guarantees full-flop 2025-08-19"));
        await AssertShiftsAreTheFoldsAsync(app.Client(null), ["us", "no", "de"]);
        await using var mark = database.CreateCommand($"select obj_description('{StatementsTable.Name}'::regclass, 'pg_class')");
        Assert.Equal(ReadModelsUpgrade.CurrentVersion, await mark.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    private static async Task AssertShiftsAreTheFoldsAsync(HttpClient client, string[] actors)
    {
        foreach (var actor in actors)
        {
            var fold = await EventFold.OfActorAsync(client, actor);
            var expected = fold.Topics
                .SelectMany(topic => Timeline.Shifts(fold.Counting(topic, DateTimeOffset.MaxValue, DateTimeOffset.MaxValue))
                    .Select(pair => (Topic: topic, Pair: pair)))
                .OrderByDescending(s => s.Pair.To.SaidAt.Start).ThenBy(s => s.Topic, StringComparer.Ordinal)
                .ThenBy(s => s.Pair.To.StatementId, StringComparer.Ordinal)
                .Select(s => $"{s.Topic} {KebabEnum<ShiftKind>.Name(s.Pair.Kind)} {s.Pair.To.SaidAt} {s.Pair.From.StatementId} -> {s.Pair.To.StatementId}" +
                             $" {(s.Pair.Begins.Provisional ? "provisional" : "firm")} {KebabEnum<Attribution>.Name(s.Pair.Begins.Attribution)}");
            Assert.Equal(expected, await AllPagesAsync(client, $"/shifts?actor={actor}&limit=3"));
        }
    }

    private static async Task Ok(Task<Answer> request)
    {
        var answer = await request;
        Assert.True((int)answer.Status is 200 or 201, $"{answer.Status}: {answer.Body}");
    }

    private static async Task<List<string>> AllPagesAsync(HttpClient client, string query)
    {
        var items = new List<string>();
        for (string? next = null; ;)
        {
            var page = (await client.GetJsonAsync(query + (next is null ? "" : $"&after={next}"))).Json;
            items.AddRange(page["items"]!.AsArray().Select(s =>
                $"{s!["topic"]} {s["kind"]} {s["at"]} {s["from"]!["statementId"]} -> {s["to"]!["statementId"]}" +
                $" {((bool)s["provisional"]! ? "provisional" : "firm")} {s["attribution"]}"));
            if ((next = (string?)page["next"]) is null) return items;
        }
    }
}
