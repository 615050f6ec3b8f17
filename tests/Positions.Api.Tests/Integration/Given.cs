namespace Positions.Api.Tests.Integration;

/// <summary>Builders for request bodies, so each test states only what matters to it.</summary>
public static class Given
{
    public static object Statement(string id, string[] actors, string topic, string stance, string saidAt,
        string[]? conditions = null, string? speakerActorId = null, string attribution = "on-record") => new
    {
        statementId = id,
        actors,
        speaker = new { actorId = speakerActorId, name = "A. Speaker", role = "Minister" },
        topic,
        stance,
        conditions = conditions ?? [],
        summary = $"{string.Join(" and ", actors)} {stance} on {topic}",
        quote = (string?)null,
        saidAt,
        saidAtPrecision = "day",
        source = new { outlet = "Financial Times", url = "https://www.ft.com/content/x", publishedAt = saidAt, attribution },
    };

    public static async Task<string> TopicAsync(HttpClient client)
    {
        var id = PositionsApp.UniqueId("topic");
        var answer = await client.PostJsonAsync("/topics", new { id, title = "A question", question = "Will it?", parent = (string?)null });
        Assert.Equal(System.Net.HttpStatusCode.Created, answer.Status);
        return id;
    }

    public static async Task<string> ActorAsync(HttpClient client, string kind = "organisation")
    {
        var id = PositionsApp.UniqueId("actor");
        var answer = await client.PostJsonAsync("/actors", new { id, name = "An actor", kind, country = (string?)null });
        Assert.Equal(System.Net.HttpStatusCode.Created, answer.Status);
        return id;
    }
}
