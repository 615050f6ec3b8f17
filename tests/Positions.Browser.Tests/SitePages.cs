using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Positions.Browser.Tests;

/// <summary>
/// Every kind of page the service shows a person, each with what it shows once it has finished drawing: the checks
/// that look at a whole page (axe, phone width, screenshots) must not run on a half-drawn one.
/// </summary>
public sealed record SitePage(string Name, string Path, Func<IPage, Task> WaitUntilDrawn)
{
    public static readonly IReadOnlyList<SitePage> Ours =
    [
        new("landing", "", async page =>
        {
            await Expect(page.Locator(".card").First).ToBeVisibleAsync();
            await Expect(page.Locator("#table tbody tr").First).ToContainTextAsync("full-flop");
        }),
        new("timeline", "?actor=us&topic=ukraine-postwar-security-guarantees", async page =>
        {
            await Expect(page.Locator(".counting-marker circle")).ToHaveCountAsync(3);
            await Expect(page.Locator("#table tbody tr")).ToHaveCountAsync(3);
        }),
        new("topic-map", "?topic=ukraine-air-defence", async page =>
        {
            await Expect(page.Locator(".stance-bar rect")).ToHaveCountAsync(3);
            await Expect(page.Locator("#table tbody tr")).ToHaveCountAsync(3);
        }),
        new("actor", "?actor=us", async page =>
            await Expect(page.Locator("#table table")).ToContainTextAsync("Postwar security guarantees for Ukraine")),
        new("webhooks", "?view=webhooks", async page =>
            await Expect(page.GetByLabel("API key")).ToBeVisibleAsync()),
    ];

    /// <summary>Scalar's API reference: third-party, served by the app, checked apart from our own pages.</summary>
    public static readonly SitePage ApiDocs = new("api-docs", "scalar", async page =>
    {
        // On a phone Scalar folds its sidebar away, so wait for the document's heading and its first operation.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Positions API", Level = 1 })).ToBeVisibleAsync(new() { Timeout = 15000 });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "List actors" })).ToBeVisibleAsync(new() { Timeout = 15000 });
    });

    public static SitePage Named(string name) => Ours.Append(ApiDocs).Single(p => p.Name == name);

    public static TheoryData<string> OurNames => new(Ours.Select(p => p.Name));

    public static TheoryData<string> AllNames => new(Ours.Append(ApiDocs).Select(p => p.Name));

    public static async Task OpenAsync(IPage page, SitePage site)
    {
        await page.GotoAsync(site.Path);
        await site.WaitUntilDrawn(page);
    }
}

/// <summary>The two screens every page is checked on.</summary>
public static class Screens
{
    public const int DesktopWidth = 1280, DesktopHeight = 900;
    // An iPhone 12–15 in portrait, CSS pixels. Not Playwright's isMobile emulation: a mobile viewport zooms out to fit
    // content that is too wide, and then the overflow this size is meant to catch would widen innerWidth instead.
    public const int PhoneWidth = 390, PhoneHeight = 844;

    public static Task<PageSession> OpenAsync(BrowserApp app, string screen) => screen switch
    {
        "desktop" => PageSession.OpenAsync(app, DesktopWidth, DesktopHeight),
        "phone" => PageSession.OpenAsync(app, PhoneWidth, PhoneHeight),
        _ => throw new ArgumentOutOfRangeException(nameof(screen), screen, "desktop or phone"),
    };
}
