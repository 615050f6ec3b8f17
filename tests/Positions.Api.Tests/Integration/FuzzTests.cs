using System.Net;
using Npgsql;

namespace Positions.Api.Tests.Integration;

/// <summary>
/// R7: hostile input never yields a 5xx, every 4xx is problem+json and carries no internals, and a rejected request
/// persists nothing. POSITIONS_FUZZ_CASES raises the count (default 3,000; the long run uses 10,000).
/// </summary>
[Collection(IntegrationCollection.Name)]
public class FuzzTests(PositionsApp app)
{
    [Fact]
    public async Task generated_hostile_requests_never_get_a_5xx_and_persist_nothing()
    {
        var cases = int.TryParse(Environment.GetEnvironmentVariable("POSITIONS_FUZZ_CASES"), out var n) ? n : 3000;
        var fuzzer = new Fuzzer(seed: 20251126);
        var before = await CountsAsync();
        var client = app.Client();
        var failures = new List<string>();
        var registered = 0;

        for (var i = 0; i < cases; i++)
        {
            var request = fuzzer.Next();
            using var message = new HttpRequestMessage(request.Method, request.Url);
            if (request.Body is not null)
                message.Content = new ByteArrayContent(request.Body) { Headers = { { "Content-Type", request.ContentType } } };
            using var response = await client.SendAsync(message, TestContext.Current.CancellationToken);
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            var status = (int)response.StatusCode;

            if (status >= 500) failures.Add($"#{i} {request.Kind} {request.Method} {request.Url} -> {status}");
            else if (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                failures.Add($"#{i} {request.Kind} {request.Url} -> {status} as {response.Content.Headers.ContentType}");
            else if (body.Contains("Positions.Api") || body.Contains("Npgsql") || body.Contains("   at ") || body.Contains("SqlState") || body.Contains("syntax error"))
                failures.Add($"#{i} {request.Kind} {request.Url} -> internals in {body[..Math.Min(200, body.Length)]}");
            if (status == (int)HttpStatusCode.Created) registered++;
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Figures.Report($"R7: {cases} fuzzed requests (seed 20251126), 0 × 5xx, every 4xx problem+json without internals, " +
                       $"{registered} registrations accepted, events and revisions unchanged.");
        var after = await CountsAsync();
        Assert.Equal(before.Events, after.Events);
        Assert.Equal(before.Revisions, after.Revisions);
        Assert.Equal(before.Registry + registered, after.Registry);
    }

    private async Task<(long Events, long Revisions, long Registry)> CountsAsync()
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("""
            select (select count(*) from mt_events), (select count(*) from positions_revisions),
                   (select count(*) from mt_doc_actor) + (select count(*) from mt_doc_topic)
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        await reader.ReadAsync(TestContext.Current.CancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }
}
