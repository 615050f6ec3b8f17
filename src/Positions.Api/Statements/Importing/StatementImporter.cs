using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Positions.Api.Statements.Writing;
using Positions.Api.Hosting;
using Positions.Api.Shared;
using Positions.Api.Statements.Recording;
using Positions.Api.Storage;

namespace Positions.Api.Statements.Importing;

/// <summary>How far an import has come, after each committed batch.</summary>
public sealed record ImportProgress(long BytesRead, int Lines, int Recorded, int Unchanged, int Rejected);

/// <summary>
/// Imports NDJSON, one <c>POST /statements</c> body a line: the work behind <c>POST /imports</c> and the
/// <c>import</c> command. Lines are read and validated on one task while the previous batch is written on another,
/// so parsing overlaps the database's work; each batch of <see cref="BatchSize"/> lines is one transaction, so a
/// line is recorded whole or not at all and a failure later in the input loses no batch committed before it.
/// </summary>
public sealed class StatementImporter(StatementWriter writer, TimeProvider clock, TableStatistics statistics, PositionsMetrics metrics)
{
    public const int MaxLineChars = 1024 * 1024;

    /// <summary>Lines per transaction: large enough to amortise round trips, small enough to keep locks short.</summary>
    public const int BatchSize = 1000;

    /// <summary>After a large load the planner's statistics are stale; fresh ones keep reads on their indexes.</summary>
    public const int AnalyzeAfter = 10_000;

    public async Task<ImportReport> ImportAsync(Stream input, string recordedBy, IProgress<ImportProgress>? progress,
        CancellationToken ct)
    {
        var tally = new ImportTally();
        // One batch waits while the next is parsed: memory stays at two batches whatever the input's size.
        var batches = Channel.CreateBounded<ParsedBatch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reading = Task.Run(() => ReadAsync(input, recordedBy, batches.Writer, stop.Token), stop.Token);
        try
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(stop.Token))
            {
                var rejectedBefore = tally.RejectedCount;
                foreach (var (line, errors) in batch.Rejected) tally.Reject(line, errors);
                await RecordAsync(batch.Valid, tally, stop.Token);
                // Rejected by the rules, or by what the writer found (unknown ids, an id recorded with other content).
                metrics.LinesRejected(tally.RejectedCount - rejectedBefore);
                progress?.Report(new ImportProgress(batch.BytesRead, batch.LastLine, tally.Recorded, tally.Unchanged, tally.RejectedCount));
            }
            // The reader's own failure (a body cut short, too large, ...) surfaces here as it was thrown.
            await reading;
        }
        catch
        {
            await stop.CancelAsync();
            await Task.WhenAny(reading);
            throw;
        }
        // Statistics only steer plans, they change no answer: refresh them after the import, not before its report.
        if (tally.Recorded >= AnalyzeAfter) statistics.Refresh();
        return tally.ToReport();
    }

    /// <summary>Valid lines as commands: a recording each, followed by its retraction when the line says so.</summary>
    private sealed record ParsedBatch(List<WriteCommand> Valid, List<(int Line, ValidationErrors Errors)> Rejected, int LastLine, long BytesRead);

    private async Task ReadAsync(Stream input, string recordedBy, ChannelWriter<ParsedBatch> batches, CancellationToken ct)
    {
        try
        {
            using var reader = new StreamReader(input, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024);
            var valid = new List<WriteCommand>(BatchSize);
            var lines = 0;
            var rejected = new List<(int, ValidationErrors)>();
            var lineNumber = 0;
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(line)) continue;

                var errors = new ValidationErrors();
                var statementInput = Parse(line, errors);
                var statement = statementInput is null ? null : StatementRules.Validate(statementInput, clock.GetUtcNow(), errors);
                if (statement is null)
                {
                    rejected.Add((lineNumber, errors));
                    continue;
                }
                var id = statementInput!.StatementId ?? RecordOutcome.NewStatementId();
                valid.Add(new PendingLine(lineNumber, id, statement, recordedBy));
                if (SaysRetracted(line)) valid.Add(new ExportedRetraction(id, statement, recordedBy));

                if (++lines == BatchSize)
                {
                    await batches.WriteAsync(new ParsedBatch(valid, rejected, lineNumber, Position(input)), ct);
                    (valid, rejected, lines) = (new List<WriteCommand>(BatchSize), [], 0);
                }
            }
            await batches.WriteAsync(new ParsedBatch(valid, rejected, lineNumber, Position(input)), ct);
        }
        finally
        {
            batches.TryComplete();
        }
    }

    private static long Position(Stream input) => input.CanSeek ? input.Position : -1;

    private async Task RecordAsync(List<WriteCommand> batch, ImportTally tally, CancellationToken ct)
    {
        var outcomes = await writer.WriteAsync(batch, ct);
        // A line's retraction follows its recording, whose outcome is the line's.
        for (var i = 0; i < batch.Count; i++)
            if (batch[i] is PendingLine line) tally.Add(line.Line, (RecordOutcome)outcomes[i]);
    }

    /// <summary>
    /// Whether the line carries <c>"retracted": true</c>. Most lines never name the field, so it is read (a second,
    /// small parse) only from lines that do: exports, where every line names it.
    /// </summary>
    private static bool SaysRetracted(string line) =>
        line.Contains("\"retracted\"", StringComparison.Ordinal)
        && JsonSerializer.Deserialize<ExportedRetraction.Flag>(line, PositionsJson.Options)?.Retracted == true;

    private static StatementInput? Parse(string line, ValidationErrors errors)
    {
        if (!errors.Check(line.Length <= MaxLineChars, "line", $"is longer than {MaxLineChars} characters")) return null;
        try
        {
            var input = JsonSerializer.Deserialize<StatementInput>(line, PositionsJson.Options);
            errors.Check(input is not null, "line", "must be a JSON object");
            return input;
        }
        catch (JsonException e)
        {
            errors.Add("line", $"is not valid JSON for a statement (at {e.Path ?? "$"})");
            return null;
        }
    }
}
