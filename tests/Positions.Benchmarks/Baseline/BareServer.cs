using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Positions.Benchmarks.Baseline;

/// <summary>
/// The floor the service is measured against: bare ASP.NET Core endpoints doing the least the same answer needs,
/// one Npgsql command each, on the same database. Runs inside the harness process, on its own port.
/// </summary>
public sealed class BareServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BareServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<BareServer> StartAsync(NpgsqlDataSource db)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();

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

        await app.StartAsync();
        var address = new Uri(app.Urls.First());
        return new BareServer(app, address);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
