using System.Net;
using System.Text.Json;
using Npgsql;
using Positions.Api.Storage;
using Positions.Api.Tests.Integration;

namespace Positions.Api.Tests.Resilience;

[CollectionDefinition(Name)]
public sealed class ResilienceCollection
{
    public const string Name = "faults: crashes and database outages";
}

/// <summary>
/// R3 and R5: the service is killed with SIGKILL at random moments during imports. Every acknowledged line is there
/// exactly once, re-sending an interrupted import completes it, no statement is half written, and the read models
/// equal both a fold of the raw events and a forced rebuild. POSITIONS_CRASH_ROUNDS sets the number of kills (20).
/// </summary>
[Collection(ResilienceCollection.Name)]
public class CrashDuringImportTests
{
    private const int LinesPerImport = 100;
    private static readonly string[] Actors = ["crash-a", "crash-b", "crash-c"];
    private const string Topic = "crash-topic";

    [Fact]
    public async Task kill_9_during_imports_loses_no_acknowledged_line_and_leaves_no_half_statement()
    {
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("POSITIONS_CRASH_ROUNDS"), out var n) ? n : 20;
        var random = new Random(20250826);
        await using var database = await TestDatabase.StartAsync();
        var port = ServiceProcess.FreePort();
        var service = await ServiceProcess.StartAsync(database.ConnectionString, port);
        await RegisterAsync(service.Client());
        var acknowledged = 0;

        try
        {
            for (var round = 0; round < rounds; round++)
            {
                var import = Import(round);
                var sending = service.Client().PostAsync("/imports", new StringContent(import, System.Text.Encoding.UTF8, "application/x-ndjson"));
                await Task.Delay(random.Next(20, 1500));
                await service.KillAsync();
                var answered = await AnswerOrNothingAsync(sending);
                await service.DisposeAsync();
                service = await ServiceProcess.StartAsync(database.ConnectionString, port);

                if (answered is not null)
                {
                    acknowledged++;
                    Assert.Equal(LinesPerImport, answered["recorded"]!.GetValue<int>() + answered["unchanged"]!.GetValue<int>());
                }
                else
                {
                    var resent = await service.Client().PostAsync("/imports", new StringContent(import, System.Text.Encoding.UTF8, "application/x-ndjson"));
                    var report = JsonDocument.Parse(await resent.Content.ReadAsStringAsync()).RootElement;
                    Assert.Equal(HttpStatusCode.OK, resent.StatusCode);
                    Assert.Equal(LinesPerImport, report.GetProperty("recorded").GetInt32() + report.GetProperty("unchanged").GetInt32());
                    Assert.Equal(0, report.GetProperty("rejected").GetArrayLength());
                }
                await AssertEveryLineOnceAndWholeAsync(database.ConnectionString, round);
            }
        }
        catch
        {
            // A failed round must not leave a service running after the test.
            await service.DisposeAsync();
            throw;
        }

        await using (service)
        {
            var client = service.Client();
            await OracleAsync(client);
            var before = await AnswersAsync(client);
            await RebuildAsync(database.ConnectionString);
            Assert.Equal(before, await AnswersAsync(client));
        }
        Figures.Report($"R3: {rounds} kills during imports of {LinesPerImport} lines, {acknowledged} answered before the kill, " +
                          $"{rounds - acknowledged} re-sent and completed; nothing lost, no half statement.");
    }

    private static string Import(int round) => string.Join("\n", Enumerable.Range(0, LinesPerImport).Select(i => JsonSerializer.Serialize(
        Given.Statement($"r{round}-{i}", i % 5 == 0 ? [Actors[0], Actors[1]] : [Actors[i % 3]], Topic,
            (i % 4) switch { 0 => "opposes", 1 => "supports", 2 => "neutral", _ => "strongly-supports" },
            $"20{10 + round % 15}-{i % 12 + 1:00}-{i % 28 + 1:00}"),
        Api.Shared.PositionsJson.Options)));

    private static async Task RegisterAsync(HttpClient client)
    {
        foreach (var actor in Actors)
            Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync("/actors", new { id = actor, name = actor, kind = "group" })).Status);
        Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync("/topics", new { id = Topic, title = "Crash topic" })).Status);
    }

    private static async Task<System.Text.Json.Nodes.JsonNode?> AnswerOrNothingAsync(Task<HttpResponseMessage> sending)
    {
        try
        {
            var response = await sending;
            return response.StatusCode == HttpStatusCode.OK
                ? System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())
                : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return null;
        }
    }

    /// <summary>Each statement of the round: recorded once on every holder's stream, with its document and revisions.</summary>
    private static async Task AssertEveryLineOnceAndWholeAsync(string connectionString, int round)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            with expected as (
                select 'r' || $1 || '-' || i as id, case when i % 5 = 0 then 2 else 1 end as holders
                from generate_series(0, $2 - 1) as i)
            select count(*) filter (where events.n is distinct from expected.holders
                                       or revisions.n is distinct from expected.holders
                                       or documents.n is distinct from 1)
            from expected
            left join (select data ->> 'statementId' as id, count(*) as n from mt_events where type = 'statement_recorded' group by 1) events using (id)
            left join (select statement_id as id, count(*) as n from positions_revisions group by 1) revisions using (id)
            left join (select statement_id as id, count(*) as n from positions_statements group by 1) documents using (id)
            """, connection);
        command.Parameters.AddWithValue(round);
        command.Parameters.AddWithValue(LinesPerImport);
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }

    /// <summary>R5: answers equal an independent fold of the raw events, now and at sampled (asOf, knownAt).</summary>
    private static async Task OracleAsync(HttpClient client)
    {
        foreach (var actor in Actors)
        {
            var fold = await EventFold.OfActorAsync(client, actor);
            var knownAts = (await client.GetJsonAsync($"/actors/{actor}/events?limit=1000")).Json["items"]!.AsArray()
                .Select(e => (string)e!["recordedAt"]!).Where((_, i) => i % 97 == 0).Append(null);
            foreach (var knownAt in knownAts)
            foreach (var asOf in new string?[] { "2012-06-30", "2018-01-01", "2024-12-31", null })
            {
                var query = string.Join("&", new[] { asOf is null ? null : $"asOf={asOf}", knownAt is null ? null : $"knownAt={knownAt}" }.Where(q => q is not null));
                var answer = (await client.GetJsonAsync($"/actors/{actor}/positions/{Topic}?{query}")).Json;
                var expected = fold.Counting(Topic,
                    asOf is null ? DateTimeOffset.MaxValue : DateTimeOffset.Parse(asOf).AddDays(1).AddTicks(-10),
                    knownAt is null ? DateTimeOffset.MaxValue : DateTimeOffset.Parse(knownAt));
                Assert.Equal(expected.Select(e => e.StatementId), answer["history"]!.AsArray().Select(h => (string?)h!["statementId"]));
                Assert.Equal(Positions.Timeline.Current(Topic, expected)?.StatementId, (string?)answer["current"]?["statementId"]);
            }
        }
    }

    private static async Task<string[]> AnswersAsync(HttpClient client) => await Task.WhenAll(
        Actors.Select(a => $"/actors/{a}/positions/{Topic}?asOf=2030-01-01&knownAt=2100-01-01T00:00:00Z")
            .Append($"/topics/{Topic}/positions?asOf=2030-01-01&knownAt=2100-01-01T00:00:00Z")
            .Append($"/statements?topic={Topic}&limit=1000&knownAt=2100-01-01T00:00:00Z")
            .Select(async url => (await client.GetJsonAsync(url)).Json.ToJsonString()));

    /// <summary>The CLI's forced rebuild of every projection, as an operator would run it.</summary>
    private static async Task RebuildAsync(string connectionString)
    {
        var rebuild = await Cli.RunAsync(connectionString, "projections", "rebuild");
        Assert.True(rebuild.ExitCode == 0, rebuild.Output + rebuild.Errors);
    }
}
