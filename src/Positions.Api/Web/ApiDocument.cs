using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Positions.Api.Shared;

namespace Positions.Api.Web;

/// <summary>
/// Shapes the generated OpenAPI document: what the query parameters mean (they are the same on every read), how
/// writes authenticate, the NDJSON body of imports, and dates as the strings they are on the wire. The document
/// must not depend on the host it is served from, so its committed copy can be compared with what is served.
/// </summary>
public static class ApiDocument
{
    private const string BearerScheme = "bearer";

    private static readonly Dictionary<string, string> QueryParameterMeanings = new()
    {
        ["asOf"] = "Valid time: the world as it stood then. A date (2025-06-30) means the end of that day UTC, or an instant with offset. Default: now.",
        ["knownAt"] = "Transaction time: only what this service had recorded by then. A date or an instant with offset. Default: now.",
        ["limit"] = "Page size, 1 to 1000. Default 100.",
        ["after"] = "The next cursor of the previous page.",
        ["from"] = "Inclusive lower bound on saidAt: a date or an instant.",
        ["to"] = "Inclusive upper bound on saidAt: a date means the end of that day.",
        ["actor"] = "Only this actor id.",
        ["topic"] = "Only this topic id.",
        ["speaker"] = "Only statements whose speaker.actorId is this.",
        ["kind"] = "Only this kind.",
    };

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Positions API",
                Version = "v1",
                Description = "What governments, organisations and officials say about the questions of the day, " +
                    "with stance timelines and bitemporal reads (asOf: valid time, knownAt: transaction time). " +
                    "Writes need an API key: Authorization: Bearer {key}. Errors are application/problem+json (RFC 9457).",
            };
            document.Servers = [];
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key from Positions:ApiKeys:<client>; the client name becomes recordedBy.",
            };
            document.Components.Schemas?.Remove("IResult");
            return Task.CompletedTask;
        });

        options.AddOperationTransformer((operation, context, _) =>
        {
            foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
                if (parameter.In == ParameterLocation.Query && QueryParameterMeanings.TryGetValue(parameter.Name ?? "", out var meaning))
                    parameter.Description = meaning;

            // Wolverine adds a bare 404 to every route; the ones that can happen are declared with their problem body.
            foreach (var bare in (operation.Responses ?? []).Where(r => r.Value.Content is not { Count: > 0 }).Select(r => r.Key).ToList())
                operation.Responses!.Remove(bare);

            if (operation.Responses?.ContainsKey("401") == true)
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];

            if (context.Description.RelativePath == "imports")
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Description = "One statement (the POST /statements body) a line.",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/x-ndjson"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                    },
                };
            return Task.CompletedTask;
        });

        options.AddSchemaTransformer((schema, context, _) =>
        {
            var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
            if (type == typeof(DateOrInstant))
            {
                schema.Type = JsonSchemaType.String;
                schema.Properties?.Clear();
                schema.Required?.Clear();
                schema.Description = "A calendar date (2025-08-26) or an instant with offset (2025-08-26T10:15:00Z).";
            }
            return Task.CompletedTask;
        });
    }
}
