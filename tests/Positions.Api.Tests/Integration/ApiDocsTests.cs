using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Positions.Api.Tests.Integration;

[Collection(IntegrationCollection.Name)]
public sealed partial class ApiDocsTests(PositionsApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task served_openapi_document_matches_its_committed_copy()
    {
        var served = JsonNode.Parse(await app.Client(null).GetStringAsync("/openapi/v1.json", Ct))!;
        var committedPath = Path.Combine(RepositoryRoot(), "src", "Positions.Api", "openapi", "v1.json");
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(committedPath, Ct))!;

        Assert.True(JsonNode.DeepEquals(served, committed),
            "The OpenAPI document changed. Review the change, then update the committed copy: " +
            "dotnet run --project src/Positions.Api -- openapi -o src/Positions.Api/openapi/v1.json");
    }

    [Fact]
    public async Task every_endpoint_is_documented_with_a_summary_a_typed_answer_and_its_problems()
    {
        var document = JsonNode.Parse(await app.Client(null).GetStringAsync("/openapi/v1.json", Ct))!;
        var operations = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => (Name: $"{op.Key.ToUpperInvariant()} {path.Key}", Op: op.Value!)))
            .ToList();

        var endpoints = app.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Count(e => e.Metadata.GetMetadata<Wolverine.Http.HttpChain>() is not null);
        Assert.Equal(endpoints, operations.Count);
        foreach (var (name, op) in operations)
        {
            Assert.False(string.IsNullOrWhiteSpace((string?)op["summary"]), $"{name} has no summary");
            var responses = op["responses"]!.AsObject();
            var success = responses.Where(r => r.Key.StartsWith('2')).ToList();
            // JSON answers name their schema; exports (CSV, NDJSON) name their media type; 204 has no body to type.
            Assert.True(success.Count > 0 && success.All(r => r.Key == "204" && r.Value!["content"] is null
                    || r.Value!["content"]?["application/json"]?["schema"]?["$ref"] is not null
                    || r.Value!["content"]?["application/json"]?["schema"]?["items"]?["$ref"] is not null
                    || r.Value!["content"]?["text/csv"]?["schema"] is not null || r.Value!["content"]?["application/x-ndjson"]?["schema"] is not null
                    || r.Value!["content"]?["text/event-stream"]?["schema"] is not null),
                $"{name} has no typed 2xx answer");
            var problems = responses.Where(r => r.Key[0] is '4' or '5').ToList();
            // Liveness has no failure answer of its own: a process that cannot answer it is simply not there.
            Assert.True((problems.Count > 0 || name == "GET /health/live") && problems.All(r => r.Value!["content"]?["application/problem+json"] is not null),
                $"{name} does not document its problem+json answers");
            // Public reads say so with an empty list: no security at all would leave it unsaid. Webhook subscriptions
            // name their receivers: reading them needs a key too.
            var publicRead = name.StartsWith("GET ") && !name.StartsWith("GET /subscriptions");
            Assert.True(op["security"] is JsonArray security && security.Count == (publicRead ? 0 : 1),
                $"{name} does not say whether it needs a key");
        }
        var timeline = operations.Single(o => o.Name == "GET /actors/{id}/positions/{topic}").Op;
        Assert.Equal(["id", "topic", "asOf", "knownAt"], timeline["parameters"]!.AsArray().Select(p => (string)p!["name"]!));
        Assert.NotNull(document["components"]!["securitySchemes"]!["bearer"]);
    }

    [Fact]
    public async Task the_contract_and_the_openapi_document_name_the_same_operations()
    {
        var document = JsonNode.Parse(await app.Client(null).GetStringAsync("/openapi/v1.json", Ct))!;
        var documented = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => $"{op.Key.ToUpperInvariant()} {path.Key}"))
            .Order().ToList();
        var contract = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "src", "Positions.Api", "API.md"), Ct);
        // Each operation heads its section: "### GET /actors, GET /actors/{id}" or "### GET /shifts?actor=&...".
        var named = ContractHeading().Matches(contract)
            .SelectMany(m => m.Groups[1].Value.Split(", "))
            .Select(operation => operation.Split('?')[0].Trim())
            .Order().ToList();

        Assert.Equal(documented, named);
    }

    [GeneratedRegex(@"^### ((?:GET|POST|PUT|PATCH|DELETE) .+)$", RegexOptions.Multiline)]
    private static partial Regex ContractHeading();

    [Fact]
    public async Task scalar_serves_interactive_docs_from_the_app()
    {
        var client = app.Client(null);
        var page = await client.GetStringAsync("/scalar/", Ct);
        Assert.Contains("openapi/v1.json", page);
        var script = await client.GetAsync("/scalar/scalar.js", Ct);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    [Theory]
    [InlineData("writes.http")]
    [InlineData("reads.http")]
    public async Task http_file_examples_answer_as_they_say(string file)
    {
        var requests = HttpFile.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "src", "Positions.Api", "http", file), Ct),
            new Dictionary<string, string> { ["host"] = "", ["key"] = PositionsApp.WriterKey });
        Assert.NotEmpty(requests);

        var client = app.Client(null);
        foreach (var request in requests)
        {
            using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Url);
            if (request.Body is not null)
                message.Content = new StringContent(request.Body, Encoding.UTF8,
                    request.Headers.GetValueOrDefault("Content-Type") ?? "application/json");
            foreach (var (name, value) in request.Headers.Where(h => h.Key != "Content-Type"))
                message.Headers.TryAddWithoutValidation(name, value);

            var response = await client.SendAsync(message, Ct);
            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.True((int)response.StatusCode < 500, $"{file} '{request.Name}': {(int)response.StatusCode} {body}");
            Assert.True(request.Expect == (int)response.StatusCode,
                $"{file} '{request.Name}': expected {request.Expect}, got {(int)response.StatusCode} {body}");
        }
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Positions.sln"))) return dir.FullName;
        throw new InvalidOperationException("Positions.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>
/// The subset of the .http format the example files use: <c>@name = value</c> variables, <c>### name</c> between
/// requests, <c># expect 201</c>, a request line, headers, a blank line, then the body.
/// </summary>
public static partial class HttpFile
{
    public sealed record Request(string Name, int Expect, string Method, string Url, Dictionary<string, string> Headers, string? Body);

    public static List<Request> Parse(string text, IReadOnlyDictionary<string, string> overrides)
    {
        var variables = new Dictionary<string, string>();
        foreach (Match m in Variable().Matches(text)) variables[m.Groups[1].Value] = m.Groups[2].Value.Trim();
        foreach (var (name, value) in overrides) variables[name] = value;
        string Expand(string s) => Placeholder().Replace(s, m => variables[m.Groups[1].Value]);

        var requests = new List<Request>();
        foreach (var block in text.Split("\n###").Skip(1))
        {
            var lines = block.Replace("\r", "").Split('\n');
            var name = lines[0].Trim();
            var expect = lines.Select(l => ExpectLine().Match(l)).First(m => m.Success).Groups[1].Value;
            var rest = lines.Skip(1).SkipWhile(l => l.StartsWith('#') || l.Trim().Length == 0).ToList();
            var requestLine = Expand(rest[0]).Split(' ', 2);
            var headers = new Dictionary<string, string>();
            var i = 1;
            for (; i < rest.Count && rest[i].Trim().Length > 0; i++)
            {
                var colon = rest[i].IndexOf(':');
                headers[rest[i][..colon].Trim()] = Expand(rest[i][(colon + 1)..].Trim());
            }
            var body = string.Join("\n", rest.Skip(i + 1)).Trim();
            requests.Add(new Request(name, int.Parse(expect), requestLine[0], requestLine[1].Trim(), headers, body.Length == 0 ? null : Expand(body)));
        }
        return requests;
    }

    [GeneratedRegex(@"^@(\w+)\s*=\s*(.*)$", RegexOptions.Multiline)]
    private static partial Regex Variable();

    [GeneratedRegex(@"\{\{(\w+)\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^#\s*expect\s+(\d{3})")]
    private static partial Regex ExpectLine();
}
