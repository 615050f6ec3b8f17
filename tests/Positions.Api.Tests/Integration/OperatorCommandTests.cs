using System.Net;
using Npgsql;
using Positions.Api.Statements;
using Positions.Api.Storage;
using Positions.Api.Tests.Resilience;

namespace Positions.Api.Tests.Integration;

/// <summary>The commands a deployment runs besides the service: the schema step before it, the health check beside it.</summary>
public class OperatorCommandTests
{
    [Fact]
    public async Task migrate_prepares_an_empty_database_and_loads_no_seeds()
    {
        await using var database = await TestDatabase.StartAsync();

        var result = await Cli.RunAsync(database.ConnectionString, ["migrate"], new Dictionary<string, string> { ["Positions__Seed"] = "true" });

        Assert.True(result.ExitCode == 0, result.Errors);
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var check = new NpgsqlCommand(
            $"select (select count(*) from {StatementsTable.Name}), obj_description('{StatementsTable.Name}'::regclass, 'pg_class')", connection);
        await using var reader = await check.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        await reader.ReadAsync(TestContext.Current.CancellationToken);
        Assert.Equal((0L, ReadModelsUpgrade.CurrentVersion), (reader.GetInt64(0), reader.GetString(1)));
    }

    [Fact]
    public async Task probe_exits_0_only_when_the_url_answers_2xx()
    {
        var port = ServiceProcess.FreePort();
        using var listener = new HttpListener { Prefixes = { $"http://127.0.0.1:{port}/" } };
        listener.Start();
        var serving = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                var context = await listener.GetContextAsync();
                context.Response.StatusCode = context.Request.Url!.AbsolutePath == "/ready" ? 200 : 503;
                context.Response.Close();
            }
        });

        var ready = await Cli.RunAsync("", "probe", $"http://127.0.0.1:{port}/ready");
        var unavailable = await Cli.RunAsync("", "probe", $"http://127.0.0.1:{port}/starting");
        listener.Stop();
        var refused = await Cli.RunAsync("", "probe", $"http://127.0.0.1:{port}/ready");

        Assert.Equal((0, 1, 1), (ready.ExitCode, unavailable.ExitCode, refused.ExitCode));
        await Task.WhenAny(serving);
    }
}
