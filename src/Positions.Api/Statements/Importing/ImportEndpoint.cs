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

    /// <summary>
    /// NDJSON, one <c>POST /statements</c> body a line, read as it streams in. Each line is recorded in its own
    /// transaction, so a line is recorded whole or not at all, and a failure later in the body loses none before it.
    /// </summary>
    [NonTransactional]
    [WolverinePost("/imports")]
    [EndpointSummary("Import statements as NDJSON")]
    [EndpointDescription("One POST /statements body a line (Content-Type: application/x-ndjson, up to 64 MiB). Each line is recorded whole or not at all; rejected lines are reported with their errors. Needs an API key.")]
    [Tags("Statements")]
    [ProducesResponseType<ImportReport>(200)]
    [ProblemResponse(401)]
    [ProblemResponse(413)]
    public static async Task<IResult> Post(HttpRequest request, IDocumentStore store, ClaimsPrincipal user,
        TimeProvider clock, CancellationToken ct)
    {
        var recordedBy = user.ClientName();
        int recorded = 0, unchanged = 0, lineNumber = 0;
        var rejected = new List<RejectedLine>();

        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;

            var errors = new ValidationErrors();
            var input = Parse(line, errors);
            var statement = input is null ? null : StatementRules.Validate(input, clock.GetUtcNow(), errors);
            if (statement is null)
            {
                rejected.Add(new RejectedLine(lineNumber, errors.ToDictionary()));
                continue;
            }

            await using var session = store.LightweightSession();
            var outcome = await StatementRecorder.RecordAsync(session, input!.StatementId ?? StatementRecorder.NewStatementId(),
                statement, recordedBy, clock, ct);
            await session.SaveChangesAsync(ct);
            switch (outcome)
            {
                case RecordOutcome.Recorded: recorded++; break;
                case RecordOutcome.Unchanged: unchanged++; break;
                case RecordOutcome.Conflict c:
                    errors.Add("statementId", $"'{c.StatementId}' was recorded with other content");
                    rejected.Add(new RejectedLine(lineNumber, errors.ToDictionary()));
                    break;
                case RecordOutcome.Rejected r:
                    rejected.Add(new RejectedLine(lineNumber, r.Errors.ToDictionary()));
                    break;
            }
        }
        return Results.Json(new ImportReport(recorded, unchanged, rejected), PositionsJson.Options);
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
