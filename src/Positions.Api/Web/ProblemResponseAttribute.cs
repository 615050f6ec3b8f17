using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Positions.Api.Web;

/// <summary>
/// Documents one problem+json answer of an endpoint: 400 and 422 carry <c>errors</c> field by field
/// (<see cref="HttpValidationProblemDetails"/>), every other status plain <see cref="ProblemDetails"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ProblemResponseAttribute(int statusCode) : Attribute, IProducesResponseTypeMetadata
{
    public int StatusCode { get; } = statusCode;

    public Type? Type => StatusCode is StatusCodes.Status400BadRequest or StatusCodes.Status422UnprocessableEntity
        ? typeof(HttpValidationProblemDetails)
        : typeof(ProblemDetails);

    public string? Description => null;

    public IEnumerable<string> ContentTypes { get; } = ["application/problem+json"];
}
