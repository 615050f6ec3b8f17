using System.Diagnostics;
using System.Threading.Channels;
using Marten;
using Npgsql;
using Positions.Api.Hosting;
using Positions.Api.Shared;

namespace Positions.Api.Statements.Writing;

/// <summary>
/// The one writer of statements in this process: <c>POST /statements</c>, corrections, retractions, new sources,
/// imports and seeds hand it their commands, and it writes whatever is queued when the previous transaction commits
/// as one transaction (group commit), up to <see cref="MaxCommandsPerTransaction"/>, with no artificial wait. Each
/// caller gets exactly its own outcomes. If a transaction of several requests fails, each is tried again alone, so
/// one bad request never fails its neighbours.
/// </summary>
public sealed class StatementWriter(IDocumentStore store, NpgsqlDataSource database, PositionsMetrics metrics, ILogger<StatementWriter> logger)
    : BackgroundService
{
    /// <summary>An import's batch is one request; single writes gather around it up to this many commands.</summary>
    public const int MaxCommandsPerTransaction = 1000;

    private sealed record Request(IReadOnlyList<WriteCommand> Commands, TaskCompletionSource<IReadOnlyList<WriteOutcome>> Done,
        CancellationToken Caller);

    private readonly Channel<Request> _queue = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Writes the commands in one transaction (possibly shared with other callers'); one outcome each, in order.</summary>
    public async Task<IReadOnlyList<WriteOutcome>> WriteAsync(IReadOnlyList<WriteCommand> commands, CancellationToken ct)
    {
        if (commands.Count == 0) return [];
        var request = new Request(commands, new(TaskCreationOptions.RunContinuationsAsynchronously), ct);
        if (!_queue.Writer.TryWrite(request)) throw new ServiceStoppingException();
        // A caller that gives up before its turn is not written (its answer, a timeout, said nothing was); once its
        // transaction has begun, it is written or not, whole, and only the answer is lost.
        return await request.Done.Task.WaitAsync(ct);
    }

    public async Task<IReadOnlyList<RecordOutcome>> RecordAsync(IReadOnlyList<PendingLine> lines, CancellationToken ct) =>
        (await WriteAsync(lines, ct)).Cast<RecordOutcome>().ToList();

    public async Task<RecordOutcome> RecordAsync(PendingLine line, CancellationToken ct) => (RecordOutcome)(await WriteAsync([line], ct))[0];

    public async Task<FollowUpOutcome> FollowUpAsync(FollowUp followUp, CancellationToken ct) =>
        (FollowUpOutcome)(await WriteAsync([followUp], ct))[0];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Runs until the queue is completed at shutdown and drained: a request accepted is a request answered.
        var gathered = new List<Request>();
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            gathered.Clear();
            var commands = 0;
            // The first request always goes (an import's batch may hold the whole bound); the rest while they fit.
            while (_queue.Reader.TryPeek(out var next)
                   && (gathered.Count == 0 || commands + next.Commands.Count <= MaxCommandsPerTransaction)
                   && _queue.Reader.TryRead(out var request))
            {
                if (request.Caller.IsCancellationRequested)
                {
                    request.Done.TrySetCanceled(request.Caller);
                    continue;
                }
                gathered.Add(request);
                commands += request.Commands.Count;
            }
            if (gathered.Count > 0) await WriteGatheredAsync(gathered);
        }
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        return base.StopAsync(cancellationToken);
    }

    private async Task WriteGatheredAsync(IReadOnlyList<Request> requests)
    {
        try
        {
            var commands = requests.SelectMany(r => r.Commands).ToList();
            var started = Stopwatch.GetTimestamp();
            var outcomes = await WriteInOneTransactionAsync(commands);
            metrics.BatchWritten(commands.Count, Stopwatch.GetElapsedTime(started));
            metrics.Recorded(outcomes.Count(o => o is RecordOutcome.Recorded));
            var next = 0;
            foreach (var request in requests)
            {
                request.Done.TrySetResult(outcomes.Skip(next).Take(request.Commands.Count).ToList());
                next += request.Commands.Count;
            }
        }
        // A database that is away fails every request alike: answer them all (503) rather than wait it out one by one.
        catch (Exception e) when (requests.Count > 1 && !ExceptionToProblem.IsDatabaseUnavailable(e))
        {
            logger.LogWarning("A transaction of {Requests} write requests failed ({Reason}); trying each alone", requests.Count, e.Message);
            foreach (var request in requests) await WriteGatheredAsync([request]);
        }
        catch (Exception e)
        {
            foreach (var request in requests) request.Done.TrySetException(e);
        }
    }

    private async Task<IReadOnlyList<WriteOutcome>> WriteInOneTransactionAsync(IReadOnlyList<WriteCommand> commands)
    {
        var holders = await FollowUpHoldersAsync(commands);
        await using var session = store.LightweightSession();
        var outcomes = await BatchRecorder.WriteAsync(session, commands, holders, CancellationToken.None);
        await session.SaveChangesAsync(CancellationToken.None);
        return outcomes;
    }

    /// <summary>
    /// The holders of the statements that follow-ups name, so that the batch can lock their streams with the rest:
    /// read before the transaction, with no lock held (a statement's holders never change).
    /// </summary>
    private async Task<IReadOnlyDictionary<string, string[]>> FollowUpHoldersAsync(IReadOnlyList<WriteCommand> commands)
    {
        var ids = commands.OfType<FollowUp>().Select(f => f.StatementId).Distinct().ToArray();
        if (ids.Length == 0) return new Dictionary<string, string[]>();
        await using var connection = await database.OpenConnectionAsync();
        var statements = await StatementsTable.LoadManyAsync(connection, ids, CancellationToken.None);
        return statements.ToDictionary(s => s.Key, s => s.Value.Statement.Actors);
    }
}
