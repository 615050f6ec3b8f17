using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Wolverine;

namespace Positions.Api.Tests.Integration;

[Collection(IntegrationCollection.Name)]
public class SecretsTests(PositionsApp app)
{
    private const string DatabasePassword = "database-password-never-shown";

    [Fact]
    public async Task api_keys_and_the_database_password_never_reach_the_logs_or_the_answers()
    {
        var logs = new CollectingLoggerProvider();
        var withPassword = new NpgsqlConnectionStringBuilder(app.ConnectionString) { Password = DatabasePassword }.ConnectionString;
        await using var host = await Alba.AlbaHost.For<Program>(web =>
        {
            web.UseEnvironment("Testing");
            web.UseSetting("ConnectionStrings:Positions", withPassword);
            web.UseSetting($"Positions:ApiKeys:{PositionsApp.WriterName}", PositionsApp.WriterKey);
            web.UseSetting("Positions:Seed", "false");
            web.ConfigureServices(services =>
            {
                services.AddSingleton<ILoggerProvider>(logs);
                services.RunWolverineInSoloMode();
            });
        });

        var answers = new[]
        {
            await host.Client().PostJsonAsync("/topics", new { id = PositionsApp.UniqueId("secret"), title = "t" }),
            await host.Client("a-wrong-key-that-must-not-be-logged").PostJsonAsync("/topics", new { id = "x", title = "t" }),
            await host.Client().PostRawAsync("/statements", "{ broken"),
            await host.Client().GetJsonAsync("/actors/us/positions?asOf=nonsense"),
        };

        Assert.Equal(HttpStatusCode.Created, answers[0].Status);
        var everything = string.Join("\n", logs.Messages) + string.Join("\n", answers.Select(a => a.Body?.ToJsonString()));
        Assert.NotEmpty(logs.Messages);
        Assert.DoesNotContain(PositionsApp.WriterKey, everything);
        Assert.DoesNotContain("a-wrong-key-that-must-not-be-logged", everything);
        Assert.DoesNotContain(DatabasePassword, everything);
    }

    [Fact]
    public async Task describe_prints_the_configuration_without_keys_or_passwords()
    {
        var describe = await Cli.RunAsync($"Host=127.0.0.1;Port=1;Database=x;Username=u;Password={DatabasePassword}", ["describe"],
            new Dictionary<string, string> { ["Positions__ApiKeys__newsdesk"] = PositionsApp.WriterKey });
        var output = describe.Output + describe.Errors;

        Assert.Equal(0, describe.ExitCode);
        Assert.Contains("newsdesk", output);
        Assert.DoesNotContain(PositionsApp.WriterKey, output);
        Assert.DoesNotContain(DatabasePassword, output);
    }

    private sealed class CollectingLoggerProvider : ILoggerProvider
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Collector(this);

        public void Dispose() { }

        private sealed class Collector(CollectingLoggerProvider provider) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                provider.Messages.Enqueue($"{logLevel} {formatter(state, exception)} {exception}");
        }
    }
}
