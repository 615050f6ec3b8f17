using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Alba;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

[assembly: CaptureConsole]

namespace Positions.Api.Tests.Integration;

[CollectionDefinition(Name)]
public sealed class IntegrationCollection : ICollectionFixture<PositionsApp>
{
    public const string Name = "service on a real PostgreSQL";
}

/// <summary>The service as clients see it: one host on one real database for the whole collection, seeds loaded.</summary>
public sealed class PositionsApp : IAsyncLifetime
{
    public const string WriterKey = "key-of-the-newsdesk";
    public const string WriterName = "newsdesk";

    private TestDatabase? _database;

    public IAlbaHost Host { get; private set; } = null!;
    public string ConnectionString => _database!.ConnectionString;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.StartAsync();
        Host = await AlbaHost.For<Program>(web =>
        {
            web.UseEnvironment("Testing");
            web.UseSetting("ConnectionStrings:Positions", _database.ConnectionString);
            web.UseSetting($"Positions:ApiKeys:{WriterName}", WriterKey);
            // The suite sends thousands of requests from one address; limits have tests of their own.
            web.UseSetting("Positions:Limits:RateLimiting", "false");
            web.ConfigureServices(services => services.RunWolverineInSoloMode());
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }

    public HttpClient Client(string? key = WriterKey)
    {
        var client = Host.Server.CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>A unique id for this test's actors, topics and statements, so tests never see each other's data.</summary>
    public static string UniqueId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];
}

public sealed record Answer(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)
{
    public JsonNode Json => Body ?? throw new InvalidOperationException("No JSON body.");
}

public static class HttpClientExtensions
{
    public static async Task<Answer> PostJsonAsync(this HttpClient client, string url, object body) =>
        await Read(await client.PostAsJsonAsync(url, body, Api.Shared.PositionsJson.Options));

    public static async Task<Answer> PostRawAsync(this HttpClient client, string url, string body, string contentType = "application/json") =>
        await Read(await client.PostAsync(url, new StringContent(body, Encoding.UTF8, contentType)));

    public static async Task<Answer> GetJsonAsync(this HttpClient client, string url) => await Read(await client.GetAsync(url));

    private static async Task<Answer> Read(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return new Answer(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response);
    }
}
