using System.Text;
using System.Text.Json;

namespace Positions.Api.Tests.Integration;

public sealed record FuzzRequest(HttpMethod Method, string Url, byte[]? Body, string ContentType, string Kind);

/// <summary>
/// Seeded generator of hostile requests: broken and mistyped JSON, deep nesting, huge strings, bad dates, traversal and
/// control characters in ids, random bytes and unparseable query values on every route. Same seed, same requests.
/// Statements it writes name actors and topics that do not exist, so no request it makes may record anything.
/// </summary>
public sealed class Fuzzer(int seed)
{
    private readonly Random _random = new(seed);

    private static readonly string[] NastyIds =
    [
        "..", "../../etc/passwd", "%2e%2e%2f", "a%00b", "a\u0000b", "a\u0007b", "A-UPPER", "-leading", new string('a', 64),
        "ünïcode", "a b", "a/b", "a\\b", "'; drop table mt_events; --", "{id}", "%", "null", "😀", "\u202e", "\r\n",
    ];

    private static readonly string[] NastyValues =
    [
        "", " ", "yesterday", "2025-13-45", "2025-02-30", "99999-01-01", "-1", "0", "1e309", "NaN", "true", "[]", "{}",
        "2025-08-26T25:61:00Z", "2025-08-26T10:15:00", "\u0000", "%00", new string('9', 400), "../..", "<script>",
    ];

    private static readonly string[] Reads =
    [
        "/actors", "/actors/{id}", "/actors/{id}/positions", "/actors/{id}/positions/{id}", "/actors/{id}/events", "/topics",
        "/topics/{id}", "/topics/{id}/positions", "/shifts", "/statements", "/statements/{id}",
        "/subscriptions", "/subscriptions/{id}", "/subscriptions/{id}/deliveries",
    ];

    private static readonly string[] QueryNames = ["asOf", "knownAt", "limit", "after", "from", "to", "actor", "topic", "speaker", "kind"];

    public FuzzRequest Next() => _random.Next(10) switch
    {
        < 4 => BadRead(),
        < 8 => BadWrite("/statements", ValidStatement()),
        8 => BadWrite(Pick(["/actors", "/topics", "/subscriptions"]), new Dictionary<string, object?>
        {
            ["id"] = Id(), ["title"] = "t", ["name"] = "n", ["kind"] = "person", ["url"] = "http://127.0.0.1:9/hook", ["secret"] = "0123456789abcdef",
        }),
        _ => BadWrite($"/statements/{Uri.EscapeDataString(PathId())}/{Pick(["corrections", "retraction", "sources"])}",
            new Dictionary<string, object?> { ["changes"] = new Dictionary<string, object?> { ["stance"] = "opposes" }, ["outlet"] = "AP" }),
    };

    private FuzzRequest BadRead()
    {
        var path = string.Join("/", Pick(Reads).Split('/').Select(part => part == "{id}" ? Uri.EscapeDataString(PathId()) : part));
        var query = string.Join("&", Enumerable.Range(0, _random.Next(1, 4))
            .Select(_ => $"{Pick(QueryNames)}={Uri.EscapeDataString(Pick(NastyValues))}"));
        return new FuzzRequest(HttpMethod.Get, $"{path}?{query}", null, "application/json", "read");
    }

    private FuzzRequest BadWrite(string url, Dictionary<string, object?> valid)
    {
        var json = JsonSerializer.Serialize(valid);
        return _random.Next(8) switch
        {
            0 => Write(url, json[.._random.Next(json.Length)], "truncated"),
            1 => Write(url, Mistype(valid), "mistyped"),
            2 => Write(url, DeepNesting(_random.Next(65, 400)), "deep"),
            3 => Write(url, JsonSerializer.Serialize(With(valid, Pick(valid.Keys.ToArray()), new string('x', _random.Next(10_000, 300_000)))), "huge-string"),
            4 => Write(url, JsonSerializer.Serialize(With(valid, "saidAt", Pick(NastyValues))), "bad-date"),
            5 => Write(url, JsonSerializer.Serialize(With(valid, "statementId", Pick(NastyIds))), "bad-id"),
            6 => new FuzzRequest(HttpMethod.Post, url, RandomBytes(), Pick(["application/json", "application/octet-stream", "text/plain"]), "random-bytes"),
            _ => Write(url, JsonSerializer.Serialize(With(valid, Pick(valid.Keys.ToArray()), null)), "null"),
        };
    }

    private FuzzRequest Write(string url, string body, string kind) =>
        new(HttpMethod.Post, url, Encoding.UTF8.GetBytes(body), "application/json", kind);

    private string Mistype(Dictionary<string, object?> valid)
    {
        object?[] wrong = [42, true, new[] { 1, 2 }, new Dictionary<string, int> { ["x"] = 1 }, 3.14, "text"];
        return JsonSerializer.Serialize(With(valid, Pick(valid.Keys.ToArray()), Pick(wrong)));
    }

    private static string DeepNesting(int depth) => $"{{\"actors\":{new string('[', depth)}{new string(']', depth)}}}";

    private byte[] RandomBytes()
    {
        var bytes = new byte[_random.Next(1, 2048)];
        _random.NextBytes(bytes);
        return bytes;
    }

    private Dictionary<string, object?> ValidStatement() => new()
    {
        ["statementId"] = $"fuzz-{_random.Next():x}",
        ["actors"] = new[] { "fuzz-nobody-registered" },
        ["speaker"] = new Dictionary<string, object?> { ["name"] = "Fuzz" },
        ["topic"] = "fuzz-no-such-topic",
        ["stance"] = "supports",
        ["saidAt"] = "2025-01-01",
        ["source"] = new Dictionary<string, object?> { ["outlet"] = "Fuzz", ["attribution"] = "reported" },
    };

    private static Dictionary<string, object?> With(Dictionary<string, object?> valid, string key, object? value) =>
        new(valid) { [key] = value };

    private string Id() => Pick(NastyIds);

    // A NUL in a path cannot even be put on the wire (servers refuse the request line); it stays in bodies and queries.
    private string PathId() => Pick(NastyIds.Where(id => !id.Contains('\0')).ToArray());

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];
}
