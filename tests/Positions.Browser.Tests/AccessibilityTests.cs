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

    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task the_api_docs_are_free_of_serious_and_critical_axe_violations(string screen)
    {
        await using var session = await Screens.OpenAsync(app, screen);
        await SitePage.OpenAsync(session.Page, SitePage.ApiDocs);
        await session.ScreenshotAsync($"api-docs-{screen}");

        // Scalar draws this page; Web/ScalarAccessibility.cs gives it a language and colours with enough contrast.
        var serious = Axe.Serious(await Axe.RunAsync(session.Page));

        Assert.True(serious.Length == 0, $"axe on the API docs ({screen}):\n{Axe.Describe(serious)}");
        Assert.DoesNotContain(session.Errors, e => e.StartsWith("left the service"));
    }
}
