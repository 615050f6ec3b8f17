using Microsoft.AspNetCore.Mvc;

namespace Positions.Api.Shared;

/// <summary>Every rejection the API gives, as RFC 9457 problem details (<c>application/problem+json</c>).</summary>
public static class Problems
{
    public static IResult Invalid(ValidationErrors errors, int status = StatusCodes.Status422UnprocessableEntity) =>
        Results.Problem(new HttpValidationProblemDetails(errors.ToDictionary())
        {
            Status = status,
            Title = status == StatusCodes.Status400BadRequest ? "The request could not be read" : "The request breaks a rule",
            Detail = "See errors for what to change, field by field.",
        });

    public static IResult BadRequest(string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return Invalid(errors, StatusCodes.Status400BadRequest);
    }

    /// <summary>A body of JSON <c>null</c> reads without error but is no object: the endpoints ask for it by name.</summary>
    public static IResult NoBody() => BadRequest("body", "must be a JSON object");

    public static IResult NotFound(string detail) =>
        Problem(StatusCodes.Status404NotFound, "Not found", detail);

    public static IResult Conflict(string detail) =>
        Problem(StatusCodes.Status409Conflict, "Conflict", detail);

    public static IResult Problem(int status, string title, string detail) =>
        Results.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail });
}
