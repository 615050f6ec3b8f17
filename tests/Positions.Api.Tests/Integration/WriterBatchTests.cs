using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Positions.Api.Shared;
using Positions.Api.Statements;
using Positions.Api.Statements.Correcting;
using Positions.Api.Statements.Recording;
using Positions.Api.Statements.Retracting;
using Positions.Api.Statements.Sourcing;
using Positions.Api.Statements.Writing;

namespace Positions.Api.Tests.Integration;

/// <summary>
/// One transaction of the writer holds a recording and follow-ups on it: each command decides on what the ones before
/// it did, as if they had come one after another, and the HTTP answers afterwards show exactly that.
/// </summary>
[Collection(IntegrationCollection.Name)]
public class WriterBatchTests(PositionsApp app)
{
    [Fact]
    public async Task follow_ups_in_the_batch_of_their_recording_see_it_and_each_other()
    {
        var client = app.Client();
        var (actor, other, topic) = (await Given.ActorAsync(client), await Given.ActorAsync(client), await Given.TopicAsync(client));
        var id = PositionsApp.UniqueId("batch");
        var now = DateTimeOffset.UtcNow;
        var input = JsonSerializer.Deserialize<StatementInput>(
            JsonSerializer.Serialize(Given.Statement(id, [actor, other], topic, "supports", "2025-03-01")), PositionsJson.Options)!;
        var valid = StatementRules.Validate(input, now, new ValidationErrors())!;
        var source = new Source("Reuters", null, null, Attribution.OnRecord);
        var writer = app.Host.Services.GetRequiredService<StatementWriter>();

        var outcomes = await writer.WriteAsync(
        [
            new Retraction(id, "before it exists", "test"),
            new PendingLine(1, id, valid, "test"),
            new NewSource(id, source, "test"),
            new Correction(id, JsonSerializer.SerializeToElement(new { stance = "opposes" }), "miscoded", now, "test"),
            new Correction(id, JsonSerializer.SerializeToElement(new { stance = "opposes" }), "again", now, "test"),
            new Correction(id, JsonSerializer.SerializeToElement(new { topic = "no-such-topic" }), null, now, "test"),
            new Retraction(id, "withdrawn", "test"),
            new Retraction(id, "twice", "test"),
        ], TestContext.Current.CancellationToken);

        Assert.IsType<FollowUpOutcome.NotFound>(outcomes[0]);
        Assert.IsType<RecordOutcome.Recorded>(outcomes[1]);
        Assert.Equal([2, 3, 3, -1, 4, 4], outcomes.Skip(2).Select(o => o is FollowUpOutcome.Accepted a ? a.Revision.Revision : -1));
        Assert.Equal(["unknown topic: no-such-topic"], ((FollowUpOutcome.Rejected)outcomes[5]).Errors.ToDictionary()["topic"]);

        var record = (await client.GetJsonAsync($"/statements/{id}")).Json;
        Assert.Equal(["recorded", "sourced", "corrected", "retracted"], record["revisions"]!.AsArray().Select(r => (string?)r!["kind"]));
        Assert.Equal(("opposes", true), ((string?)record["stance"], record["retracted"]!.GetValue<bool>()));
        foreach (var holder in new[] { actor, other })
        {
            var events = (await client.GetJsonAsync($"/actors/{holder}/events")).Json["items"]!.AsArray();
            Assert.Equal([1, 2, 3, 4], events.Select(e => (int)e!["version"]!));
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetJsonAsync($"/actors/{actor}/positions")).Status);
        Assert.Empty((await client.GetJsonAsync($"/actors/{actor}/positions")).Json["positions"]!.AsArray());
    }
}
