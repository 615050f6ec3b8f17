using System.Net;
using System.Net.Http.Headers;
using Alba;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace Positions.Api.Tests.Integration;

[Collection(IntegrationCollection.Name)]
public class ReadProtectionTests(PositionsApp app)
{
    [Fact]
    public async Task with_require_key_for_reads_every_read_needs_a_key_too()
    {
        await using var host = await AlbaHost.For<Program>(web =>
        {
            web.UseEnvironment("Testing");
            web.UseSetting("ConnectionStrings:Positions", app.ConnectionString);
            web.UseSetting($"Positions:ApiKeys:{PositionsApp.WriterName}", PositionsApp.WriterKey);
            web.UseSetting("Positions:RequireKeyForReads", "true");
            web.UseSetting("Positions:Seed", "false");
            web.ConfigureServices(services => services.RunWolverineInSoloMode());
        });
        var anonymous = host.Server.CreateClient();
        var keyed = host.Server.CreateClient();
        keyed.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PositionsApp.WriterKey);

        foreach (var url in new[] { "/actors", "/actors/us", "/actors/us/positions", "/topics", "/shifts", "/statements", "/actors/us/events" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(url, TestContext.Current.CancellationToken)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await keyed.GetAsync(url, TestContext.Current.CancellationToken)).StatusCode);
        }
    }
}
