using Npgsql;

namespace Positions.Api.Storage;

/// <summary>
/// "Now" by the database's clock, the one clock every instance shares. Transaction times are read from PostgreSQL
/// itself, under the write locks (<see cref="WriteLocks"/>); what defaults to now (a read's asOf and knownAt, the
/// check that a saidAt is not in the future) must agree with them even when this machine's clock is off, or an
/// instance whose clock is behind would not see its own writes. So: this machine's clock plus the offset last
/// measured against <c>clock_timestamp()</c>, taken from the sample with the shortest round trip, whose half bounds
/// the error (tens of microseconds on one host).
/// </summary>
public sealed class DatabaseClock(NpgsqlDataSource database) : TimeProvider
{
    private const int SamplesPerMeasurement = 5;
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    public async Task MeasureAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand("select clock_timestamp()", connection);
        var best = (RoundTrip: TimeSpan.MaxValue, Offset: TimeSpan.Zero);
        for (var i = 0; i < SamplesPerMeasurement; i++)
        {
            var sent = System.GetUtcNow();
            var databaseNow = new DateTimeOffset((DateTime)(await command.ExecuteScalarAsync(ct))!);
            var received = System.GetUtcNow();
            var roundTrip = received - sent;
            if (roundTrip < best.RoundTrip) best = (roundTrip, databaseNow - (sent + roundTrip / 2));
        }
        Interlocked.Exchange(ref _offsetTicks, best.Offset.Ticks);
    }
}

/// <summary>
/// Measures <see cref="DatabaseClock"/> before the service takes requests, then again every 30 s (clocks drift, and
/// the database may have been away at start).
/// </summary>
public sealed class DatabaseClockSync(DatabaseClock clock, ILogger<DatabaseClockSync> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(30);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await TryMeasureAsync(cancellationToken);
        if (clock.Offset.Duration() > TimeSpan.FromSeconds(1))
            logger.LogWarning("This machine's clock is {Offset} off the database's; Positions keeps time by the database's", clock.Offset);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Every, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await TryMeasureAsync(stoppingToken);
        }
    }

    private async Task TryMeasureAsync(CancellationToken ct)
    {
        try
        {
            await clock.MeasureAsync(ct);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            logger.LogWarning("Could not read the database's clock ({Reason}); keeping the offset measured before", e.Message);
        }
    }
}
