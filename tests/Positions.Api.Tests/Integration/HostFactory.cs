using Alba;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace Positions.Api.Tests.Integration;

/// <summary>Another host of the service on the collection's database, with settings of its own.</summary>
public static class HostFactory
{
    public static Task<IAlbaHost> StartAsync(string connectionString, params (string Key, string Value)[] settings) =>
        AlbaHost.For<Program>(web =>
        {
            web.UseEnvironment("Testing");
            web.UseSetting("ConnectionStrings:Positions", connectionString);
            web.UseSetting($"Positions:ApiKeys:{PositionsApp.WriterName}", PositionsApp.WriterKey);
            web.UseSetting("Positions:Seed", "false");
            foreach (var (key, value) in settings) web.UseSetting(key, value);
            web.ConfigureServices(services => services.RunWolverineInSoloMode());
        });

    public static HttpClient Client(this IAlbaHost host, string? key = PositionsApp.WriterKey)
    {
        var client = host.Server.CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return client;
    }
}
