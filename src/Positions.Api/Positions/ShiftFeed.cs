using System.Threading.Channels;
using Npgsql;

namespace Positions.Api.Positions;

/// <summary>
/// Relays the feed's new rows (<see cref="ShiftFeedTable"/>) to this instance's stream subscribers: every
/// <see cref="Every"/> it reads the rows after the last it saw. The owner computes them once, for every instance.
/// </summary>
public sealed class ShiftFeed(NpgsqlDataSource database, ILogger<ShiftFeed> logger) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromMilliseconds(250);
    private const int RowsPerRead = 1000;

    private readonly Lock _gate = new();
    private readonly List<Channel<FeedItem>> _subscribers = [];
    private long _last = -1;

    /// <summary>Live rows after <c>Last</c> from now on; rows up to it are read from the table (replays).</summary>
    public (ChannelReader<FeedItem> Items, long Last, IDisposable Subscription) Subscribe()
    {
        var channel = Channel.CreateBounded<FeedItem>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_gate)
        {
            _subscribers.Add(channel);
            return (channel.Reader, _last, new Unsubscribe(this, channel));
        }
    }

    /// <summary>Every row after <paramref name="after"/> up to <paramref name="last"/>, from the table.</summary>
    public async IAsyncEnumerable<FeedItem> ReplayAsync(long after, long last,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        while (after < last)
        {
            var rows = await ShiftFeedTable.AfterAsync(database, after, RowsPerRead, ct);
            foreach (var row in rows.TakeWhile(r => r.Position <= last)) yield return row;
            if (rows.Count < RowsPerRead) yield break;
            after = rows[^1].Position;
        }
    }

    public Task<long?> PositionOfAsync(long eventId, CancellationToken ct) => ShiftFeedTable.PositionOfAsync(database, eventId, ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (_last < 0)
                {
                    var last = await ShiftFeedTable.LastAsync(database, stoppingToken);
                    lock (_gate) _last = last;
                }
                for (List<FeedItem> rows; (rows = await ShiftFeedTable.AfterAsync(database, _last, RowsPerRead, stoppingToken)).Count > 0;)
                    lock (_gate)
                    {
                        foreach (var row in rows)
                            foreach (var subscriber in _subscribers) subscriber.Writer.TryWrite(row);
                        _last = rows[^1].Position;
                    }
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

    private sealed class Unsubscribe(ShiftFeed feed, Channel<FeedItem> channel) : IDisposable
    {
        public void Dispose()
        {
            lock (feed._gate) feed._subscribers.Remove(channel);
            channel.Writer.TryComplete();
        }
    }
}
