namespace Positions.Api.Hosting;

/// <summary>
/// <c>probe URL</c>: exits 0 when the URL answers 2xx within a few seconds, 1 otherwise. For container health checks
/// in images that have no curl (docker-compose.yml); it starts nothing of the service.
/// </summary>
public static class HealthProbe
{
    public static async Task<int> RunAsync(string url)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var answer = await client.GetAsync(url);
            return answer.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or UriFormatException or InvalidOperationException)
        {
            Console.Error.WriteLine($"{url}: {e.Message}");
            return 1;
        }
    }
}
