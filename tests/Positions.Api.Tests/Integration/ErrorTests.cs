using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Positions.Api.Tests.Integration;

[Collection(IntegrationCollection.Name)]
public class ErrorTests(PositionsApp app)
{
    private static void IsProblem(Answer answer, HttpStatusCode status)
    {
        Assert.Equal(status, answer.Status);
        Assert.Equal("application/problem+json", answer.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, answer.Json["status"]!.GetValue<int>());
        foreach (var member in new[] { "type", "title", "detail" }) Assert.NotNull(answer.Json[member]);
    }

    public static TheoryData<string> WriteRoutes() => new()
    {
        "/actors", "/topics", "/statements", "/statements/x/corrections", "/statements/x/retraction", "/statements/x/sources", "/imports",
        "/subscriptions",
    };

    [Fact]
    public void every_route_that_is_not_a_read_requires_a_key()
    {
        var routes = app.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Wolverine.Http.HttpChain>() is not null)
            .Select(e => (Route: e.RoutePattern.RawText!, e.Metadata.GetMetadata<Wolverine.Http.HttpChain>()!.HttpMethods,
                Protected: e.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Any()))
            .ToList();

        var writes = routes.Where(r => r.HttpMethods.Any(m => m is not ("GET" or "HEAD"))).ToList();
        Assert.Equal(WriteRoutes().Count + 1, writes.Count); // the POSTs, and DELETE /subscriptions/{id}
        Assert.All(writes, w => Assert.True(w.Protected, $"{w.Route} is open"));
        // Webhook subscriptions name their receivers: reading them needs a key too.
        var reads = routes.Except(writes).ToList();
        Assert.All(reads, r => Assert.True(r.Protected == r.Route.StartsWith("/subscriptions"),
            $"{r.Route} should be {(r.Protected ? "a public read" : "read with a key only")}"));
        Assert.Equal(3, reads.Count(r => r.Protected));
    }

    /// <summary>The writes whose body is one JSON object (an import is NDJSON: its lines are checked one by one).</summary>
    public static TheoryData<string> ObjectBodyRoutes() => new(WriteRoutes().Select(r => (string)r.Data).Where(r => r != "/imports"));

    [Theory]
    [MemberData(nameof(ObjectBodyRoutes))]
    public async Task a_write_whose_body_is_not_a_json_object_is_a_400(string route)
    {
        foreach (var body in new[] { "null", "[]", "\"text\"", "7" })
            IsProblem(await app.Client().PostRawAsync(route, body), HttpStatusCode.BadRequest);
    }

    [Theory]
    [MemberData(nameof(WriteRoutes))]
    public async Task writes_without_a_key_or_with_an_unknown_key_are_401(string route)
    {
        IsProblem(await app.Client(null).PostRawAsync(route, "{}"), HttpStatusCode.Unauthorized);
        IsProblem(await app.Client("not-a-key").PostRawAsync(route, "{}"), HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("{\"actors\": [\"us\"")]
    [InlineData("{\"actors\": 5}")]
    [InlineData("[1,2]")]
    [InlineData("not json")]
    public async Task unreadable_json_is_400(string body) =>
        IsProblem(await app.Client().PostRawAsync("/statements", body), HttpStatusCode.BadRequest);

    [Theory]
    [InlineData("/actors/us/positions?asOf=yesterday")]
    [InlineData("/actors/us/positions?knownAt=2025-02-30")]
    [InlineData("/statements?limit=0")]
    [InlineData("/statements?limit=1001")]
    [InlineData("/statements?limit=ten")]
    [InlineData("/statements?from=2025-02-01&to=2025-01-01")]
    [InlineData("/statements?after=not-a-cursor")]
    [InlineData("/statements?actor=../etc")]
    [InlineData("/shifts?kind=no-flip")]
    [InlineData("/shifts?kind=sideways")]
    [InlineData("/actors?limit=-1")]
    [InlineData("/topics?after=%00")]
    public async Task query_parameters_that_do_not_parse_are_400(string url) =>
        IsProblem(await app.Client(null).GetJsonAsync(url), HttpStatusCode.BadRequest);

    [Theory]
    [InlineData("/actors/nobody")]
    [InlineData("/actors/nobody/positions")]
    [InlineData("/actors/us/positions/no-such-topic")]
    [InlineData("/actors/nobody/events")]
    [InlineData("/topics/no-such-topic")]
    [InlineData("/topics/no-such-topic/positions")]
    [InlineData("/statements/no-such-statement")]
    [InlineData("/actors/NOT..VALID")]
    public async Task unknown_resources_are_404(string url) =>
        IsProblem(await app.Client(null).GetJsonAsync(url), HttpStatusCode.NotFound);

    [Theory]
    [InlineData("corrections", """{"changes":{"stance":"opposes"}}""")]
    [InlineData("retraction", """{"reason":"x"}""")]
    [InlineData("sources", """{"outlet":"AP","attribution":"on-record"}""")]
    public async Task follow_ups_of_an_unknown_statement_are_404(string action, string body) =>
        IsProblem(await app.Client().PostRawAsync($"/statements/no-such-statement/{action}", body), HttpStatusCode.NotFound);

    [Fact]
    public async Task unknown_actors_and_topic_are_422_naming_them()
    {
        var answer = await app.Client().PostJsonAsync("/statements",
            Given.Statement(PositionsApp.UniqueId("st"), ["us", "nobody-at-all"], "no-such-topic", "supports", "2025-01-01"));

        IsProblem(answer, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("nobody-at-all", (string?)answer.Json["errors"]!["actors"]![0]);
        Assert.DoesNotContain("us,", (string?)answer.Json["errors"]!["actors"]![0]);
        Assert.Contains("no-such-topic", (string?)answer.Json["errors"]!["topic"]![0]);
    }

    [Fact]
    public async Task said_at_after_the_time_of_recording_is_422()
    {
        var client = app.Client();
        var (actor, topic) = (await Given.ActorAsync(client), await Given.TopicAsync(client));
        var tomorrow = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd");

        var answer = await client.PostJsonAsync("/statements", Given.Statement(PositionsApp.UniqueId("st"), [actor], topic, "supports", tomorrow));

        IsProblem(answer, HttpStatusCode.UnprocessableEntity);
        Assert.NotNull(answer.Json["errors"]!["saidAt"]);
    }

    [Fact]
    public async Task bad_field_values_are_422_field_by_field()
    {
        var answer = await app.Client().PostRawAsync("/statements",
            """{"statementId":"Not A Slug","actors":[],"stance":"maybe","saidAt":"soon","source":{"outlet":"","attribution":"gossip"}}""");

        IsProblem(answer, HttpStatusCode.UnprocessableEntity);
        var errors = answer.Json["errors"]!.AsObject().Select(e => e.Key).ToList();
        Assert.Superset(new HashSet<string> { "statementId", "actors", "stance", "saidAt", "speaker", "topic", "source.outlet", "source.attribution" },
            errors.ToHashSet());
    }

    [Fact]
    public async Task corrections_may_not_change_the_id_or_the_actors_and_must_stay_valid()
    {
        var client = app.Client();
        var (actor, topic) = (await Given.ActorAsync(client), await Given.TopicAsync(client));
        var id = PositionsApp.UniqueId("st");
        await client.PostJsonAsync("/statements", Given.Statement(id, [actor], topic, "supports", "2025-01-01"));

        IsProblem(await client.PostRawAsync($"/statements/{id}/corrections", """{"changes":{"actors":["us"]}}"""), HttpStatusCode.UnprocessableEntity);
        IsProblem(await client.PostRawAsync($"/statements/{id}/corrections", """{"changes":{"statementId":"x"}}"""), HttpStatusCode.UnprocessableEntity);
        IsProblem(await client.PostRawAsync($"/statements/{id}/corrections", """{"changes":{"stance":"maybe"}}"""), HttpStatusCode.UnprocessableEntity);
        IsProblem(await client.PostRawAsync($"/statements/{id}/corrections", """{"changes":{"topic":"no-such-topic"}}"""), HttpStatusCode.UnprocessableEntity);
        IsProblem(await client.PostRawAsync($"/statements/{id}/corrections", """{"changes":{}}"""), HttpStatusCode.UnprocessableEntity);
        IsProblem(await client.PostRawAsync($"/statements/{id}/corrections", """{"changes":{"conditions":7}}"""), HttpStatusCode.UnprocessableEntity);
        Assert.Single((await client.GetJsonAsync($"/actors/{actor}/events")).Json["items"]!.AsArray());
    }

    [Fact]
    public async Task a_body_over_one_mebibyte_is_413()
    {
        var huge = "{\"summary\":\"" + new string('x', 1024 * 1024 + 10) + "\"}";

        IsProblem(await app.Client().PostRawAsync("/statements", huge), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task errors_carry_no_internal_type_names_or_stack_traces()
    {
        var answers = new[]
        {
            await app.Client().PostRawAsync("/statements", "{\"actors\": 5}"),
            await app.Client().PostRawAsync("/statements", "{{{"),
            await app.Client(null).GetJsonAsync("/statements?limit=x"),
        };

        Assert.All(answers, a => Assert.DoesNotContain("Positions.Api", a.Json.ToJsonString()));
        Assert.All(answers, a => Assert.DoesNotContain(" at ", (string?)a.Json["detail"] ?? ""));
    }
}
