using Positions.Api.Tests.Resilience;

namespace Positions.Api.Tests.Integration;

/// <summary>What a person sees in the terminal when the service starts with the shipped settings.</summary>
[Collection(IntegrationCollection.Name)]
public class StartupLogTests(PositionsApp app)
{
    [Fact]
    public async Task the_service_starts_with_a_few_lines_a_person_reads_and_no_line_per_request()
    {
        const string password = "never-print-this-password";
        await using var service = await ServiceProcess.StartAsync($"{app.ConnectionString};Password={password}");
        using var client = service.Client();
        foreach (var path in new[] { "/actors", "/topics", "/shifts", "/actors/us/positions", "/statements" })
            (await client.GetAsync(path)).EnsureSuccessStatusCode();
        await WaitForLineAsync(service, "Open ");

        var lines = service.Output;
        Assert.True(lines.Count <= 6, string.Join("\n", lines));
        Assert.Contains(lines, l => l.Contains($"listening on {service.Address.ToString().TrimEnd('/')}"));
        Assert.Contains(lines, l => l.Contains("Database: PostgreSQL at") && l.Contains("database "));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"Statements: \d+ recorded"));
        Assert.Contains(lines, l => l.Contains("/scalar"));
        Assert.DoesNotContain(lines, l => l.Contains(password) || l.Contains("Searching"));
    }

    private static async Task WaitForLineAsync(ServiceProcess service, string text)
    {
        for (var waited = 0; waited < 100 && !service.Output.Any(l => l.Contains(text)); waited++) await Task.Delay(100);
        await Task.Delay(300); // anything the requests above would still log
    }
}
