using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Positions.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class TimelinePageTests(BrowserApp app)
{
    private const string UsGuarantees = "?actor=us&topic=ukraine-postwar-security-guarantees";

    [Fact]
    public async Task stretches_that_rest_on_unnamed_officials_or_reports_are_dashed_and_said_to_be_provisional()
    {
        await using var session = await PageSession.OpenAsync(app);
        var page = session.Page;
        // Every US statement on guarantees rests on reports or unnamed officials: both stretches are provisional.
        await page.GotoAsync(UsGuarantees);
        await Expect(page.Locator(".provisional-run path")).ToHaveCountAsync(2);
        await Expect(page.Locator(".firm-run path")).ToHaveCountAsync(0);
        await Expect(page.Locator("#headline")).ToContainTextAsync("provisional: it rests on anonymous officials");
        await Expect(page.Locator("#conditions")).ToContainTextAsync("Dashed stretches are provisional");
        await Expect(page.Locator("g.provisional-run")).ToHaveAttributeAsync("stroke-dasharray", "6,4");

        // Ukraine's own words are on the record: a solid line and no note.
        await page.GotoAsync("?actor=ua&topic=ukraine-postwar-security-guarantees");
        await Expect(page.Locator(".firm-run path")).ToHaveCountAsync(1);
        await Expect(page.Locator(".provisional-run path")).ToHaveCountAsync(0);
        await Expect(page.Locator("#conditions")).Not.ToContainTextAsync("provisional");
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task us_timeline_shows_the_full_flop_in_august_2025_after_a_negative_stance()
    {
        await using var session = await PageSession.OpenAsync(app);
        var page = session.Page;
        await page.GotoAsync(UsGuarantees);

        await Expect(page).ToHaveTitleAsync("United States on Postwar security guarantees for Ukraine — stance timeline — Positions");
        var flopLabel = page.Locator(".shift-label text", new() { HasText = "full-flop" });
        await Expect(flopLabel).ToHaveCountAsync(1);

        var before = page.Locator(".counting-marker circle[data-statement-id='ft-2025-08-26-us-ruled-out-guarantees']");
        var flop = page.Locator(".counting-marker circle[data-statement-id='ft-2025-08-26-us-will-coordinate']");
        await Expect(before).ToHaveAttributeAsync("aria-label", "2025: Strongly opposes. US administration");
        await Expect(flop).ToHaveAttributeAsync("aria-label", "week of 19 Aug 2025: Supports, full-flop. Donald Trump, President of the United States");

        // Drawn where they belong: the earlier, negative stance lower and to the left of the flop.
        var a = (await before.BoundingBoxAsync())!;
        var b = (await flop.BoundingBoxAsync())!;
        Assert.True(a.X < b.X && a.Y > b.Y, $"strongly-opposes at ({a.X},{a.Y}), full-flop at ({b.X},{b.Y})");

        var rows = page.Locator("#table tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(rows.Nth(0)).ToContainTextAsync("Strongly opposes");
        await Expect(rows.Nth(1)).ToContainTextAsync("full-flop");
        await Expect(page.Locator("#headline")).ToContainTextAsync("full-flop from strongly opposes");
        await Expect(page.Locator("#conditions")).ToContainTextAsync("tens of thousands of troops");
        await Expect(page.Locator("#stamp")).ToContainTextAsync("as known at");

        await session.ScreenshotAsync("timeline-us-guarantees");
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task moving_asOf_to_2025_06_30_shows_the_earlier_stance_and_updates_the_url()
    {
        await using var session = await PageSession.OpenAsync(app);
        var page = session.Page;
        await page.GotoAsync(UsGuarantees);
        await Expect(page.Locator("#headline")).ToContainTextAsync("Supports");

        await page.GetByLabel("As of (world time): exact date").FillAsync("2025-06-30");
        await page.GetByLabel("As of (world time): exact date").DispatchEventAsync("change");

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"asOf=2025-06-30"));
        await Expect(page.Locator("#headline")).ToContainTextAsync("Strongly opposes since 1 Jan 2025");
        await Expect(page.Locator("#stamp")).ToContainTextAsync("As of 30 Jun 2025");
        await Expect(page.Locator(".shift-label")).ToHaveCountAsync(0);
        await Expect(page.Locator("#table tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#asof-range")).ToHaveAttributeAsync("aria-valuetext", "30 Jun 2025");

        // The address is the view: opening it afresh shows the same.
        await page.ReloadAsync();
        await Expect(page.Locator("#headline")).ToContainTextAsync("Strongly opposes");
        await session.ScreenshotAsync("timeline-us-guarantees-as-of-2025-06-30");
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task the_asOf_slider_steps_statement_by_statement_from_the_keyboard()
    {
        await using var session = await PageSession.OpenAsync(app);
        var page = session.Page;
        await page.GotoAsync(UsGuarantees);
        var slider = page.Locator("#asof-range");
        await Expect(slider).ToHaveAttributeAsync("aria-valuetext", "now");

        await slider.FocusAsync();
        await page.Keyboard.PressAsync("ArrowLeft");
        await Expect(slider).ToHaveAttributeAsync("aria-valuetext", "26 Aug 2025");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"asOf=2025-08-26"));
        await page.Keyboard.PressAsync("ArrowLeft");
        await page.Keyboard.PressAsync("ArrowLeft");
        await Expect(slider).ToHaveAttributeAsync("aria-valuetext", "1 Jan 2025");
        await Expect(page.Locator("#headline")).ToContainTextAsync("Strongly opposes");
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task opening_a_marker_shows_the_financial_times_source()
    {
        await using var session = await PageSession.OpenAsync(app);
        var page = session.Page;
        await page.GotoAsync(UsGuarantees);

        await page.Locator("circle[data-statement-id='ft-2025-08-26-us-will-coordinate']").ClickAsync();

        var detail = page.Locator("#statement-detail");
        await Expect(detail).ToBeVisibleAsync();
        await Expect(detail).ToContainTextAsync("Source: Financial Times, 26 Aug 2025 · unnamed officials");
        await Expect(detail).ToContainTextAsync("Donald Trump, President of the United States");
        await Expect(detail).ToContainTextAsync("Washington will take part in the coordination");
        await Expect(detail).ToContainTextAsync("week of 19 Aug 2025");
        await Expect(detail.GetByRole(AriaRole.Link, new() { Name = "Statement record (JSON)" }))
            .ToHaveAttributeAsync("href", "statements/ft-2025-08-26-us-will-coordinate");
        await session.ScreenshotAsync("timeline-us-guarantees-marker-open");
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task keyboard_alone_reaches_and_opens_a_marker()
    {
        await using var session = await PageSession.OpenAsync(app);
        var page = session.Page;
        await page.GotoAsync(UsGuarantees);
        await Expect(page.Locator(".counting-marker circle")).ToHaveCountAsync(3);

        for (var tab = 0; tab < 40; tab++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>("() => document.activeElement?.matches('.statement-marker circle') ?? false")) break;
        }
        var focused = await page.EvaluateAsync<string?>("() => document.activeElement?.getAttribute('aria-label')");
        Assert.Equal("2025: Strongly opposes. US administration", focused);

        await page.Keyboard.PressAsync("Enter");
        var detail = page.Locator("#statement-detail");
        await Expect(detail).ToBeVisibleAsync();
        await Expect(detail).ToContainTextAsync("ruled out any involvement");
        await Expect(detail).ToContainTextAsync("Financial Times");

        await page.Keyboard.PressAsync("Escape");
        await Expect(detail).ToBeHiddenAsync();
        Assert.Equal("2025: Strongly opposes. US administration",
            await page.EvaluateAsync<string?>("() => document.activeElement?.getAttribute('aria-label')"));
        Assert.Empty(session.Errors);
    }
}
