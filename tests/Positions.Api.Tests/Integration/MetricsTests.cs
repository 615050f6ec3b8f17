using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Positions.Api.Tests.Resilience;

namespace Positions.Api.Tests.Integration;

/// <summary>
/// The Prometheus scrape at /metrics counts what the writes did, as an operator's dashboard would read it. Against a
/// service process of its own: meters are process-wide, and the test hosts sharing this process would mix their counts.
/// </summary>
[Collection(IntegrationCollection.Name)]
public partial class MetricsTests(PositionsApp app)
{
    [Fact]
    public async Task a_scrape_after_writes_counts_the_statements_recorded_the_lines_rejected_and_the_batches()
    {
        var setup = app.Client();
        var (actor, topic) = (await Given.ActorAsync(setup), await Given.TopicAsync(setup));
        await using var service = await ServiceProcess.StartAsync(app.ConnectionString);
        using var client = service.Client();
        var before = await ScrapeAsync(client);

        await client.PostJsonAsync("/statements", Given.Statement(PositionsApp.UniqueId("m"), [actor], topic, "supports", "2025-01-01"));
        await client.PostJsonAsync("/statements", Given.Statement(PositionsApp.UniqueId("m"), [actor], topic, "opposes", "2025-02-01"));
        var import = System.Text.Json.JsonSerializer.Serialize(Given.Statement(PositionsApp.UniqueId("m"), [actor], topic, "neutral", "2025-03-01"));
        var imported = await client.PostRawAsync("/imports", import + "\n{\"not\": \"a statement\"}\nnot json", "application/x-ndjson");
        await client.GetJsonAsync($"/actors/{actor}/positions");
        await client.GetJsonAsync($"/actors/{actor}/positions");
        var after = await ScrapeAsync(client);

        Assert.Equal((1, 2), ((int)imported.Json["recorded"]!, imported.Json["rejected"]!.AsArray().Count));
        Assert.Equal(3, Value(after, "positions_statements_recorded_total") - Value(before, "positions_statements_recorded_total"));
        Assert.Equal(2, Value(after, "positions_import_lines_rejected_total") - Value(before, "positions_import_lines_rejected_total"));
        Assert.Equal(3, Value(after, "positions_write_batch_size_count") - Value(before, "positions_write_batch_size_count"));
        Assert.True(Value(after, "positions_write_batch_duration_seconds_sum") > Value(before, "positions_write_batch_duration_seconds_sum"));
        Assert.True(Value(after, "positions_positions_cache_lookups_total{hit=\"true\"}") > Value(before, "positions_positions_cache_lookups_total{hit=\"true\"}"));
        Assert.Contains("http_route=\"/actors/{id}/positions\"", after);
    }

    internal static async Task<string> ScrapeAsync(HttpClient client)
    {
        var answer = await client.GetAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        return await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>The sum of a series over its other labels; 0 before its first sample.</summary>
    internal static double Value(string scrape, string series)
    {
        var (name, labels) = series.IndexOf('{') is var brace and >= 0 ? (series[..brace], series[(brace + 1)..^1]) : (series, "");
        return scrape.Split('\n')
            .Select(line => Sample().Match(line))
            .Where(m => m.Success && m.Groups["name"].Value == name && m.Groups["labels"].Value.Contains(labels, StringComparison.Ordinal))
            .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>[^ ]+)")]
    private static partial Regex Sample();
}
