using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Positions.Api.Shared;

namespace Positions.Api.Hosting;

/// <summary>Abuse and overload limits, from <c>Positions:Limits</c>. On by default, generous.</summary>
public sealed record LimitSettings
{
    public bool RateLimiting { get; init; } = true;
    public int RequestsPerSecondPerKey { get; init; } = 200;
    public int BurstPerKey { get; init; } = 2000;
    public int RequestsPerSecondPerAddress { get; init; } = 100;
    public int BurstPerAddress { get; init; } = 1000;

    /// <summary>
    /// Requests served at once; the rest wait in a short queue or get a fast 503, never a starved pool. Unset, it is
    /// three quarters of the connection pool, leaving the rest to Wolverine's and Marten's own background work.
    /// </summary>
    public int? ConcurrentRequests { get; init; }
    public int QueuedRequests { get; init; } = 256;
    public int RequestTimeoutSeconds { get; init; } = 30;
}

/// <summary>
/// Rate limits per API key (per client address for anonymous callers) answer 429 with Retry-After; a concurrency
/// limit in front of the database answers 503 when the queue is full, so load never turns into pool exhaustion.
/// </summary>
public static class Limits
{
    public static IServiceCollection AddPositionsLimits(this IServiceCollection services, IConfiguration configuration, int poolSize)
    {
        var settings = configuration.GetSection("Positions:Limits").Get<LimitSettings>() ?? new LimitSettings();
        settings = settings with { ConcurrentRequests = settings.ConcurrentRequests ?? Math.Max(1, poolSize * 3 / 4) };
        services.AddSingleton(settings);
        services.AddRequestTimeouts(o =>
        {
            o.DefaultPolicy = new Microsoft.AspNetCore.Http.Timeouts.RequestTimeoutPolicy
            {
                Timeout = TimeSpan.FromSeconds(settings.RequestTimeoutSeconds),
                TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
                WriteTimeoutResponse = context => Problems.Problem(StatusCodes.Status503ServiceUnavailable,
                    "Service unavailable", "The request took too long; nothing was acknowledged. Try again.").ExecuteAsync(context),
            };
        });
        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(ByClient(settings), Concurrency(settings));
            o.OnRejected = Reject;
        });
        return services;
    }

    private static PartitionedRateLimiter<HttpContext> ByClient(LimitSettings settings) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            if (!settings.RateLimiting || IsHealthCheck(context)) return RateLimitPartition.GetNoLimiter("unlimited");
            return context.User.Identity is { IsAuthenticated: true, Name: { } client }
                ? TokenBucket("key:" + client, settings.RequestsPerSecondPerKey, settings.BurstPerKey)
                : TokenBucket("address:" + context.Connection.RemoteIpAddress, settings.RequestsPerSecondPerAddress, settings.BurstPerAddress);
        });

    private static PartitionedRateLimiter<HttpContext> Concurrency(LimitSettings settings) =>
        // A live stream holds no database connection while it waits, so it takes no place among the requests that do.
        PartitionedRateLimiter.Create<HttpContext, string>(context => IsHealthCheck(context) || context.Request.Path == Positions.ShiftStreamEndpoint.Path
            ? RateLimitPartition.GetNoLimiter("health")
            : RateLimitPartition.GetConcurrencyLimiter("database", _ => new ConcurrencyLimiterOptions
            {
                PermitLimit = settings.ConcurrentRequests!.Value,
                QueueLimit = settings.QueuedRequests,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            }));

    private static RateLimitPartition<string> TokenBucket(string partition, int perSecond, int burst) =>
        RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    /// <summary>A rate limit says when to come back (429); a full queue means the service is busy (503).</summary>
    private static ValueTask Reject(OnRejectedContext rejected, CancellationToken ct)
    {
        var response = rejected.HttpContext.Response;
        if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return new ValueTask(Problems.Problem(StatusCodes.Status429TooManyRequests, "Too many requests",
                "This client has sent too many requests; slow down and try again after Retry-After seconds.").ExecuteAsync(rejected.HttpContext));
        }
        response.Headers.RetryAfter = "1";
        return new ValueTask(Problems.Problem(StatusCodes.Status503ServiceUnavailable, "Service busy",
            "The service is at capacity; nothing was written. Try again shortly.").ExecuteAsync(rejected.HttpContext));
    }

    private static bool IsHealthCheck(HttpContext context) => context.Request.Path.StartsWithSegments("/health");
}
