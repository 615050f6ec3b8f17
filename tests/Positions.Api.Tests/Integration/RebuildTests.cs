using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Positions.Api.Tests.Integration;

[Collection(IntegrationCollection.Name)]
public class RebuildTests(PositionsApp app)
{
    [Fact]
    public async Task rebuilding_every_projection_from_the_events_gives_the_same_answers()
    {
        var (client, reads) = await HistoryAsync("r");
        var before = await ReadAllAsync(client, reads);

        var daemon = await app.Host.Services.GetRequiredService<IDocumentStore>().BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync("ReadModels", TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);

        Assert.Equal(before, await ReadAllAsync(client, reads));
    }

    [Fact]
    public async Task the_rebuild_command_swaps_in_identical_tables_while_every_read_keeps_its_full_answer()
    {
        var (client, reads) = await HistoryAsync("rb");
        var before = await ReadAllAsync(client, reads);
        var tablesBefore = await TableDigestsAsync();

        // Reads all through the rebuild must give the whole answer, never a half-built one.
        using var stop = new CancellationTokenSource();
        var readsMeanwhile = Task.Run(async () =>
        {
            var answers = new List<string>();
            while (!stop.IsCancellationRequested) answers.Add((await client.GetJsonAsync(reads[0])).Json.ToJsonString());
            return answers;
        });
        var rebuild = await Cli.RunAsync(app.ConnectionString, "rebuild");
        await stop.CancelAsync();
        var meanwhile = await readsMeanwhile;

        Assert.True(rebuild.ExitCode == 0, rebuild.Output + rebuild.Errors);
        Assert.Contains("Rebuilt the read models from", rebuild.Output);
        Assert.Equal(tablesBefore, await TableDigestsAsync());
        Assert.Equal(before, await ReadAllAsync(client, reads));
        Assert.NotEmpty(meanwhile);
        Assert.All(meanwhile, answer => Assert.Equal(before[0], answer));
    }

    [Fact]
    public async Task a_rebuild_with_no_one_to_report_progress_to_still_counts_every_event_it_replays()
    {
        await HistoryAsync("rc");
        var report = await app.Host.Services.GetRequiredService<Api.Storage.ReadModelRebuild>().RunAsync(progress: null, TestContext.Current.CancellationToken);
        await using var database = Npgsql.NpgsqlDataSource.Create(app.ConnectionString);
        await using var count = database.CreateCommand("select count(*) from public.mt_events");
        Assert.Equal((long)(await count.ExecuteScalarAsync(TestContext.Current.CancellationToken))!, report.Events);
    }

    /// <summary>A joint statement, a correction, an extra source and a retraction, and the reads that show them.</summary>
    private async Task<(HttpClient Client, string[] Reads)> HistoryAsync(string prefix)
    {
        var client = app.Client();
        var (actor, topic) = (await Given.ActorAsync(client), await Given.TopicAsync(client));
        var first = await client.PostJsonAsync("/statements", Given.Statement($"{prefix}1-{actor}", [actor], topic, "opposes", "2025-01-01"));
        await client.PostJsonAsync("/statements", Given.Statement($"{prefix}2-{actor}", [actor, "gb"], topic, "supports", "2025-03-01"));
        await client.PostJsonAsync($"/statements/{prefix}1-{actor}/corrections", new { changes = new { stance = "strongly-opposes" } });
        await client.PostJsonAsync($"/statements/{prefix}2-{actor}/sources", new { outlet = "AP", attribution = "on-record" });
        await client.PostJsonAsync($"/statements/{prefix}2-{actor}/retraction", new { reason = "withdrawn" });
        var written = DateTimeOffset.UtcNow.ToString("O");
        return (client,
        [
            // Each answer states its asOf and knownAt, so a read to compare before and after names both.
            $"/actors/{actor}/positions/{topic}?asOf={written}&knownAt={written}",
            $"/actors/{actor}/positions/{topic}?asOf={written}&knownAt={first.Json["recordedAt"]}",
            $"/actors/{actor}/positions?asOf={written}&knownAt={written}", $"/topics/{topic}/positions?asOf=2025-06-30&knownAt={written}",
            $"/statements?topic={topic}", $"/statements/{prefix}1-{actor}",
            $"/statements/{prefix}2-{actor}", $"/shifts?topic={topic}", $"/actors/us/positions/ukraine-postwar-security-guarantees?asOf=2025-12-31&knownAt={written}",
        ]);
    }

    private static Task<string[]> ReadAllAsync(HttpClient client, string[] reads) =>
        Task.WhenAll(reads.Select(async url => (await client.GetJsonAsync(url)).Json.ToJsonString()));

    /// <summary>An md5 of every row of both read models, in key order.</summary>
    private async Task<string[]> TableDigestsAsync()
    {
        await using var database = Npgsql.NpgsqlDataSource.Create(app.ConnectionString);
        await using var command = database.CreateCommand($"""
            select (select md5(string_agg(t::text, '|' order by statement_id)) from {Api.Statements.StatementsTable.Name} t),
                   (select md5(string_agg(t::text, '|' order by statement_id, actor, revision)) from {Api.Positions.RevisionsTable.Name} t)
            """);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return [reader.GetString(0), reader.GetString(1)];
    }
}
