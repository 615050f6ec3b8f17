using System.Net;

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
    }
}
