using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Positions.Benchmarks.Data;

/// <summary>The request bodies of the API (API.md), written from planned statements.</summary>
public static class StatementJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly string[] Outlets = ["Reuters", "Financial Times", "Associated Press", "Le Monde", "NHK", "Der Spiegel"];
    private static readonly string[] Attributions = ["on-record", "official-statement", "spokesperson", "anonymous-officials", "reported"];

    private sealed record Speaker(string Name, string? Role);
    private sealed record Source(string Outlet, string PublishedAt, string Attribution);
    private sealed record Body(string StatementId, string[] Actors, Speaker Speaker, string Topic, string Stance,
        string[]? Conditions, string Summary, string SaidAt, Source Source);

    public static string Statement(string statementId, PlannedStatement s)
    {
        string[] actors = s.Partner >= 0 ? [Dataset.ActorId(s.Actor), Dataset.ActorId(s.Partner)] : [Dataset.ActorId(s.Actor)];
        var stance = Dataset.StanceNames[s.Stance];
        var saidAt = s.SaidAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var published = s.SaidAt.AddDays(s.Index % 5).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return JsonSerializer.Serialize(new Body(
            statementId,
            actors,
            new Speaker($"Spokesperson of {actors[0]}", s.Index % 3 == 0 ? "Foreign minister" : null),
            Dataset.TopicId(s.Topic),
            stance,
            s.Conditional ? [$"condition {s.Index % 17}: only if partners commit first"] : null,
            $"{actors[0]} {stance} on {Dataset.TopicId(s.Topic)}, statement {s.Index}.",
            saidAt,
            new Source(Outlets[s.Index % Outlets.Length], published, Attributions[s.Index % Attributions.Length])), Options);
    }

    public static string Actor(int actor) => JsonSerializer.Serialize(new
    {
        id = Dataset.ActorId(actor),
        name = $"Benchmark actor {actor}",
        kind = (actor % 3) switch { 0 => "organisation", 1 => "group", _ => "person" },
    }, Options);

    public static string Topic(int topic) => JsonSerializer.Serialize(new
    {
        id = Dataset.TopicId(topic),
        title = $"Benchmark topic {topic}",
        question = $"Will this actor back proposal {topic}?",
    }, Options);

    public static string Correction(Correction c) =>
        JsonSerializer.Serialize(new { changes = new { stance = c.NewStance }, reason = "stance was miscoded" }, Options);

    public static string Retraction() => JsonSerializer.Serialize(new { reason = "the outlet withdrew the report" }, Options);
}
