using System.Text;
using Positions.Benchmarks.Service;

namespace Positions.Benchmarks.Data;

/// <summary>Registers the data set's actors and topics through the API (201 new, 200 already there).</summary>
public static class Registration
{
    public static async Task RegisterAsync(Dataset dataset, ServiceUnderTest service)
    {
        using var client = service.Client(8, TimeSpan.FromSeconds(60));
        var posts = Enumerable.Range(0, dataset.ActorCount).Select(a => ("/actors", StatementJson.Actor(a)))
            .Concat(Enumerable.Range(0, dataset.TopicCount).Select(t => ("/topics", StatementJson.Topic(t))));
        await Parallel.ForEachAsync(posts, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (post, ct) =>
        {
            using var answer = await client.PostAsync(post.Item1, new StringContent(post.Item2, Encoding.UTF8, "application/json"), ct);
            if (!answer.IsSuccessStatusCode)
                throw new InvalidOperationException($"POST {post.Item1} answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync(ct)}");
        });
        Console.WriteLine($"  registered {dataset.ActorCount} actors and {dataset.TopicCount} topics");
    }
}
