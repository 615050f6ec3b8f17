using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Positions.Api.Tests.Integration;

[assembly: CaptureConsole]

namespace Positions.Browser.Tests;

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserApp>
{
    public const string Name = "pages in Chromium against the service on a real socket";
}

/// <summary>
/// The service in its own process on a real socket and a real PostgreSQL with the seeds loaded, and the system Chromium driven
/// by Playwright. One of each for the whole collection.
/// </summary>
public sealed class BrowserApp : IAsyncLifetime
{
    public const string WriterKey = "key-of-the-browser-tests";
    public const string ChromiumPath = "/usr/bin/chromium";

    private TestDatabase? _database;
    private ServiceProcess? _service;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Where each page's screenshot is kept: TestResults/screenshots beside this project.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(ProjectDirectory(), "TestResults", "screenshots");

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.StartAsync();
        _service = await ServiceProcess.StartAsync(_database.ConnectionString,
            new Dictionary<string, string>
            {
                ["Positions:ApiKeys:browser-tests"] = WriterKey,
                // The webhooks page's test subscribes a receiver on this machine.
                ["Positions:Webhooks:AllowedHosts"] = "127.0.0.1",
            });
        BaseAddress = _service.BaseAddress;

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_service is not null) await _service.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }

    /// <summary>A client that writes through the public API, as a newsroom tool would.</summary>
    public HttpClient Writer()
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WriterKey);
        return client;
    }

    /// <summary>
    /// An actor with a topic of its own (the same id), so the seed's topics stay as the other pages' tests expect them.
    /// </summary>
    public async Task<string> ActorWithItsOwnTopicAsync(string prefix, string name)
    {
        using var writer = Writer();
        var actor = $"{prefix}-{Guid.NewGuid():N}"[..20];
        await writer.PostAsJsonAsync("/actors", new { id = actor, name, kind = "organisation" });
        await writer.PostAsJsonAsync("/topics", new { id = actor, title = $"A question of {name}" });
        return actor;
    }

    /// <summary>Opposes, then supports, on the actor's own topic: one full-flop.</summary>
    public async Task RecordFullFlopAsync(string actor)
    {
        using var writer = Writer();
        foreach (var (id, stance, saidAt) in new[] { ("f1", "opposes", "2025-01-01"), ("f2", "supports", "2025-02-01") })
            await writer.PostAsJsonAsync("/statements", new
            {
                statementId = $"{id}-{actor}", actors = new[] { actor }, speaker = new { name = "A. Speaker" }, topic = actor,
                stance, saidAt, source = new { outlet = "Reuters", attribution = "on-record" },
            });
    }

    private static string ProjectDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Positions.Browser.Tests.csproj"))) return dir.FullName;
        return AppContext.BaseDirectory;
    }
}
