using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Positions.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class OtherPageTests(BrowserApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task topic_map_for_air_defence_lists_de_and_no_as_supporting()
    {
        await using var session = await PageSession.OpenAsync(app);
        var page = session.Page;
        await page.GotoAsync("?topic=ukraine-air-defence");

        await Expect(page).ToHaveTitleAsync("Air defence for Ukraine — who stands where — Positions");
        var rows = page.Locator("#table tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        foreach (var (name, id) in new[] { ("Germany", "de"), ("Norway", "no") })
        {
            var row = rows.Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }) });
            await Expect(row).ToContainTextAsync("Supports");
            await Expect(row).ToContainTextAsync("26 Aug 2025");
            await Expect(row.GetByRole(AriaRole.Link, new() { Name = name }))
                .ToHaveAttributeAsync("href", $"?actor={id}&topic=ukraine-air-defence");
        }
        await Expect(page.Locator(".stance-bar rect")).ToHaveCountAsync(3);
        await Expect(page.Locator("#stamp")).ToContainTextAsync("As of now");
        await session.ScreenshotAsync("topic-map-air-defence");
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task landing_lists_recent_shifts_and_search_finds_actors_and_topics()
    {
        await using var session = await PageSession.OpenAsync(app);
        var page = session.Page;
        await page.GotoAsync("");

        await Expect(page).ToHaveTitleAsync("Recent shifts — Positions");
        var card = page.Locator(".card", new() { HasText = "United States" });
        await Expect(card).ToContainTextAsync("full-flop");
        await Expect(card).ToContainTextAsync("Postwar security guarantees for Ukraine");
        await Expect(page.Locator("#stamp")).ToContainTextAsync("as known at");
        await session.ScreenshotAsync("landing-recent-shifts");

        await page.GetByLabel("Find an actor or a topic").FillAsync("norw");
        await page.GetByRole(AriaRole.Link, new() { Name = "country Norway" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"\?actor=no$"));
        await Expect(page.Locator("#table table")).ToContainTextAsync("Air defence for Ukraine");
        await session.ScreenshotAsync("actor-norway");

        await page.GoBackAsync();
        await Expect(page).ToHaveTitleAsync("Recent shifts — Positions");
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task retracted_and_corrected_statements_are_marked_when_asked_for()
    {
        using var writer = app.Writer();
        var topic = $"browser-marks-{Guid.NewGuid():N}"[..30];
        Assert.True((await writer.PostAsJsonAsync("topics", new { id = topic, title = "Marks test", question = "Marked?" }, Ct)).IsSuccessStatusCode);
        foreach (var (id, stance, said) in new[] { ($"{topic}-a", "opposes", "2025-03-01"), ($"{topic}-b", "supports", "2025-05-01"), ($"{topic}-c", "neutral", "2025-07-01") })
        {
            var recorded = await writer.PostAsJsonAsync("statements", new
            {
                statementId = id, actors = new[] { "fr" }, topic, stance, saidAt = said,
                speaker = new { name = "Elysée spokesperson" },
                source = new { outlet = "Le Monde", url = "https://www.lemonde.fr/example", publishedAt = said, attribution = "spokesperson" },
            }, Ct);
            Assert.Equal(System.Net.HttpStatusCode.Created, recorded.StatusCode);
        }
        Assert.True((await writer.PostAsJsonAsync($"statements/{topic}-b/corrections", new { changes = new { stance = "strongly-supports" }, reason = "stronger" }, Ct)).IsSuccessStatusCode);
        Assert.True((await writer.PostAsJsonAsync($"statements/{topic}-c/retraction", new { reason = "withdrawn" }, Ct)).IsSuccessStatusCode);

        await using var session = await PageSession.OpenAsync(app);
        var page = session.Page;
        await page.GotoAsync($"?actor=fr&topic={topic}");
        await Expect(page.Locator(".counting-marker circle")).ToHaveCountAsync(2);
        await Expect(page.Locator(".retracted-marker circle")).ToHaveCountAsync(0);

        await page.GetByLabel("Mark retracted and corrected statements").CheckAsync();
        await Expect(page).ToHaveURLAsync(new Regex("marks=revisions"));
        await Expect(page.Locator(".retracted-marker circle")).ToHaveCountAsync(1);
        await Expect(page.Locator("#table tbody tr.retracted")).ToContainTextAsync("Neutral");
        await Expect(page.Locator("#table tbody tr.corrected")).ToContainTextAsync("Strongly supports");
        await Expect(page.Locator($"circle[data-statement-id='{topic}-c']")).ToHaveAttributeAsync("aria-label", new Regex("retracted"));

        await page.Locator($"circle[data-statement-id='{topic}-b']").ClickAsync();
        await Expect(page.Locator("#statement-detail").GetByRole(AriaRole.Link, new() { Name = "Le Monde" }))
            .ToHaveAttributeAsync("href", "https://www.lemonde.fr/example");
        await session.ScreenshotAsync("timeline-marks-retracted-and-corrected");
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task downloads_hold_exactly_the_rows_shown()
    {
        await using var session = await PageSession.OpenAsync(app);
        var page = session.Page;
        await page.GotoAsync("?topic=ukraine-air-defence&asOf=2025-12-31");
        await Expect(page.Locator("#table tbody tr")).ToHaveCountAsync(3);

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download CSV" }).ClickAsync());
        var csv = await File.ReadAllLinesAsync((await download.PathAsync())!, Ct);
        Assert.Equal("actor,actorName,stance,score,since,conditions,statementId", csv[0]);
        Assert.Equal(["de", "no", "us"], csv.Skip(1).Select(l => l.Split(',')[0]).Order());
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task the_topic_page_draws_every_actors_stance_month_by_month()
    {
        await using var session = await PageSession.OpenAsync(app);
        var page = session.Page;
        await page.GotoAsync("?topic=ukraine-postwar-security-guarantees&asOf=2025-12-31");
        var us = page.Locator(".series-cell rect", new() { Has = page.Locator("title", new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^United States,") }) });
        // 2024 and 2025 are drawn; the US position begins in 2025 ("earlier this year", coded to the year).
        await Expect(us).ToHaveCountAsync(12);
        await Expect(page.Locator(".series-cell title", new() { HasText = "United States, end of 2025-07-31: Strongly opposes (provisional)" })).ToHaveCountAsync(1);
        await Expect(page.Locator(".series-cell title", new() { HasText = "United States, end of 2025-08-31: Supports (provisional)" })).ToHaveCountAsync(1);
        await Expect(page.Locator("#series-note")).ToContainTextAsync("paler cells are provisional");
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task the_landing_page_says_what_the_record_learned_this_week()
    {
        await using var session = await PageSession.OpenAsync(app);
        var page = session.Page;
        await page.GotoAsync("");
        var learned = page.GetByRole(AriaRole.Region, new() { Name = "What the record learned this week" });
        // The seeds were recorded when the service started, minutes ago.
        // Other tests write too (corrections, retractions): the counts of each kind come before "since".
        await Expect(learned).ToContainTextAsync(new Regex(@"\d+ recorded(, \d+ \w+)* since"));
        await Expect(learned.Locator("#appeared li", new() { HasText = "United States on Postwar security guarantees for Ukraine" }))
            .ToContainTextAsync("full-flop");
        await Expect(learned.Locator("#appeared li", new() { HasText = "United States on Postwar security guarantees for Ukraine" }))
            .ToContainTextAsync("provisional");
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task the_actor_page_shows_the_commitment_ladder()
    {
        await using var session = await PageSession.OpenAsync(app);
        var page = session.Page;
        await page.GotoAsync("?actor=no&asOf=2025-09-30");
        var rows = page.Locator("#commitments tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        var patriots = rows.Filter(new() { HasText = "Patriot air defence system" });
        await Expect(patriots).ToContainTextAsync("2 (26 Aug 2025)");
        await Expect(patriots.Locator("td").Nth(3)).ToHaveTextAsync("2"); // the first column is the row header
        await Expect(patriots.Locator("td").Nth(4)).ToHaveTextAsync("35");
        await page.GotoAsync("?actor=ua");
        await Expect(page.Locator("#commitments")).ToContainTextAsync("only words");
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task the_landing_page_shows_new_shifts_as_they_are_recorded()
    {
        await using var session = await PageSession.OpenAsync(app);
        var page = session.Page;
        await page.GotoAsync("");
        await Expect(page.Locator("#live-note")).ToBeVisibleAsync();
        var actor = await app.ActorWithItsOwnTopicAsync("live", "A live actor");
        await app.RecordFullFlopAsync(actor);
        await Expect(page.Locator("#live li", new() { HasText = actor })).ToContainTextAsync("full-flop", new() { Timeout = 10_000 });
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task the_landing_page_offers_the_whole_record_for_download()
    {
        await using var session = await PageSession.OpenAsync(app);
        var page = session.Page;
        await page.GotoAsync("");
        var exports = page.GetByRole(AriaRole.Region, new() { Name = "The whole record" });
        var shifts = await page.RunAndWaitForDownloadAsync(() => exports.GetByRole(AriaRole.Link, new() { Name = "Every shift (CSV)" }).ClickAsync());
        var rows = await File.ReadAllLinesAsync((await shifts.PathAsync())!, Ct);
        Assert.Equal("actor,topic,kind,at,fromStance,fromSaidAt,fromStatementId,toStance,toStatementId,provisional,attribution", rows[0]);
        Assert.Contains(rows, r => r.StartsWith("us,ukraine-postwar-security-guarantees,full-flop,"));
        var statements = await page.RunAndWaitForDownloadAsync(() => exports.GetByRole(AriaRole.Link, new() { Name = "Every statement (NDJSON)" }).ClickAsync());
        Assert.All(await File.ReadAllLinesAsync((await statements.PathAsync())!, Ct),
            line => Assert.NotNull(System.Text.Json.Nodes.JsonNode.Parse(line)!["statementId"]));
        await Expect(exports.GetByRole(AriaRole.Link, new() { Name = "Every position now (CSV)" })).ToHaveAttributeAsync("href", "positions.csv");
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task the_webhooks_page_subscribes_a_url_shows_its_deliveries_with_every_attempt_and_deletes_it()
    {
        const string secret = "a-long-random-secret-for-the-page";
        await using var receiver = new Positions.Api.Tests.Integration.WebhookReceiver(secret,
            (_, attempt) => new Positions.Api.Tests.Integration.Reply(attempt == 1 ? 503 : 200));
        var actor = await app.ActorWithItsOwnTopicAsync("hook", "A hooked actor");

        await using var session = await PageSession.OpenAsync(app);
        var page = session.Page;
        await page.GotoAsync("");
        await page.Locator("#live-note").GetByRole(AriaRole.Link, new() { Name = "webhooks" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Webhooks", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("main pre")).ToContainTextAsync("\"event\": \"shift\"");

        await page.GetByLabel("API key").FillAsync("not-a-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(page.Locator("#key-error")).ToHaveTextAsync("That key is not one this service knows.");
        await Expect(page.Locator("#subscribe")).ToBeHiddenAsync();

        await page.GetByLabel("API key").FillAsync(BrowserApp.WriterKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        var form = page.Locator("#subscribe-form");
        await form.GetByLabel("URL").FillAsync(receiver.Url);
        await form.GetByLabel("Secret").FillAsync("too-short");
        await form.GetByRole(AriaRole.Button, new() { Name = "Subscribe" }).ClickAsync();
        await Expect(page.Locator("#subscribe-error")).ToContainTextAsync("secret");

        await form.GetByLabel("Secret").FillAsync(secret);
        await form.GetByLabel("Only this actor").SelectOptionAsync(actor);
        await form.GetByRole(AriaRole.Button, new() { Name = "Subscribe" }).ClickAsync();
        var row = page.Locator("#subscriptions-table tbody tr", new() { HasText = receiver.Url });
        await Expect(row).ToContainTextAsync($"actor {actor}");

        await app.RecordFullFlopAsync(actor);
        await receiver.WaitForAsync(r => r.Any(d => d.AnsweredWith == 200), TimeSpan.FromSeconds(30));
        using var writer = app.Writer();
        var subscriptions = await writer.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/subscriptions?limit=1000", Ct);
        var subscription = (string)subscriptions!["items"]!.AsArray().Single(s => (string)s!["url"]! == receiver.Url)!["id"]!;
        await Positions.Api.Tests.Integration.WebhookDeliveries.DeliveredAsync(writer, subscription, count: 1, TimeSpan.FromSeconds(30));

        await row.GetByRole(AriaRole.Button, new() { Name = "Deliveries" }).ClickAsync();
        var delivery = page.Locator("#deliveries-table tbody tr").First;
        await Expect(delivery).ToContainTextAsync($"{actor} on {actor}: full-flop");
        await Expect(delivery).ToContainTextAsync("delivered");
        await Expect(delivery.Locator("ol.attempts li")).ToHaveCountAsync(2);
        await Expect(delivery.Locator("ol.attempts li").First).ToContainTextAsync("503");
        await Expect(delivery).ToContainTextAsync(receiver.Received[0].DeliveryId!);

        await row.GetByRole(AriaRole.Button, new() { Name = $"Delete the subscription of {receiver.Url}" }).ClickAsync();
        await Expect(page.Locator("#subscriptions-table tbody tr", new() { HasText = receiver.Url })).ToHaveCountAsync(0);
        // The refused key and the short secret were answered as they should be; nothing else went wrong.
        Assert.All(session.Errors, e =>
            Assert.Matches(@"^(HTTP (401|422): .*/subscriptions|console: Failed to load resource: the server responded with a status of (401|422))", e));
        Assert.Equal(4, session.Errors.Count);
    }

    [Fact]
    public async Task api_docs_are_served_by_the_app_itself()
    {
        await using var session = await PageSession.OpenAsync(app);
        var page = session.Page;
        await page.GotoAsync("scalar");
        await Expect(page.GetByText("Register a topic").First).ToBeVisibleAsync(new() { Timeout = 15000 });
        await session.ScreenshotAsync("api-docs-scalar");
        Assert.DoesNotContain(session.Errors, e => e.StartsWith("left the service"));
    }
}
