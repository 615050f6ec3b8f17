using System.Net;

namespace Positions.Api.Tests.Integration;

[Collection(IntegrationCollection.Name)]
public class RecordingTests(PositionsApp app)
{
    [Fact]
    public async Task a_recorded_statement_answers_201_with_its_stream_versions_and_reads_back_whole()
    {
        var client = app.Client();
        var (actor, topic) = (await Given.ActorAsync(client), await Given.TopicAsync(client));
        var id = PositionsApp.UniqueId("st");

        var recorded = await client.PostJsonAsync("/statements", Given.Statement(id, [actor], topic, "supports", "2025-03-01"));

        Assert.Equal(HttpStatusCode.Created, recorded.Status);
        Assert.Equal(id, (string?)recorded.Json["statementId"]);
        Assert.Equal(actor, (string?)recorded.Json["streams"]![0]!["actor"]);
        Assert.Equal(1, (long)recorded.Json["streams"]![0]!["version"]!);
        var read = (await client.GetJsonAsync($"/statements/{id}")).Json;
        Assert.Equal((string?)recorded.Json["recordedAt"], (string?)read["recordedAt"]);
        Assert.Equal(PositionsApp.WriterName, (string?)read["recordedBy"]);
        Assert.Equal("2025-03-01", (string?)read["saidAt"]);
        Assert.Equal("recorded", (string?)read["revisions"]![0]!["kind"]);
    }

    [Fact]
    public async Task the_same_statement_again_answers_200_with_the_original_result_and_writes_nothing()
    {
        var client = app.Client();
        var (actor, topic) = (await Given.ActorAsync(client), await Given.TopicAsync(client));
        var body = Given.Statement(PositionsApp.UniqueId("st"), [actor], topic, "opposes", "2025-03-01");

        var first = await client.PostJsonAsync("/statements", body);
        var again = await client.PostJsonAsync("/statements", body);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (first.Status, again.Status));
        Assert.Equal(first.Json.ToJsonString(), again.Json.ToJsonString());
        Assert.Single((await client.GetJsonAsync($"/actors/{actor}/events")).Json["items"]!.AsArray());
    }

    [Fact]
    public async Task re_sending_the_original_after_a_correction_still_answers_200_with_the_original_result()
    {
        var client = app.Client();
        var (actor, topic) = (await Given.ActorAsync(client), await Given.TopicAsync(client));
        var body = Given.Statement(PositionsApp.UniqueId("st"), [actor], topic, "opposes", "2025-03-01");
        var first = await client.PostJsonAsync("/statements", body);
        await client.PostJsonAsync($"/statements/{first.Json["statementId"]}/corrections", new { changes = new { stance = "supports" } });

        var again = await client.PostJsonAsync("/statements", body);

        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(first.Json.ToJsonString(), again.Json.ToJsonString());
        Assert.Equal(2, (await client.GetJsonAsync($"/actors/{actor}/events")).Json["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task the_same_id_with_other_content_is_a_conflict()
    {
        var client = app.Client();
        var (actor, topic) = (await Given.ActorAsync(client), await Given.TopicAsync(client));
        var id = PositionsApp.UniqueId("st");
        await client.PostJsonAsync("/statements", Given.Statement(id, [actor], topic, "opposes", "2025-03-01"));

        var conflict = await client.PostJsonAsync("/statements", Given.Statement(id, [actor], topic, "supports", "2025-03-01"));

        Assert.Equal(HttpStatusCode.Conflict, conflict.Status);
        Assert.Equal("application/problem+json", conflict.Response.Content.Headers.ContentType?.MediaType);
        Assert.Single((await client.GetJsonAsync($"/actors/{actor}/events")).Json["items"]!.AsArray());
    }

    [Fact]
    public async Task without_an_id_the_server_makes_a_lower_case_uuid_v7()
    {
        var client = app.Client();
        var (actor, topic) = (await Given.ActorAsync(client), await Given.TopicAsync(client));

        var recorded = await client.PostJsonAsync("/statements", Given.Statement(null!, [actor], topic, "opposes", "2025-03-01"));

        var id = (string)recorded.Json["statementId"]!;
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", id);
    }

    [Fact]
    public async Task a_joint_statement_goes_to_every_holders_stream_in_one_transaction()
    {
        var client = app.Client();
        var (first, second, topic) = (await Given.ActorAsync(client), await Given.ActorAsync(client), await Given.TopicAsync(client));
        var id = PositionsApp.UniqueId("joint");

        var recorded = await client.PostJsonAsync("/statements", Given.Statement(id, [first, second], topic, "supports", "2025-03-01"));
        await client.PostJsonAsync($"/statements/{id}/corrections", new { changes = new { stance = "strongly-supports" } });

        Assert.Equal(2, recorded.Json["streams"]!.AsArray().Count);
        foreach (var actor in new[] { first, second })
        {
            var events = (await client.GetJsonAsync($"/actors/{actor}/events")).Json["items"]!.AsArray();
            Assert.Equal(["statement_recorded", "statement_corrected"], events.Select(e => (string?)e!["type"]));
            var position = (await client.GetJsonAsync($"/actors/{actor}/positions/{topic}")).Json["current"]!;
            Assert.Equal("strongly-supports", (string?)position["stance"]);
        }
        var audit = (await client.GetJsonAsync($"/statements?topic={topic}")).Json["items"]!.AsArray();
        Assert.Equal(2, Assert.Single(audit)!["revision"]!.GetValue<int>());
    }

    [Fact]
    public async Task server_side_fields_sent_by_a_client_are_ignored()
    {
        var client = app.Client();
        var (actor, topic) = (await Given.ActorAsync(client), await Given.TopicAsync(client));
        var id = PositionsApp.UniqueId("st");
        var body = new
        {
            statementId = id, actors = new[] { actor }, topic, stance = "supports", saidAt = "2025-03-01",
            speaker = new { name = "X" }, source = new { outlet = "Reuters", attribution = "reported" },
            recordedAt = "2000-01-01T00:00:00Z", recordedBy = "mallory", revision = 99, version = 7,
        };

        await client.PostJsonAsync("/statements", body);

        var read = (await client.GetJsonAsync($"/statements/{id}")).Json;
        Assert.Equal(PositionsApp.WriterName, (string?)read["recordedBy"]);
        Assert.NotEqual("2000-01-01T00:00:00Z", (string?)read["recordedAt"]);
        Assert.Equal(1, read["revision"]!.GetValue<int>());
    }

    [Fact]
    public async Task registering_an_actor_is_idempotent_and_conflicts_on_other_content()
    {
        var client = app.Client();
        var id = PositionsApp.UniqueId("person");
        var body = new { id, name = "Donald Trump", kind = "person", country = "us" };

        var created = await client.PostJsonAsync("/actors", body);
        var same = await client.PostJsonAsync("/actors", body);
        var other = await client.PostJsonAsync("/actors", body with { name = "Someone else" });

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Conflict), (created.Status, same.Status, other.Status));
        Assert.Equal($"/actors/{id}", created.Response.Headers.Location?.ToString());
        Assert.Equal("Donald Trump", (string?)(await client.GetJsonAsync($"/actors/{id}")).Json["name"]);
    }

    [Fact]
    public async Task a_topic_may_name_a_registered_parent_only()
    {
        var client = app.Client();
        var parent = await Given.TopicAsync(client);

        var child = await client.PostJsonAsync("/topics", new { id = PositionsApp.UniqueId("child"), title = "Child", parent });
        var orphan = await client.PostJsonAsync("/topics", new { id = PositionsApp.UniqueId("orphan"), title = "Orphan", parent = "no-such-topic" });

        Assert.Equal(HttpStatusCode.Created, child.Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, orphan.Status);
        Assert.NotNull(orphan.Json["errors"]!["parent"]);
    }
}
