namespace Positions.Api.Webhooks;

/// <summary>
/// <c>Positions:Webhooks</c>: which hosts may receive deliveries (<c>AllowedHosts</c>, a list or one comma-separated
/// value, each a host, any port, or <c>host:port</c>, that port only; none by default, so the service calls out
/// nowhere until told), and how long a receiver may take to answer
/// (<c>TimeoutSeconds</c>, default 10). Read on every use, so a changed allow-list applies to deliveries already queued.
/// </summary>
public sealed class WebhookSettings(IConfiguration configuration)
{
    public const string Section = "Positions:Webhooks";

    /// <summary>After the n-th failed attempt, the next comes this long after; one more failure after the last, and the delivery is given up.</summary>
    public static readonly TimeSpan[] RetryAfter =
    [
        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2),
        TimeSpan.FromMinutes(10), TimeSpan.FromHours(1), TimeSpan.FromHours(6),
    ];

    public IReadOnlySet<string> AllowedHosts
    {
        get
        {
            var section = configuration.GetSection($"{Section}:AllowedHosts");
            var listed = section.Value is { } oneValue ? oneValue.Split(',') : section.GetChildren().Select(c => c.Value ?? "");
            return listed.Select(h => h.Trim()).Where(h => h.Length > 0).ToHashSet(StringComparer.OrdinalIgnoreCase);
        }
    }

    /// <summary>
    /// <c>CrashTakeOverSeconds</c> (default 60, Wolverine's own): how old a dead instance's heartbeat must be before
    /// its unfinished deliveries are taken over. Shorter recovers sooner but risks taking a slow live instance's work
    /// (then a receiver may get a delivery twice, with the same id).
    /// </summary>
    public static TimeSpan CrashTakeOver(IConfiguration configuration) =>
        TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue($"{Section}:CrashTakeOverSeconds", 60.0), 4, 3600));

    /// <summary>At most a minute: deliveries share a few senders, and one receiver that hangs must not hold them long.</summary>
    public TimeSpan Timeout => TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue($"{Section}:TimeoutSeconds", 10.0), 0.1, 60));

    /// <summary>When the attempt after the <paramref name="failed"/>-th failed one comes, or null: give up.</summary>
    public static TimeSpan? RetryAfterFailure(int failed) => failed >= 1 && failed <= RetryAfter.Length ? RetryAfter[failed - 1] : null;

    /// <summary>Why this URL may not receive deliveries, or null when it may.</summary>
    public string? Refusal(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return "is required";
        if (url.Length > 2000) return "must be at most 2000 characters";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return "must be an absolute http or https URL";
        if (uri.UserInfo.Length > 0) return "must not carry a user name or password (the secret signs every delivery)";
        if (uri.Fragment.Length > 0) return "must not have a fragment";
        var allowed = AllowedHosts;
        if (allowed.Count == 0)
            return "webhooks are off on this service: no host may receive them. To enable them, list the receiving hosts in "
                + $"{Section}:AllowedHosts (e.g. the environment variable Positions__Webhooks__AllowedHosts=hooks.example.org)";
        return Allows(allowed, uri) ? null
            : $"host '{uri.Authority}' is not one this service may call ({Section}:AllowedHosts lists {string.Join(", ", allowed.Order())})";
    }

    /// <summary>Whether the URL's host (any port) or its host and port are on the list.</summary>
    public bool Allows(Uri uri) => Allows(AllowedHosts, uri);

    private static bool Allows(IReadOnlySet<string> allowed, Uri uri) =>
        allowed.Contains(uri.IdnHost) || allowed.Contains($"{uri.IdnHost}:{uri.Port}");
}
