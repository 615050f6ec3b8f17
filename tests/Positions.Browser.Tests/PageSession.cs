using Microsoft.Playwright;

namespace Positions.Browser.Tests;

/// <summary>
/// One browser page for one test, recording every console error, page error and failed request, and refusing any
/// request that leaves the service (the pages must work with no other network).
/// </summary>
public sealed class PageSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;

    private PageSession(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
    }

    public IPage Page { get; }
    public List<string> Errors { get; } = [];

    public static async Task<PageSession> OpenAsync(BrowserApp app, int width = 1280, int height = 900)
    {
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        var page = await context.NewPageAsync();
        var session = new PageSession(context, page);
        page.Console += (_, message) => { if (message.Type == "error") session.Errors.Add($"console: {message.Text}"); };
        page.PageError += (_, error) => session.Errors.Add($"page error: {error}");
        page.RequestFailed += (_, request) => session.Errors.Add($"request failed: {request.Url} {request.Failure}");
        page.Response += (_, response) => { if (response.Status >= 400) session.Errors.Add($"HTTP {response.Status}: {response.Url}"); };
        var origin = app.BaseAddress.GetLeftPart(UriPartial.Authority);
        await context.RouteAsync(url => !url.StartsWith(origin, StringComparison.Ordinal), async route =>
        {
            session.Errors.Add($"left the service: {route.Request.Url}");
            await route.AbortAsync();
        });
        return session;
    }

    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(BrowserApp.ScreenshotDirectory, $"{name}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.Current.SendDiagnosticMessage($"Screenshot: {path}");
        Console.WriteLine($"Screenshot: {path}");
        return path;
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
