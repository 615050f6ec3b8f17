using System.Threading.Channels;
using Npgsql;
using Positions.Api.Storage;

namespace Positions.Api.Positions;

/// <summary>
/// Relays the feed's new rows (<see cref="ShiftFeedTable"/>) to this instance's stream subscribers: every
/// <see cref="Every"/> it reads the rows committed since it last looked, up to the instant every write has committed by.
/// </summary>
public sealed class ShiftFeed(NpgsqlDataSource database, ILogger<ShiftFeed> logger) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromMilliseconds(250);
    private const int RowsPerRead = 1000;

    private readonly Lock _gate = new();
    private readonly List<Channel<FeedItem>> _subscribers = [];
    private FeedCursor? _last;

    /// <summary>Live rows after <c>Last</c> from now on; rows up to it are read from the table (replays).</summary>
    public async Task<(ChannelReader<FeedItem> Items, FeedCursor Last, IDisposable Subscription)> SubscribeAsync(CancellationToken ct)
    {
        while (_last is null) await Task.Delay(Every, ct); // the relay's first look
        var channel = Channel.CreateBounded<FeedItem>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_gate)
        {
            _subscribers.Add(channel);
            return (channel.Reader, _last, new Unsubscribe(this, channel));
        }
    }

    /// <summary>Every row after <paramref name="after"/> up to <paramref name="last"/>, from the table.</summary>
    public async IAsyncEnumerable<FeedItem> ReplayAsync(FeedCursor after, FeedCursor last,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        while (true)
        {
            var rows = await ShiftFeedTable.AfterAsync(connection, after, last.RecordedAt, RowsPerRead, ct);
            foreach (var row in rows)
            {
                if ((row.RecordedAt, row.Position).CompareTo((last.RecordedAt, last.Position)) > 0) yield break;
                yield return row;
            }
            if (rows.Count < RowsPerRead) yield break;
            after = new FeedCursor(rows[^1].RecordedAt, rows[^1].Position);
        }
    }

    public Task<FeedCursor?> CursorOfAsync(long eventId, CancellationToken ct) => ShiftFeedTable.CursorOfAsync(database, eventId, ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using (var connection = await database.OpenConnectionAsync(stoppingToken))
                    if (await ReplicaWatermark.CompleteThroughAsync(connection, stoppingToken) is { } through)
                        await RelayAsync(connection, through, stoppingToken);
                await Task.Delay(Every, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                logger.LogWarning("The shift feed could not be read ({Reason}); trying again", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
            }
        }
        lock (_gate)
            foreach (var subscriber in _subscribers) subscriber.Writer.TryComplete();
    }

    private async Task RelayAsync(NpgsqlConnection connection, DateTimeOffset through, CancellationToken ct)
    {
        // The relay begins when the instance does: what came before is replayed from the table on request.
        if (_last is null)
        {
            lock (_gate) _last = new FeedCursor(through, long.MaxValue);
            return;
        }
        for (List<FeedItem> rows; (rows = await ShiftFeedTable.AfterAsync(connection, _last, through, RowsPerRead, ct)).Count > 0;)
            lock (_gate)
            {
                foreach (var row in rows)
                    foreach (var subscriber in _subscribers) subscriber.Writer.TryWrite(row);
                _last = new FeedCursor(rows[^1].RecordedAt, rows[^1].Position);
            }
    }

    private sealed class Unsubscribe(ShiftFeed feed, Channel<FeedItem> channel) : IDisposable
    {
        public void Dispose()
        {
            lock (feed._gate) feed._subscribers.Remove(channel);
            channel.Writer.TryComplete();
        }
    }
}
