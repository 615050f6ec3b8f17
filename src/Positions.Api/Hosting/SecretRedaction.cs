using Npgsql;

namespace Positions.Api.Hosting;

/// <summary>
/// The <c>describe</c> command prints every configuration value, and CI logs what it prints: replace API keys and
/// database passwords with a mark before it sees them. Only for commands that serve no requests.
/// </summary>
public static class SecretRedaction
{
    public const string Mark = "***";

    public static void RedactForDescribe(ConfigurationManager configuration, string[] args)
    {
        if (args is not ["describe", ..]) return;

        // Every provider shows its own values, so the redacted snapshot replaces them all.
        var snapshot = configuration.AsEnumerable().Where(e => e.Value is not null).ToDictionary(e => e.Key, e => e.Value);
        foreach (var key in configuration.GetSection("Positions:ApiKeys").GetChildren())
            snapshot[key.Path] = Mark;
        foreach (var connection in configuration.GetSection("ConnectionStrings").GetChildren().Where(c => c.Value is not null))
        {
            var builder = new NpgsqlConnectionStringBuilder(connection.Value);
            if (!string.IsNullOrEmpty(builder.Password)) builder.Password = Mark;
            snapshot[connection.Path] = builder.ConnectionString;
        }
        configuration.Sources.Clear();
        configuration.AddInMemoryCollection(snapshot);
    }
}
