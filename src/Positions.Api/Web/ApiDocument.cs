using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Positions.Api.Actors;
using Positions.Api.Shared;
using Positions.Api.Statements;
using Positions.Api.Statements.Correcting;
using Positions.Api.Statements.Recording;
using Positions.Api.Statements.Retracting;
using Positions.Api.Topics;

namespace Positions.Api.Web;

/// <summary>
/// Shapes the generated OpenAPI document: what the query parameters mean (they are the same on every read), which
/// operations need a key, the NDJSON body of imports, what the request bodies require, and dates as the strings
/// they are on the wire. The document must not depend on the host it is served from, so its committed copy can be
/// compared with what is served.
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

    private static readonly Dictionary<string, string> TagMeanings = new()
    {
        ["Registries"] = "Actors and topics: who holds positions, and the questions they take a stance on. Countries exist without registration.",
        ["Statements"] = "Writes: record statements one at a time or as an NDJSON import, then correct, retract or source them. Need an API key.",
        ["Positions"] = "Where each actor stands on each topic: current positions, stance timelines and shifts, at any asOf and knownAt.",
        ["Audit"] = "The statements as recorded, with their revisions and sources, and each actor's raw event stream.",
        ["Exports"] = "The record in bulk, streamed: statements as NDJSON (importable again), positions and shifts as CSV.",
        ["Webhooks"] = "Shifts pushed to your URL as they happen: signed, retried with backoff, kept across restarts. Every route needs an API key.",
        ["Health"] = "Liveness and readiness, for orchestrators.",
    };

    // The request bodies are records of optional text (StatementInput, SourceInput, ...) so that a missing or wrong
    // value is answered field by field (422), not as unreadable JSON (400). The generator documents them as that:
    // every field required (a positional record parameter without a default) and a nullable string. What API.md
    // requires of a client is below; any other field may be left out or null.
    private static readonly Dictionary<string, string[]> RequiredInBody = new()
    {
        [nameof(StatementInput)] = ["actors", "speaker", "topic", "stance", "saidAt", "source"],
        [nameof(SpeakerInput)] = ["name"],
        [nameof(SourceInput)] = ["outlet", "attribution"],
        [nameof(RegisterActor)] = ["id", "name", "kind"],
        [nameof(RegisterTopic)] = ["id", "title"],
        [nameof(Webhooks.Subscribe)] = ["url", "secret"],
        [nameof(CorrectStatement)] = ["changes"],
        [nameof(RetractStatement)] = [],
    };

    // The text fields of those bodies (by name, unless one body uses a name for something else, below) that take what
    // an answer's schema describes: the same vocabularies, and dates as DateOrInstant.
    private static readonly Dictionary<string, string> TypedInBody = new()
    {
        ["stance"] = nameof(Stance),
        ["saidAtPrecision"] = nameof(DatePrecision),
        ["attribution"] = nameof(Attribution),
        ["kind"] = nameof(ActorKind),
        ["saidAt"] = nameof(DateOrInstant),
        ["publishedAt"] = nameof(DateOrInstant),
    };

    private static readonly Dictionary<(string Body, string Field), string> TypedInOneBody = new()
    {
        [(nameof(Webhooks.Subscribe), "kind")] = nameof(Positions.ShiftKind),
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
                // The repository grants no licence; the document says so rather than leave it unsaid.
                License = new OpenApiLicense
                {
                    Name = "No licence granted (all rights reserved)",
                    Identifier = "LicenseRef-AllRightsReserved",
                },
            };
            // Relative, so it names whichever host serves the document and the document stays the same everywhere.
            document.Servers = [new OpenApiServer
            {
                Url = "/",
                Description = "The host serving this document: http://localhost:5080 when run locally or with docker compose.",
            }];
            foreach (var tag in document.Tags ?? Enumerable.Empty<OpenApiTag>())
                tag.Description = TagMeanings.GetValueOrDefault(tag.Name ?? "");
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key from Positions:ApiKeys:<client>; the client name becomes recordedBy.",
            };
            document.Components.Schemas?.Remove("IResult");
            // Here rather than in a schema transformer: only now are the bodies' schemas final, with their $refs.
            foreach (var (bodyName, required) in RequiredInBody)
                DescribeBody(bodyName, (OpenApiSchema)document.Components.Schemas![bodyName], required, document);
            return Task.CompletedTask;
        });

        options.AddOperationTransformer((operation, context, _) =>
        {
            foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
                if (parameter.In == ParameterLocation.Query && QueryParameterMeanings.TryGetValue(parameter.Name ?? "", out var meaning))
                    parameter.Description = meaning;

            // Wolverine adds a bare 404 to every route; the ones that can happen are declared with their problem body.
            foreach (var bare in (operation.Responses ?? []).Where(r => r.Value.Content is not { Count: > 0 } && r.Key != "204")
                         .Select(r => r.Key).ToList())
                operation.Responses!.Remove(bare);
            // An endpoint returning IResult is documented by Wolverine with a 200 of that type, unless it declares a 200 of
            // its own; one that answers 201 or 204 only must not keep it.
            foreach (var generic in (operation.Responses ?? [])
                         .Where(r => r.Value.Content?.Values.Any(c => c.Schema is OpenApiSchemaReference { Reference.Id: "IResult" }) == true)
                         .Select(r => r.Key).ToList())
                operation.Responses!.Remove(generic);

            // Program.cs decides which routes need a key (writes, and reads with RequireKeyForReads). An empty list
            // says an operation is public; no security at all would leave that unsaid.
            operation.Security = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any()
                ? [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }]
                : [];

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
                // RFC 3339's full-date or date-time, which has the offset an instant must carry.
                schema.AnyOf = [new OpenApiSchema { Format = "date" }, new OpenApiSchema { Format = "date-time" }];
                schema.Description = "A calendar date (2025-08-26) or an instant with offset (2025-08-26T10:15:00Z).";
            }
            return Task.CompletedTask;
        });
    }

    private static void DescribeBody(string bodyName, OpenApiSchema body, string[] required, OpenApiDocument document)
    {
        body.Required = required.Length == 0 ? null : new HashSet<string>(required);
        foreach (var name in body.Properties!.Keys.ToList())
        {
            var isRequired = required.Contains(name);
            if (TypedInOneBody.TryGetValue((bodyName, name), out var schemaId) || TypedInBody.TryGetValue(name, out schemaId))
            {
                var typed = new OpenApiSchemaReference(schemaId, document);
                body.Properties[name] = isRequired
                    ? typed
                    : new OpenApiSchema { OneOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, typed] };
            }
            else if (isRequired)
                body.Properties[name] = NonNull(body.Properties[name]);
        }
    }

    // The generator writes a nullable field as type [null, T], or as oneOf [null, $ref] when T has a schema of its own.
    private static IOpenApiSchema NonNull(IOpenApiSchema field)
    {
        if (field is not OpenApiSchema schema) return field;
        if (schema.OneOf is [{ Type: JsonSchemaType.Null }, var other]) return other;
        schema.Type &= ~JsonSchemaType.Null;
        return schema;
    }
}
