using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Npgsql;

namespace Positions.Api.Tests.Integration;

[Collection(IntegrationCollection.Name)]
public class LimitsTests(PositionsApp app)
{
    private static void IsProblemWithRetryAfter(Answer answer, HttpStatusCode status)
    {
        Assert.Equal(status, answer.Status);
        Assert.Equal("application/problem+json", answer.Response.Content.Headers.ContentType?.MediaType);
        Assert.True(answer.Response.Headers.RetryAfter is not null, $"{status} without Retry-After");
    }

    [Fact]
    public async Task a_client_over_its_rate_limit_gets_429_with_retry_after_and_health_checks_are_never_limited()
    {
        await using var host = await HostFactory.StartAsync(app.ConnectionString,
            ("Positions:Limits:RequestsPerSecondPerKey", "1"), ("Positions:Limits:BurstPerKey", "3"),
            ("Positions:Limits:RequestsPerSecondPerAddress", "1"), ("Positions:Limits:BurstPerAddress", "3"));

        var writes = new List<Answer>();
        for (var i = 0; i < 8; i++) writes.Add(await host.Client().PostJsonAsync("/topics", new { id = PositionsApp.UniqueId("rl"), title = "t" }));
        var reads = new List<Answer>();
        for (var i = 0; i < 8; i++) reads.Add(await host.Client(null).GetJsonAsync("/topics"));
        var health = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++) health.Add((await host.Client(null).GetAsync("/health/live", TestContext.Current.CancellationToken)).StatusCode);

        Assert.Contains(writes, w => w.Status == HttpStatusCode.Created);
        IsProblemWithRetryAfter(writes.First(w => w.Status != HttpStatusCode.Created), HttpStatusCode.TooManyRequests);
        Assert.Contains(reads, r => r.Status == HttpStatusCode.OK);
        IsProblemWithRetryAfter(reads.First(r => r.Status != HttpStatusCode.OK), HttpStatusCode.TooManyRequests);
        Assert.All(health, h => Assert.Equal(HttpStatusCode.OK, h));
    }

    [Fact]
    public async Task two_hundred_slow_requests_against_a_pool_of_ten_get_fast_503s_and_service_recovers_at_once()
    {
        var smallPool = new NpgsqlConnectionStringBuilder(app.ConnectionString) { MaxPoolSize = 10 }.ConnectionString;
        await using var host = await HostFactory.StartAsync(smallPool, ("Positions:Limits:RateLimiting", "false"),
            ("Positions:Limits:QueuedRequests", "20"));
        var (actor, topic) = (await Given.ActorAsync(host.Client()), await Given.TopicAsync(host.Client()));
        string SlowImport(int request) => string.Join("\n", Enumerable.Range(0, 10).Select(line => JsonSerializer.Serialize(
            Given.Statement($"p{request}-{line}-{actor}"[..Math.Min(63, $"p{request}-{line}-{actor}".Length)], [actor], topic, "supports", "2025-01-01"),
            Api.Shared.PositionsJson.Options)));

        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            var watch = Stopwatch.StartNew();
            var answer = await host.Client().PostRawAsync("/imports", SlowImport(i), "application/x-ndjson");
            return (answer, watch.Elapsed);
        })));

        Assert.All(answers, a => Assert.Contains(a.answer.Status, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        var rejected = answers.Where(a => a.answer.Status == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(rejected);
        Assert.All(rejected, r => IsProblemWithRetryAfter(r.answer, HttpStatusCode.ServiceUnavailable));
        Assert.True(rejected.Min(r => r.Elapsed) < TimeSpan.FromSeconds(1), "rejections should be immediate");
        var accepted = answers.Where(a => a.answer.Status == HttpStatusCode.OK).ToList();
        Assert.All(accepted, a => Assert.Empty(a.answer.Json["rejected"]!.AsArray()));

        var after = Stopwatch.StartNew();
        var read = await host.Client(null).GetJsonAsync($"/actors/{actor}/positions");
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.True(after.Elapsed < TimeSpan.FromSeconds(2), $"first read after the load took {after.Elapsed}");
        Figures.Report($"R6: 200 slow imports against a pool of 10: {accepted.Count} served, {rejected.Count} × 503 " +
                       $"(fastest {rejected.Min(r => r.Elapsed).TotalMilliseconds:0} ms), 0 × 500, first read after the load " +
                       $"{after.Elapsed.TotalMilliseconds:0} ms.");
    }

    [Fact]
    public async Task health_says_live_and_ready_with_the_database_reachable()
    {
        var live = await app.Client(null).GetJsonAsync("/health/live");
        var ready = await app.Client(null).GetJsonAsync("/health/ready");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (live.Status, ready.Status));
        Assert.Equal("reachable", (string?)ready.Json["database"]);
    }

    [Theory]
    [InlineData("DELETE", "/statements")]
    [InlineData("PUT", "/actors/us")]
    [InlineData("GET", "/no/such/route")]
    public async Task methods_and_routes_that_do_not_exist_answer_problem_json(string method, string url)
    {
        var response = await app.Client().SendAsync(new HttpRequestMessage(new HttpMethod(method), url), TestContext.Current.CancellationToken);

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
