using System.Net;
using System.Text.Json.Nodes;

namespace Positions.Api.Tests.Integration;

[Collection(IntegrationCollection.Name)]
public class ReadProtectionTests(PositionsApp app)
{
    [Fact]
    public async Task with_require_key_for_reads_every_read_needs_a_key_too()
    {
        await using var host = await HostFactory.StartAsync(app.ConnectionString, ("Positions:RequireKeyForReads", "true"));
        var anonymous = host.Client(null);
        var keyed = host.Client();

        foreach (var url in new[] { "/actors", "/actors/us", "/actors/us/positions", "/topics", "/shifts", "/statements", "/actors/us/events" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(url, TestContext.Current.CancellationToken)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await keyed.GetAsync(url, TestContext.Current.CancellationToken)).StatusCode);
        }

        // The document served with the setting says the same: every operation takes the bearer key, and answers 401.
        var document = JsonNode.Parse(await anonymous.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken))!;
        foreach (var (path, operations) in document["paths"]!.AsObject())
        foreach (var (method, operation) in operations!.AsObject())
        {
            Assert.True(operation!["security"]?[0]?["bearer"] is not null, $"{method} {path} does not ask for the key");
            Assert.NotNull(operation["responses"]!["401"]);
        }
    }
}
