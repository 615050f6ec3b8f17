using System.Net;

namespace Positions.Api.Tests.Integration;

/// <summary>Valid time (asOf) and transaction time (knownAt), as API.md defines every pair.</summary>
[Collection(IntegrationCollection.Name)]
public class TimeTravelTests(PositionsApp app)
{
    private readonly HttpClient _client = app.Client();

    private async Task<(string Actor, string Topic)> FreshTimelineAsync() =>
        (await Given.ActorAsync(_client), await Given.TopicAsync(_client));

    private async Task<string> RecordAsync(string id, string actor, string topic, string stance, string saidAt)
    {
        var answer = await _client.PostJsonAsync("/statements", Given.Statement(id, [actor], topic, stance, saidAt));
        Assert.Equal(HttpStatusCode.Created, answer.Status);
        return (string)answer.Json["recordedAt"]!;
    }

    private async Task<string?> StanceAsync(string actor, string topic, string query = "") =>
        (string?)(await _client.GetJsonAsync($"/actors/{actor}/positions/{topic}?{query}")).Json["current"]?["stance"];

    private async Task<string> RevisionRecordedAtAsync(string statementId, int revision) =>
        (string)(await _client.GetJsonAsync($"/statements/{statementId}")).Json["revisions"]![revision - 1]!["recordedAt"]!;

    [Fact]
    public async Task late_statement_changes_the_past_but_not_what_was_known_then()
    {
        var (actor, topic) = await FreshTimelineAsync();
        await RecordAsync("a-" + actor, actor, topic, "opposes", "2025-01-01");
        var beforeLate = await RecordAsync("c-" + actor, actor, topic, "supports", "2025-06-01");
        await RecordAsync("b-" + actor, actor, topic, "neutral", "2025-03-01");

        Assert.Equal("neutral", await StanceAsync(actor, topic, "asOf=2025-04-01"));
        Assert.Equal("opposes", await StanceAsync(actor, topic, $"asOf=2025-04-01&knownAt={beforeLate}"));
        Assert.Equal("supports", await StanceAsync(actor, topic));

        var history = (await _client.GetJsonAsync($"/actors/{actor}/positions/{topic}")).Json["history"]!.AsArray();
        Assert.Equal(["a-" + actor, "b-" + actor, "c-" + actor], history.Select(h => (string?)h!["statementId"]));
        Assert.Equal([null, "half-flip", "half-flip"], history.Select(h => (string?)h!["shift"]));
    }

    [Fact]
    public async Task known_at_a_write_recorded_at_includes_it_and_a_moment_before_does_not()
    {
        var (actor, topic) = await FreshTimelineAsync();
        var recordedAt = await RecordAsync(PositionsApp.UniqueId("st"), actor, topic, "supports", "2025-01-01");
        var justBefore = DateTimeOffset.Parse(recordedAt).AddTicks(-10).UtcDateTime.ToString("O");

        Assert.Equal("supports", await StanceAsync(actor, topic, $"knownAt={recordedAt}"));
        var before = await _client.GetJsonAsync($"/actors/{actor}/positions/{topic}?knownAt={justBefore}");
        Assert.Equal(HttpStatusCode.OK, before.Status);
        Assert.Null(before.Json["current"]);
        Assert.Empty(before.Json["history"]!.AsArray());
    }

    [Fact]
    public async Task a_correction_is_seen_from_its_recording_on_and_not_before()
    {
        var (actor, topic) = await FreshTimelineAsync();
        var id = PositionsApp.UniqueId("st");
        var recordedAt = await RecordAsync(id, actor, topic, "supports", "2025-02-01");

        var corrected = await _client.PostJsonAsync($"/statements/{id}/corrections",
            new { changes = new { stance = "opposes", saidAt = "2025-02-12" }, reason = "stance was miscoded" });
        var correctedAt = await RevisionRecordedAtAsync(id, 2);

        Assert.Equal(2, corrected.Json["revision"]!.GetValue<int>());
        Assert.Equal("supports", await StanceAsync(actor, topic, $"knownAt={recordedAt}"));
        Assert.Equal("opposes", await StanceAsync(actor, topic, $"knownAt={correctedAt}"));
        Assert.Null(await StanceAsync(actor, topic, "asOf=2025-02-11"));
        var statement = (await _client.GetJsonAsync($"/statements/{id}")).Json;
        Assert.Equal("opposes", (string?)statement["stance"]);
        Assert.Equal(recordedAt, (string?)statement["recordedAt"]);
        Assert.Equal("stance was miscoded", (string?)statement["revisions"]![1]!["reason"]);
        var auditThen = (await _client.GetJsonAsync($"/statements?actor={actor}&knownAt={recordedAt}")).Json["items"]![0]!;
        Assert.Equal(("supports", 1), ((string?)auditThen["stance"], auditThen["revision"]!.GetValue<int>()));
    }

    [Fact]
    public async Task a_retraction_removes_the_statement_from_its_recording_on()
    {
        var (actor, topic) = await FreshTimelineAsync();
        var id = PositionsApp.UniqueId("st");
        var recordedAt = await RecordAsync(id, actor, topic, "supports", "2025-02-01");

        var retracted = await _client.PostJsonAsync($"/statements/{id}/retraction", new { reason = "the outlet withdrew the report" });
        var retractedAt = await RevisionRecordedAtAsync(id, 2);
        var again = await _client.PostJsonAsync($"/statements/{id}/retraction", new { reason = "again" });

        Assert.Equal((2, 2), (retracted.Json["revision"]!.GetValue<int>(), again.Json["revision"]!.GetValue<int>()));
        Assert.Equal("supports", await StanceAsync(actor, topic, $"knownAt={recordedAt}"));
        Assert.Null(await StanceAsync(actor, topic, $"knownAt={retractedAt}"));
        Assert.Null(await StanceAsync(actor, topic));
        var audit = (await _client.GetJsonAsync($"/statements?actor={actor}")).Json["items"]!.AsArray();
        Assert.True(Assert.Single(audit)!["retracted"]!.GetValue<bool>());
        var auditThen = (await _client.GetJsonAsync($"/statements?actor={actor}&knownAt={recordedAt}")).Json["items"]!.AsArray();
        Assert.False(Assert.Single(auditThen)!["retracted"]!.GetValue<bool>());
        Assert.Equal(2, (await _client.GetJsonAsync($"/actors/{actor}/events")).Json["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task a_retracted_statement_corrected_or_sourced_stays_retracted()
    {
        var (actor, topic) = await FreshTimelineAsync();
        var id = PositionsApp.UniqueId("st");
        await RecordAsync(id, actor, topic, "supports", "2025-02-01");
        await _client.PostJsonAsync($"/statements/{id}/retraction", new { reason = "withdrawn" });

        var corrected = await _client.PostJsonAsync($"/statements/{id}/corrections", new { changes = new { stance = "opposes" } });
        var sourced = await _client.PostJsonAsync($"/statements/{id}/sources",
            new { outlet = "Reuters", url = "https://www.reuters.com/x", publishedAt = "2025-02-02", attribution = "on-record" });

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (corrected.Status, sourced.Status));
        var statement = (await _client.GetJsonAsync($"/statements/{id}")).Json;
        Assert.True(statement["retracted"]!.GetValue<bool>());
        Assert.Equal(["Financial Times", "Reuters"], statement["sources"]!.AsArray().Select(s => (string?)s!["outlet"]));
        Assert.Equal(["recorded", "retracted", "corrected", "sourced"], statement["revisions"]!.AsArray().Select(r => (string?)r!["kind"]));
        Assert.Null(await StanceAsync(actor, topic));
    }

    [Fact]
    public async Task the_audit_list_shows_every_revision_as_it_was_known_then()
    {
        var (actor, topic) = await FreshTimelineAsync();
        var id = PositionsApp.UniqueId("st");
        var recordedAt = await RecordAsync(id, actor, topic, "supports", "2025-02-01");
        await _client.PostJsonAsync($"/statements/{id}/corrections", new { changes = new { stance = "opposes" } });
        var correctedAt = await RevisionRecordedAtAsync(id, 2);
        await _client.PostJsonAsync($"/statements/{id}/sources", new { outlet = "Reuters", attribution = "on-record" });
        var sourcedAt = await RevisionRecordedAtAsync(id, 3);
        await _client.PostJsonAsync($"/statements/{id}/corrections",
            new { changes = new { stance = "neutral", source = new { outlet = "AP", attribution = "spokesperson" } } });

        async Task<(int, string?, string)> AuditAsync(string knownAt)
        {
            var item = (await _client.GetJsonAsync($"/statements?actor={actor}&knownAt={Uri.EscapeDataString(knownAt)}")).Json["items"]![0]!;
            return (item["revision"]!.GetValue<int>(), (string?)item["stance"],
                string.Join(",", item["sources"]!.AsArray().Select(s => (string?)s!["outlet"])));
        }
        Assert.Equal((1, "supports", "Financial Times"), await AuditAsync(recordedAt));
        Assert.Equal((2, "opposes", "Financial Times"), await AuditAsync(correctedAt));
        Assert.Equal((3, "opposes", "Financial Times,Reuters"), await AuditAsync(sourcedAt));
        Assert.Equal((4, "neutral", "AP,Reuters"), await AuditAsync(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O")));
    }

    [Fact]
    public async Task correcting_the_topic_moves_the_statement_between_timelines()
    {
        var (actor, topic) = await FreshTimelineAsync();
        var other = await Given.TopicAsync(_client);
        var id = PositionsApp.UniqueId("st");
        var recordedAt = await RecordAsync(id, actor, topic, "supports", "2025-02-01");

        await _client.PostJsonAsync($"/statements/{id}/corrections", new { changes = new { topic = other } });

        Assert.Null(await StanceAsync(actor, topic));
        Assert.Equal("supports", await StanceAsync(actor, other));
        Assert.Equal("supports", await StanceAsync(actor, topic, $"knownAt={recordedAt}"));
        var positions = (await _client.GetJsonAsync($"/actors/{actor}/positions")).Json["positions"]!.AsArray();
        Assert.Equal([other], positions.Select(p => (string?)p!["topic"]));
    }

    [Fact]
    public async Task same_said_at_is_ordered_by_first_recording_even_after_a_correction()
    {
        var (actor, topic) = await FreshTimelineAsync();
        var first = PositionsApp.UniqueId("first");
        await RecordAsync(first, actor, topic, "opposes", "2025-05-01");
        await RecordAsync(PositionsApp.UniqueId("second"), actor, topic, "supports", "2025-05-01");

        await _client.PostJsonAsync($"/statements/{first}/corrections", new { changes = new { stance = "strongly-opposes" } });

        Assert.Equal("supports", await StanceAsync(actor, topic));
    }

    [Fact]
    public async Task as_of_a_date_means_the_end_of_that_day_and_said_at_a_date_its_start()
    {
        var (actor, topic) = await FreshTimelineAsync();
        await RecordAsync(PositionsApp.UniqueId("st"), actor, topic, "supports", "2025-05-10T18:00:00Z");
        await RecordAsync(PositionsApp.UniqueId("st"), actor, topic, "opposes", "2025-05-11");

        Assert.Equal("supports", await StanceAsync(actor, topic, "asOf=2025-05-10"));
        Assert.Null(await StanceAsync(actor, topic, "asOf=2025-05-09"));
        Assert.Equal("opposes", await StanceAsync(actor, topic, "asOf=2025-05-11T00:00:00Z"));
        Assert.Equal("supports", await StanceAsync(actor, topic, "asOf=2025-05-10T23:59:59Z"));
    }

    [Fact]
    public async Task positions_and_topic_maps_answer_for_any_as_of_and_known_at()
    {
        var (actor, topic) = await FreshTimelineAsync();
        var recordedAt = await RecordAsync(PositionsApp.UniqueId("st"), actor, topic, "opposes", "2025-01-01");
        await RecordAsync(PositionsApp.UniqueId("st"), actor, topic, "supports", "2025-06-01");

        var then = (await _client.GetJsonAsync($"/actors/{actor}/positions?knownAt={recordedAt}")).Json;
        var map = (await _client.GetJsonAsync($"/topics/{topic}/positions?asOf=2025-03-01")).Json;
        var now = (await _client.GetJsonAsync($"/actors/{actor}/positions")).Json["positions"]![0]!;

        Assert.Equal("opposes", (string?)then["positions"]![0]!["stance"]);
        Assert.Equal(recordedAt, (string?)then["knownAt"]);
        Assert.Equal("opposes", (string?)map["positions"]![0]!["stance"]);
        Assert.Equal("2025-03-01T23:59:59.999999Z", (string?)map["asOf"]);
        Assert.Equal(("supports", "full-flop", "opposes"),
            ((string?)now["stance"], (string?)now["lastShift"]!["kind"], (string?)now["previous"]!["stance"]));
    }
}
