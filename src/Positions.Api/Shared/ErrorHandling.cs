using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace Positions.Api.Shared;

/// <summary>
/// The last line: an exception that escapes an endpoint becomes problem+json without internals. A database that
/// cannot be reached is a 503 with Retry-After (the client can try again), anything else a bare 500.
/// </summary>
public sealed class ExceptionToProblem(ILogger<ExceptionToProblem> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken ct)
    {
        if (httpContext.Response.HasStarted) return false;

        IResult problem;
        if (exception is BadHttpRequestException badRequest)
        {
            problem = Problems.Problem(badRequest.StatusCode, "Bad request",
                badRequest.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The body is too large." : "The request could not be read.");
        }
        else if (IsDatabaseUnavailable(exception))
        {
            logger.LogWarning("Database unavailable: {Message}", exception.Message);
            httpContext.Response.Headers.RetryAfter = "5";
            problem = Problems.Problem(StatusCodes.Status503ServiceUnavailable, "Service unavailable",
                "The database cannot be reached just now. Try again shortly.");
        }
        else
        {
            logger.LogError(exception, "Unhandled exception on {Path}", httpContext.Request.Path);
            problem = Problems.Problem(StatusCodes.Status500InternalServerError, "Internal error",
                "Something went wrong on our side; nothing was written if you got this answer to a write.");
        }
        await problem.ExecuteAsync(httpContext);
        return true;
    }

    /// <summary>The database cannot be reached or timed out, or the service is stopping: worth trying again soon.</summary>
    public static bool IsDatabaseUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is NpgsqlException { IsTransient: true } or TimeoutException or System.Net.Sockets.SocketException or ServiceStoppingException)
                return true;
        return false;
    }
}

/// <summary>A write that arrives while the service shuts down: not taken, so the client may send it again (503).</summary>
public sealed class ServiceStoppingException() : Exception("The service is stopping; send the request again shortly.");

/// <summary>
/// Refuses bodies over the limit with 413 before reading them: by Content-Length at once, and for chunked bodies
/// through the server's own limit. Imports may be larger than single writes.
/// </summary>
public sealed class BodySizeLimit(RequestDelegate next)
{
    public const long SingleWriteBytes = 1024 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var limit = context.Request.Path.StartsWithSegments("/imports") ? Statements.Importing.ImportEndpoint.MaxBodyBytes : SingleWriteBytes;
        if (context.Request.ContentLength > limit)
        {
            await Problems.Problem(StatusCodes.Status413PayloadTooLarge, "Payload too large",
                $"The body may be at most {limit} bytes.").ExecuteAsync(context);
            return;
        }
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            feature.MaxRequestBodySize = limit;
        await next(context);
    }
}
