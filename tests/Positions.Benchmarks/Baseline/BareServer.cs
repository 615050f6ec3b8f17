using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Positions.Benchmarks.Service;

namespace Positions.Benchmarks.Baseline;

/// <summary>
/// The floor the service is measured against: bare ASP.NET Core endpoints doing the least the same answer needs,
/// one Npgsql command each, on the same database. Like the service it runs as its own process (this harness's
/// dll with <c>bare-server</c>, Server GC as the service has), so neither shares a process with the load generator.
/// </summary>
public sealed class BareServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly IDisposable _cleanup;

    private BareServer(Process process, Uri address)
    {
        _process = process;
        Address = address;
        _cleanup = Cleanup.Register(() => process.Kill(entireProcessTree: true));
    }

    public Uri Address { get; }

    public static async Task<BareServer> StartAsync(string connectionString)
    {
        var address = new Uri($"http://127.0.0.1:{Ports.Free()}");
        var start = new ProcessStartInfo("dotnet", [typeof(BareServer).Assembly.Location, "bare-server", connectionString, address.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_gcServer"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the bare server.");
        var output = new ServiceOutput(process);
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited) throw new InvalidOperationException($"The bare server exited with {process.ExitCode}:\n{output.Tail()}");
            try
            {
                using var answer = await client.GetAsync("/bare/ready");
                if (answer.StatusCode == HttpStatusCode.OK) return new BareServer(process, address);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(50);
        }
        process.Kill(entireProcessTree: true);
        throw new TimeoutException($"The bare server did not answer within 60 s:\n{output.Tail()}");
    }

    /// <summary>The child process: serves the bare endpoints until it is killed.</summary>
    public static async Task<int> ServeAsync(string connectionString, string url)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        await using var db = NpgsqlDataSource.Create(connectionString);
        var app = builder.Build();
        app.MapGet("/bare/ready", () => Results.Ok());

        // P2's baseline: parse the body enough to find its id, then one INSERT in its own committed transaction.
        app.MapPost("/bare/statements", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            var id = JsonDocument.Parse(body).RootElement.GetProperty("statementId").GetString()!;
            await using var connection = await db.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var insert = new NpgsqlCommand(
                "insert into bench.bare_statements (id, body) values ($1, $2) returning recorded_at", connection, transaction);
            insert.Parameters.AddWithValue(id);
            insert.Parameters.Add(new NpgsqlParameter { Value = body, NpgsqlDbType = NpgsqlDbType.Jsonb });
            var recordedAt = (DateTime)(await insert.ExecuteScalarAsync())!;
            await transaction.CommitAsync();
            return Results.Json(new { statementId = id, recordedAt }, statusCode: 201);
        });

        // P3's baseline: the same-size JSON document, one SELECT by key.
        app.MapGet("/bare/positions/{id}", async (string id) =>
        {
            await using var select = db.CreateCommand("select body::text from bench.bare_positions where id = $1");
            select.Parameters.AddWithValue(id);
            return await select.ExecuteScalarAsync() is string body ? Results.Text(body, "application/json") : Results.NotFound();
        });

        await app.RunAsync();
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        _cleanup.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
