using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Positions.Api.Auth;
using Positions.Api.Shared;
using Positions.Api.Statements.Recording;
using Positions.Api.Web;
using Wolverine.Attributes;
using Wolverine.Http;

namespace Positions.Api.Statements.Importing;

public sealed record RejectedLine(int Line, IDictionary<string, string[]> Errors);

public sealed record ImportReport(int Recorded, int Unchanged, IReadOnlyList<RejectedLine> Rejected);

public static class ImportEndpoint
{
    public const long MaxBodyBytes = 64L * 1024 * 1024;
    public const int MaxLineChars = 1024 * 1024;

    /// <summary>Lines per transaction: large enough to amortise round trips, small enough to keep locks short.</summary>
    public const int BatchSize = 1000;

    /// <summary>
    /// NDJSON, one <c>POST /statements</c> body a line, read as it streams in and recorded in batches of
    /// <see cref="BatchSize"/> lines, each batch one transaction: a line is recorded whole or not at all, and a
    /// failure later in the body loses no batch committed before it (re-sending the import completes it).
    /// </summary>
    [NonTransactional]
    // An import of 64 MiB takes longer than the request timeout; it commits batch by batch and ends with its report.
    [Microsoft.AspNetCore.Http.Timeouts.DisableRequestTimeout]
    [WolverinePost("/imports")]
    [EndpointSummary("Import statements as NDJSON")]
    [EndpointDescription("One POST /statements body a line (Content-Type: application/x-ndjson, up to 64 MiB). Each line is recorded whole or not at all; rejected lines are reported with their errors. Needs an API key.")]
    [Tags("Statements")]
    [ProducesResponseType<ImportReport>(200)]
    [ProblemResponse(401)]
    [ProblemResponse(413)]
    public static async Task<IResult> Post(HttpRequest request, IDocumentStore store, ClaimsPrincipal user,
        TimeProvider clock, Storage.TableStatistics statistics, CancellationToken ct)
    {
        var recordedBy = user.ClientName();
        var report = new ImportTally();
        var batch = new List<PendingLine>(BatchSize);
        var lineNumber = 0;

        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;

            var errors = new ValidationErrors();
            var input = Parse(line, errors);
            var statement = input is null ? null : StatementRules.Validate(input, clock.GetUtcNow(), errors);
            if (statement is null)
                report.Reject(lineNumber, errors);
            else
                batch.Add(new PendingLine(lineNumber, input!.StatementId ?? StatementRecorder.NewStatementId(), statement));

            if (batch.Count == BatchSize) await FlushAsync(store, batch, recordedBy, clock, report, ct);
        }
        await FlushAsync(store, batch, recordedBy, clock, report, ct);
        // Statistics only steer plans, they change no answer: refresh them after the reply, not before.
        if (report.Recorded >= AnalyzeAfter) statistics.Refresh();
        return Results.Json(report.ToReport(), PositionsJson.Options);
    }

    /// <summary>After a large load the planner's statistics are stale; fresh ones keep reads on their indexes.</summary>
    public const int AnalyzeAfter = 10_000;

    private static async Task FlushAsync(IDocumentStore store, List<PendingLine> batch, string recordedBy, TimeProvider clock,
        ImportTally report, CancellationToken ct)
    {
        if (batch.Count == 0) return;
        await using var session = store.LightweightSession();
        var outcomes = await BatchRecorder.RecordAsync(session, batch, recordedBy, clock, ct);
        await session.SaveChangesAsync(ct);
        foreach (var (line, outcome, errors) in outcomes) report.Add(line.Line, line.StatementId, outcome, errors);
        batch.Clear();
    }

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
