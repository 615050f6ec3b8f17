using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Npgsql;
using Positions.Api.Statements;
using Positions.Api.Storage;

namespace Positions.Api.Hosting;

/// <summary>
/// Once the service listens, says in a few lines what a person starting it wants to know: where it listens, which
/// database it uses (never its password), how many statements that holds, and which page to open. Everything else
/// the frameworks say at start-up stays below the configured log level.
/// </summary>
public sealed class StartupBanner(IHostApplicationLifetime lifetime, IServer server, ChosenDatabase database,
    NpgsqlDataSource dataSource, ILoggerFactory loggers) : BackgroundService
{
    // One short category, so each line reads "info: Positions[0] ...".
    private readonly ILogger _logger = loggers.CreateLogger("Positions");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await StartedAsync(stoppingToken)) return;
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var first = addresses.FirstOrDefault() ?? "(no address)";
        _logger.LogInformation("Positions listening on {Addresses}", string.Join(", ", addresses));
        _logger.LogInformation("Database: {Database}", database.Description);
        try
        {
            _logger.LogInformation("Statements: {Count} recorded", await StatementsTable.CountAsync(dataSource, stoppingToken));
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            _logger.LogWarning("Statements: not counted, the database did not answer ({Reason})", e.Message);
        }
        _logger.LogInformation("Open {Page} for the pages, {Docs} for the API", first + "/", first + "/scalar");
    }

    private async Task<bool> StartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        await using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await using var onStopping = stoppingToken.Register(() => started.TrySetCanceled());
        try
        {
            await started.Task;
            return true;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }
}
