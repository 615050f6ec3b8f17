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

    /// <summary>NDJSON read as it streams in (never buffered whole), recorded by <see cref="StatementImporter"/>.</summary>
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
    public static async Task<IResult> Post(HttpRequest request, StatementImporter importer, ClaimsPrincipal user, CancellationToken ct)
    {
        var report = await importer.ImportAsync(request.Body, user.ClientName(), progress: null, ct);
        return Results.Json(report, PositionsJson.Options);
    }
}
