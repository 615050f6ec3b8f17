namespace Positions.Browser.Tests;

/// <summary>axe on every page as a desktop and as a phone shows it: layout changes what axe sees (contrast, scroll boxes).</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserApp app)
{
    public static TheoryData<string, string> OurPagesOnEachScreen => new(
        SitePage.Ours.SelectMany(p => new[] { (p.Name, "desktop"), (p.Name, "phone") }));

    [Theory]
    [MemberData(nameof(OurPagesOnEachScreen))]
    public async Task every_page_is_free_of_serious_and_critical_axe_violations(string name, string screen)
    {
        var site = SitePage.Named(name);
        await using var session = await Screens.OpenAsync(app, screen);
        await SitePage.OpenAsync(session.Page, site);
        await session.ScreenshotAsync($"{name}-{screen}");

        var serious = Axe.Serious(await Axe.RunAsync(session.Page));

        Assert.True(serious.Length == 0, $"axe on {name} ({screen}):\n{Axe.Describe(serious)}");
        Assert.Empty(session.Errors);
    }

    /// <summary>
    /// Scalar's API reference is served by the app but its markup and theme are Scalar's: its page has no lang
    /// attribute, and some of its greys, its green method names and its syntax colours miss 4.5:1. Neither can be
    /// fixed from wwwroot, so those two rules are Scalar's own here; any other serious or critical violation fails.
    /// </summary>
    private static readonly string[] ScalarsOwn = ["html-has-lang", "color-contrast"];

    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task api_docs_have_no_serious_axe_violations_beyond_scalars_own(string screen)
    {
        await using var session = await Screens.OpenAsync(app, screen);
        await SitePage.OpenAsync(session.Page, SitePage.ApiDocs);
        await session.ScreenshotAsync($"api-docs-{screen}");

        var serious = Axe.Serious(await Axe.RunAsync(session.Page)).Where(v => !ScalarsOwn.Contains(v.Id)).ToArray();

        Assert.True(serious.Length == 0, $"axe on the API docs ({screen}), beyond Scalar's own {string.Join(", ", ScalarsOwn)}:\n{Axe.Describe(serious)}");
        Assert.DoesNotContain(session.Errors, e => e.StartsWith("left the service"));
    }
}
