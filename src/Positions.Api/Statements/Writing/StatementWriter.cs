using System.Threading.Channels;
using Marten;
using Positions.Api.Shared;
using Positions.Api.Statements.Importing;
using Positions.Api.Statements.Recording;

namespace Positions.Api.Statements.Writing;

/// <summary>
/// The one writer of recordings in this process: <c>POST /statements</c>, imports and seeds hand it their valid
/// statements, and it writes whatever is queued when the previous transaction commits as one transaction (group
/// commit), up to <see cref="MaxLinesPerTransaction"/>, with no artificial wait. Each caller gets exactly its own
/// outcome. If a transaction of several requests fails, each is tried again alone, so one bad request never fails
/// its neighbours.
/// </summary>
public sealed class StatementWriter(IDocumentStore store, ILogger<StatementWriter> logger) : BackgroundService
{
    /// <summary>An import's batch is one request; single writes gather around it up to this many lines.</summary>
    public const int MaxLinesPerTransaction = 1000;

    private sealed record Request(IReadOnlyList<PendingLine> Lines, TaskCompletionSource<IReadOnlyList<RecordOutcome>> Done,
        CancellationToken Caller);

    private readonly Channel<Request> _queue = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Records the lines in one transaction (possibly shared with other callers'); one outcome per line, in order.</summary>
    public async Task<IReadOnlyList<RecordOutcome>> WriteAsync(IReadOnlyList<PendingLine> lines, CancellationToken ct)
    {
        if (lines.Count == 0) return [];
        var request = new Request(lines, new(TaskCreationOptions.RunContinuationsAsynchronously), ct);
        if (!_queue.Writer.TryWrite(request)) throw new ServiceStoppingException();
        // A caller that gives up before its turn is not written (its answer, a timeout, said nothing was); once its
        // transaction has begun, it is written or not, whole, and only the answer is lost.
        return await request.Done.Task.WaitAsync(ct);
    }

    public async Task<RecordOutcome> WriteAsync(PendingLine line, CancellationToken ct) => (await WriteAsync([line], ct))[0];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Runs until the queue is completed at shutdown and drained: a request accepted is a request answered.
        var gathered = new List<Request>();
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            gathered.Clear();
            var lines = 0;
            // The first request always goes (an import's batch may hold the whole bound); the rest while they fit.
            while (_queue.Reader.TryPeek(out var next) && (gathered.Count == 0 || lines + next.Lines.Count <= MaxLinesPerTransaction)
                   && _queue.Reader.TryRead(out var request))
            {
                if (request.Caller.IsCancellationRequested)
                {
                    request.Done.TrySetCanceled(request.Caller);
                    continue;
                }
                gathered.Add(request);
                lines += request.Lines.Count;
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
            var outcomes = await RecordInOneTransactionAsync(requests.SelectMany(r => r.Lines).ToList());
            var next = 0;
            foreach (var request in requests)
            {
                request.Done.TrySetResult(outcomes.Skip(next).Take(request.Lines.Count).ToList());
                next += request.Lines.Count;
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

    private async Task<IReadOnlyList<RecordOutcome>> RecordInOneTransactionAsync(IReadOnlyList<PendingLine> lines)
    {
        await using var session = store.LightweightSession();
        var outcomes = await BatchRecorder.RecordAsync(session, lines, CancellationToken.None);
        await session.SaveChangesAsync(CancellationToken.None);
        return outcomes;
    }
}
