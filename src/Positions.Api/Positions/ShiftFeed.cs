using System.Threading.Channels;
using Npgsql;
using Positions.Api.Changes;
using Positions.Api.Storage;

namespace Positions.Api.Positions;

/// <summary>A shift that a write made appear or change, with the global sequence and transaction time of that write.</summary>
public sealed record FeedItem(long Id, DateTimeOffset RecordedAt, Shift Shift);

/// <summary>
/// The live feed behind <c>GET /shifts/stream</c>. Every instance follows the record itself, so a write through any
/// instance reaches subscribers on all: every <see cref="Every"/> it reads the writes committed since it last looked,
/// up to the instant through which every write has committed (<see cref="ReplicaWatermark.CompleteThroughAsync"/>:
/// a write still in flight with an earlier time is never skipped), one transaction time at a time, and passes what
/// each did to the shifts to its subscribers. A subscriber resuming after an id gets the same from the record first.
/// </summary>
public sealed class ShiftFeed(NpgsqlDataSource database, ChangesReader changes, ILogger<ShiftFeed> logger) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromMilliseconds(250);
    private const int TransactionsPerRead = 200;

    private readonly Lock _gate = new();
    private readonly List<Channel<FeedItem>> _subscribers = [];
    private DateTimeOffset _through = DateTimeOffset.MinValue;

    /// <summary>Live items from now on, and the instant before which the record (not the feed) has everything.</summary>
    public (ChannelReader<FeedItem> Items, DateTimeOffset Through, IDisposable Subscription) Subscribe()
    {
        var channel = Channel.CreateBounded<FeedItem>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_gate)
        {
            _subscribers.Add(channel);
            return (channel.Reader, _through, new Unsubscribe(this, channel));
        }
    }

    /// <summary>Everything the writes in (after, through] did to the shifts, in the order they were committed.</summary>
    public async IAsyncEnumerable<FeedItem> ReplayAsync(DateTimeOffset after, DateTimeOffset through,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        for (var from = after; from < through;)
        {
            var transactions = await TransactionsAsync(from, through, ct);
            foreach (var (recordedAt, id) in transactions)
                foreach (var shift in await changes.AppearedOrChangedAsync(recordedAt.AddTicks(-10), recordedAt, ct))
                    yield return new FeedItem(id, recordedAt, shift);
            if (transactions.Count < TransactionsPerRead) yield break;
            from = transactions[^1].RecordedAt;
        }
    }

    /// <summary>The transaction time of the event with this global sequence, or null when there is none.</summary>
    public async Task<DateTimeOffset?> RecordedAtAsync(long sequence, CancellationToken ct)
    {
        await using var command = database.CreateCommand("select timestamp from public.mt_events where seq_id = $1");
        command.Parameters.Add(new() { Value = sequence });
        return await command.ExecuteScalarAsync(ct) is DateTime at ? new DateTimeOffset(at) : null;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await database.OpenConnectionAsync(stoppingToken);
                if (await ReplicaWatermark.CompleteThroughAsync(connection, stoppingToken) is { } through)
                {
                    // The feed begins when the instance does: what came before is the record's, for replays.
                    if (_through == DateTimeOffset.MinValue) _through = through;
                    else await PublishAsync(through, stoppingToken);
                }
                await Task.Delay(Every, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                logger.LogWarning("The shift feed could not read the record ({Reason}); trying again", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
            }
        }
        lock (_gate)
            foreach (var subscriber in _subscribers) subscriber.Writer.TryComplete();
    }

    /// <summary>
    /// Read first, then handed over with the mark moved under one lock: a subscriber joining at any moment gets each
    /// item once, live (after its mark) or from its replay (up to it).
    /// </summary>
    private async Task PublishAsync(DateTimeOffset through, CancellationToken ct)
    {
        var items = await ReplayAsync(_through, through, ct).ToListAsync(ct);
        lock (_gate)
        {
            foreach (var item in items)
                foreach (var subscriber in _subscribers) subscriber.Writer.TryWrite(item);
            _through = through;
        }
    }

    private async Task<List<(DateTimeOffset RecordedAt, long Id)>> TransactionsAsync(DateTimeOffset after, DateTimeOffset through, CancellationToken ct)
    {
        // One transaction, one transaction time (what every event and revision row it wrote carries), named by the
        // sequence of one of its events. Found through the revisions' index on that time (mt_events has none).
        await using var command = database.CreateCommand($"""
            with t as (
                select distinct known_from from {RevisionsTable.Name}
                where holder_index = 0 and known_from > $1 and known_from <= $2 order by known_from limit $3)
            select t.known_from, (
                select max(e.seq_id) from {RevisionsTable.Name} r join public.mt_events e on e.stream_id = r.actor and e.timestamp = r.known_from
                where r.holder_index = 0 and r.known_from = t.known_from)
            from t order by t.known_from
            """);
        command.Parameters.Add(new() { Value = after });
        command.Parameters.Add(new() { Value = through });
        command.Parameters.Add(new() { Value = TransactionsPerRead });
        var transactions = new List<(DateTimeOffset, long)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) transactions.Add((reader.GetFieldValue<DateTimeOffset>(0), reader.GetInt64(1)));
        return transactions;
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
